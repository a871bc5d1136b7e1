from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def ensure_reference_areas(sender, apps=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """Re-load Seoul's 25 gu and the demo gu's dongs/regions after `migrate` and after a
    test flush (transactional tests empty every table, then emit post_migrate). Idempotent."""
    from chatdong.areas.seoul import load_reference_areas

    if using != DEFAULT_DB_ALIAS:
        return
    if apps is None:
        from django.apps import apps
    try:
        models = [apps.get_model("areas", name) for name in ("Gu", "Region", "Dong")]
    except LookupError:  # areas not migrated on this database (yet)
        return
    load_reference_areas(*models)


class AreasConfig(AppConfig):
    name = "chatdong.areas"
    label = "areas"
    verbose_name = "행정구역"

    def ready(self):
        post_migrate.connect(ensure_reference_areas, sender=self, dispatch_uid="chatdong.areas.reference")
