"""Beat schedules (django-celery-beat rows), seeded with get-or-create by name so that an
admin's edits — time, interval, enabled — survive every deploy and every reseed."""

SCHEDULES = (
    {
        "name": "찾동: 캠페인 정기 실행(매일 06:00)",
        "task": "outreach.run_scheduled_sweeps",
        "crontab": {"minute": "0", "hour": "6", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "description": "기간 중인 보편방문·출산양육·하절기·동절기·고독사 실태조사·위험등급 모니터링 캠페인을 실행합니다.",
    },
    {
        "name": "찾동: 안부 확인 무활동 점검(15분마다)",
        "task": "outreach.check_inactivity",
        "interval": {"every": 15, "period": "minutes"},
        "description": "IoT·통신 안부 확인 기기의 무활동 시간을 점검해 긴급 방문 과제를 만듭니다.",
    },
)


def seed_schedules(apps=None) -> list[str]:
    """Create the missing schedules; never touch existing ones. Returns the names created.
    Works with the live models, or with a migration's historical `apps`."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    created = []
    for spec in SCHEDULES:
        if PeriodicTask.objects.filter(name=spec["name"]).exists():
            continue
        fields = {"task": spec["task"], "description": spec["description"], "enabled": True}
        if "crontab" in spec:
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(**spec["crontab"], timezone="Asia/Seoul")
        else:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(**spec["interval"])
        _, was_created = PeriodicTask.objects.get_or_create(name=spec["name"], defaults=fields)
        if was_created:
            created.append(spec["name"])
    return created
