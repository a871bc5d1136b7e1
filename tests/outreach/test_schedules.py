"""Beat schedules are seeded once and never overwrite an admin's edits; the daily dispatcher
queues exactly the campaigns in their period."""

import datetime

from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from outreach.models import CampaignKind
from outreach.schedules import SCHEDULES, seed_schedules
from outreach.services.sweeps import due_campaigns
from tests.outreach.factories import CampaignFactory

D = datetime.date


def test_schedules_seeded_by_migration_and_edits_survive(db):
    names = [s["name"] for s in SCHEDULES]
    tasks = {t.name: t for t in PeriodicTask.objects.filter(name__in=names)}
    assert set(tasks) == set(names)  # the data migration created them
    assert tasks[names[0]].task == "outreach.run_scheduled_sweeps"
    assert str(tasks[names[0]].crontab.timezone) == "Asia/Seoul" and tasks[names[0]].crontab.hour == "6"
    # an admin moves the daily run to 05:30 and disables the inactivity check
    daily = tasks[names[0]]
    daily.crontab.hour, daily.crontab.minute = "5", "30"
    daily.crontab.save()
    PeriodicTask.objects.filter(name=names[1]).update(enabled=False)
    assert seed_schedules() == []
    call_command("seed_schedules")
    daily.refresh_from_db()
    assert (daily.crontab.hour, daily.crontab.minute) == ("5", "30")
    assert PeriodicTask.objects.get(name=names[1]).enabled is False
    # a deleted schedule comes back on the next seed
    PeriodicTask.objects.filter(name=names[1]).delete()
    assert seed_schedules() == [names[1]]


def test_due_campaigns(db):
    today = D(2025, 7, 15)
    summer = CampaignFactory(kind=CampaignKind.SUMMER, period_start=D(2025, 7, 1), period_end=D(2025, 8, 31))
    universal = CampaignFactory(kind=CampaignKind.UNIVERSAL)
    CampaignFactory(kind=CampaignKind.WINTER, period_start=D(2025, 12, 1), period_end=D(2026, 2, 28))  # not yet
    CampaignFactory(kind=CampaignKind.PARENTING, active=False)  # switched off (one universal per dong and year)
    CampaignFactory(kind=CampaignKind.TARGETED)  # runs only when told
    CampaignFactory(kind=CampaignKind.UNIVERSAL, year=2024)  # last year's
    assert list(due_campaigns(today=today)) == [summer, universal]
