from django.apps import AppConfig


class CareSosConfig(AppConfig):
    """돌봄SOS, a sibling app inside the `cases` package (see cases/README.md). Its tables keep
    the names they had when Care SOS lived in `cases` (`cases_carerequest`, …)."""

    name = "cases.care_sos"
    label = "care_sos"
    verbose_name = "돌봄SOS"

    def ready(self):
        # The household timeline shows Care SOS events: the source registers itself with the
        # households selectors on import (households never import Care SOS).
        from cases.care_sos import entry_points, selectors  # noqa: F401
        from cases.care_sos.services import seeds

        # "돌봄SOS 신청" on the household page, "돌봄SOS로 접수" on a crisis report.
        entry_points.register()

        # Seeds (self-pay policy default, beat schedule) re-added after every migrate and
        # test flush.
        seeds.connect(self)
