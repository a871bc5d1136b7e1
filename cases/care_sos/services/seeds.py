"""What Care SOS needs in the database besides its tables, seeded get-or-create so admin
edits survive: the beat schedule of the deadline warnings. (Its policy thresholds are seeded
with all the others, by `chatdong.policy.seeds`.)

Called by the data migration and again after every `migrate` (and test flush) through
post_migrate, like the policy app's own seeds.
"""

from django.db import DEFAULT_DB_ALIAS

SCHEDULES = (
    {
        "name": "찾동: 돌봄SOS 방문 기한 점검(10분마다)",
        "task": "cases.care_sos_escalate",
        "interval": {"every": 10, "period": "minutes"},
        "description": "돌봄SOS 72시간 방문 기한이 임박하면 돌봄매니저·복지팀장에게, 지나면 구 돌봄지원단에게 한 번씩 알립니다.",
    },
)


def seed_schedules(apps=None) -> list[str]:
    """Create the missing beat schedules; never touch existing ones (admin edits survive)."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    created = []
    for spec in SCHEDULES:
        if PeriodicTask.objects.filter(name=spec["name"]).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(**spec["interval"])
        _, was_created = PeriodicTask.objects.get_or_create(
            name=spec["name"],
            defaults={"task": spec["task"], "interval": interval, "description": spec["description"], "enabled": True},
        )
        if was_created:
            created.append(spec["name"])
    return created


def _after_migrate(sender, apps=None, using=DEFAULT_DB_ALIAS, **kwargs):
    if using != DEFAULT_DB_ALIAS:
        return
    if apps is None:
        from django.apps import apps
    try:
        apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:  # not migrated on this database (yet)
        return
    seed_schedules(apps)


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate

    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="cases.care_sos.seeds")
