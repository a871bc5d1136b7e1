"""Two runs at once, and a run whose session died: advisory lock, unique keys, stale runs."""

import datetime
import threading

import pytest
from django.db import connection, connections

from outreach.models import SweepRun, VisitTask
from outreach.services.sweeps import campaign_sweep, mark_stale_runs
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory
from tests.outreach.factories import CampaignFactory

D = datetime.date
AWARE = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def campaign(transactional_db, outreach_policy):
    dong = DongFactory()
    for i in range(300):
        ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1960, 1, 1) + datetime.timedelta(days=i))
    return CampaignFactory(year=2025, dongs=[dong])


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_each_task_once(campaign):
    barrier = threading.Barrier(4)
    runs, errors = [], []

    def sweep():
        try:
            barrier.wait()
            runs.append(campaign_sweep(campaign=campaign, today=D(2025, 3, 1)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    created = sorted(r.created for r in runs)
    assert created == [0, 0, 0, 300]
    assert all(r.candidates == 300 and r.status == SweepRun.Status.SUCCEEDED for r in runs)
    assert VisitTask.objects.filter(campaign=campaign).count() == 300
    assert VisitTask.objects.filter(campaign=campaign).values("resident_id").distinct().count() == 300


@pytest.mark.django_db(transaction=True)
def test_stale_run_marked_failed(campaign):
    # A run row left 실행 중 by a session that no longer exists (its worker was killed).
    dead = SweepRun.objects.create(campaign=campaign, started_at=AWARE, status="running",
                                   backend_pid=2_000_000_000, backend_start=AWARE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        pid, started = cursor.fetchone()
    alive = SweepRun.objects.create(campaign=campaign, started_at=AWARE, status="running",
                                    backend_pid=pid, backend_start=started)
    assert mark_stale_runs(campaign_id=campaign.pk) == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == SweepRun.Status.FAILED and "롤백" in dead.errors
    assert alive.status == SweepRun.Status.RUNNING  # its session is alive: maybe waiting for the lock
    run = campaign_sweep(campaign=campaign, today=D(2025, 3, 1))
    assert run.created == 300
