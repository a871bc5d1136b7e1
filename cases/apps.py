from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "가구·방문·사례관리"

    def ready(self):
        # Care SOS: its household-timeline source, and its seeds (self-pay policy default, beat
        # schedule) re-added after every migrate and test flush.
        from cases.selectors import care_sos  # noqa: F401
        from cases.services.care_sos import seeds

        seeds.connect(self)
