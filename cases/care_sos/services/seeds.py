"""What Care SOS needs in the database besides its tables, seeded get-or-create so admin
edits survive: the self-pay policy default and the beat schedule of the deadline warnings.

Called by the data migration and again after every `migrate` (and test flush) through
post_migrate, like the policy app's own seeds.
"""

import datetime

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction

SELF_PAY_SEED = {
    "key": "care_sos.self_pay_percent",
    "label": "돌봄SOS 본인부담률(무료 소득 기준 초과 시)",
    "value": 100,
    "unit": "%",
    "valid_from": datetime.date(2019, 1, 1),
    "source": (
        "찾동 운영 기본값(원문 문서에 수치 없음) — 「2023년도 지역복지 사업평가 우수사례집」 PART Ⅵ-1 서울특별시 성동구 "
        "「돌봄취약가구 맞춤형 돌봄 SOS서비스 지원」은 중위소득 100% 초과 가구를 '자부담'으로만 정함"
    ),
    "note": (
        "운영 기본값: 무료 기준(care_sos.free_income_ratio)을 넘는 가구가 서비스 비용 중 본인이 내는 비율입니다. "
        "원문은 '자부담'이라고만 하여 전액(100%)으로 두었습니다. 구 지침이 다르면 새 버전으로 등록해 주세요."
    ),
}

SCHEDULES = (
    {
        "name": "찾동: 돌봄SOS 방문 기한 점검(10분마다)",
        "task": "cases.care_sos_escalate",
        "interval": {"every": 10, "period": "minutes"},
        "description": "돌봄SOS 72시간 방문 기한이 임박하면 돌봄매니저·복지팀장에게, 지나면 구 돌봄지원단에게 한 번씩 알립니다.",
    },
)


def seed_policy(apps=None) -> bool:
    """Add the self-pay default unless some version of the key already exists."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    PolicyThreshold = apps.get_model("policy", "PolicyThreshold")
    if PolicyThreshold.objects.filter(key=SELF_PAY_SEED["key"]).exists():
        return False
    try:
        with transaction.atomic():
            PolicyThreshold.objects.create(**SELF_PAY_SEED)
    except IntegrityError:  # an admin's version covers the dates: theirs stands
        return False
    return True


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
        apps.get_model("policy", "PolicyThreshold")
        apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:  # not migrated on this database (yet)
        return
    seed_policy(apps)
    seed_schedules(apps)


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate

    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="cases.care_sos.seeds")
