from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "찾아가는 방문 캠페인"

    def ready(self):
        from outreach import worklist

        worklist.register()
