"""Sweeps through real Celery workers on Redis: concurrent runs, and a worker killed mid-sweep."""

import datetime
import time

import pytest
from django.db import connection
from django.utils import timezone

from outreach.models import SweepRun, VisitTask
from outreach.tasks import run_sweep
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory
from tests.outreach.factories import CampaignFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

COHORT = 400


@pytest.fixture
def campaign(outreach_policy):
    dong = DongFactory()
    year = timezone.localdate().year
    for i in range(COHORT):
        ResidentFactory(household=HouseholdFactory(dong=dong),
                        birth_date=datetime.date(year - 65, 1, 1) + datetime.timedelta(days=i % 365))
    for i in range(50):  # not in the cohort
        ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=datetime.date(year - 40, 1, 1))
    return CampaignFactory(year=year, dongs=[dong])


def one_task_per_resident(campaign) -> None:
    tasks = VisitTask.objects.filter(campaign=campaign)
    assert tasks.count() == COHORT
    assert tasks.values("resident_id").distinct().count() == COHORT


def test_runs_through_worker_twice_at_once(live_celery_worker, campaign):
    results = [run_sweep.delay(campaign.pk) for _ in range(2)]  # prefork, 2 processes: truly at once
    answers = [r.get(timeout=60) for r in results]
    assert sorted(a["created"] for a in answers) == [0, COHORT]
    assert all(a["candidates"] == COHORT and a["status"] == "succeeded" for a in answers)
    one_task_per_resident(campaign)
    again = run_sweep.delay(campaign.pk).get(timeout=60)
    assert (again["created"], again["already_present"]) == (0, COHORT)
    one_task_per_resident(campaign)


def _wait(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


def _sleeping_backend(run_id):
    """The pid of the sweep's DB session while it sits in pg_sleep inside the INSERT."""
    run = SweepRun.objects.filter(pk=run_id).values("backend_pid").first()
    if not run:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE pid = %s AND state = 'active' AND wait_event = 'PgSleep'",
            [run["backend_pid"]],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _backend_alive(pid) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_worker_killed_mid_sweep_leaves_nothing_then_rerun_is_exact(killable_workers, campaign):
    slow = killable_workers({"CHATDONG_TEST_SWEEP_PAUSE": "60"})
    run_sweep.apply_async(args=[campaign.pk], queue=slow.queue)
    run_id = _wait(lambda: SweepRun.objects.filter(campaign=campaign).values_list("pk", flat=True).first(), 30,
                   f"the sweep never started:\n{slow.log_tail()}")
    pid = _wait(lambda: _sleeping_backend(run_id), 30, f"the sweep never reached its INSERT:\n{slow.log_tail()}")
    # Half of the rows are inserted (uncommitted) when the statement sleeps; nothing is visible.
    assert VisitTask.objects.filter(campaign=campaign).count() == 0

    slow.kill()  # SIGKILL: no cleanup, no rollback from the client side

    # The server notices the dead client (client_connection_check_interval) and rolls back.
    _wait(lambda: not _backend_alive(pid), 30, "the orphaned session kept running")
    assert VisitTask.objects.filter(campaign=campaign).count() == 0
    crashed = SweepRun.objects.get(pk=run_id)
    assert crashed.status == SweepRun.Status.RUNNING and crashed.finished_at is None

    fresh = killable_workers()
    answer = run_sweep.apply_async(args=[campaign.pk], queue=fresh.queue).get(timeout=60)
    assert (answer["status"], answer["created"], answer["already_present"]) == ("succeeded", COHORT, 0)
    one_task_per_resident(campaign)
    crashed.refresh_from_db()
    assert crashed.status == SweepRun.Status.FAILED and "롤백" in crashed.errors

    rerun = run_sweep.apply_async(args=[campaign.pk], queue=fresh.queue).get(timeout=60)
    assert (rerun["created"], rerun["already_present"]) == (0, COHORT)
    one_task_per_resident(campaign)
