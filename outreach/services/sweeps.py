"""Running a campaign's sweep: one transaction, one advisory lock, one INSERT … SELECT.

    run row committed (status 실행 중, with the DB session's pid)       ← survives a crash
    BEGIN
      pg_advisory_xact_lock(SWEEP_LOCK, campaign)                        ← runs of one campaign queue up
      stale runs of the campaign → 실패                                    ← their session is gone
      INSERT INTO outreach_visittask … SELECT … ON CONFLICT DO NOTHING   ← engine.insert_tasks
      run row → 완료 with candidates / created / already present
    COMMIT

A worker killed mid-sweep (SIGKILL) never sends COMMIT: PostgreSQL rolls the whole
transaction back — no task of that run survives — and `client_connection_check_interval`
makes the server notice the dead client within seconds even inside a long statement, so the
lock is freed. The run row it left is found stale by the next run (or shown as such).
"""

import datetime
import logging
import os

from django.db import connection, transaction
from django.utils import timezone

from chatdong import policy
from chatdong.policy.selectors import ThresholdMissing
from outreach.models import Campaign, CampaignKind, SweepRun
from outreach.services import cohorts
from outreach.services.engine import InsertResult, insert_tasks

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock(key1, key2): key1 names the lock family ('outr'), key2 the campaign.
SWEEP_LOCK = 0x6F757472
# How often the server checks, during a long statement, that the sweeping client still exists.
CLIENT_CHECK_INTERVAL = "2s"
STALE_ERROR = "작업자가 중단되어 실행이 끝나지 않았습니다. 이 실행의 변경은 모두 취소되었습니다(롤백)."
# Kinds the daily schedule sweeps while their period runs. Targeted surveys run when the
# admin says so, big-data rounds when a file is uploaded, activity alerts on their own check.
SCHEDULED_KINDS = (
    CampaignKind.UNIVERSAL, CampaignKind.PARENTING, CampaignKind.SUMMER, CampaignKind.WINTER,
    CampaignKind.LONELY_DEATH, CampaignKind.RISK_TIER,
)


class SweepError(Exception):
    """A sweep that cannot run; the message is Korean and shown on the campaign screen."""


def test_pause_seconds() -> float:
    """Seconds the sweep statement sleeps halfway through its INSERT — only when the
    environment variable CHATDONG_TEST_SWEEP_PAUSE is set, which the worker-kill test does for
    its own worker process. Never set in production."""
    raw = os.environ.get("CHATDONG_TEST_SWEEP_PAUSE", "")
    try:
        return max(0.0, float(raw)) if raw else 0.0
    except ValueError:
        return 0.0


test_pause_seconds.__test__ = False  # not a pytest test


def _backend() -> tuple[int, datetime.datetime]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        return cursor.fetchone()


def run_start(*, campaign: Campaign, actor=None) -> SweepRun:
    """The run row, committed on its own before the sweep's transaction (when not nested)."""
    pid, started = _backend()
    return SweepRun.objects.create(
        campaign=campaign, started_at=timezone.now(), status=SweepRun.Status.RUNNING,
        triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
        backend_pid=pid, backend_start=started,
    )


def run_finish(
    run: SweepRun, result: InsertResult, *, versions: policy.VersionsUsed | None = None, errors: str = ""
) -> None:
    """The run succeeded: its counts, the policy versions it read, any per-row errors."""
    SweepRun.objects.filter(pk=run.pk).update(
        status=SweepRun.Status.SUCCEEDED, finished_at=timezone.now(), candidates=result.candidates,
        created=result.created, already_present=result.already_present, policy_versions=versions.snapshot() if versions else {},
        errors=errors,
    )


def run_fail(run: SweepRun, message: str) -> None:
    SweepRun.objects.filter(pk=run.pk).update(
        status=SweepRun.Status.FAILED, finished_at=timezone.now(), errors=message[:2000]
    )


STALE_SQL = """
UPDATE outreach_sweeprun s SET status = 'failed', finished_at = statement_timestamp(),
       errors = CASE WHEN s.errors = '' THEN %(error)s ELSE s.errors || E'\\n' || %(error)s END
WHERE s.campaign_id = %(campaign)s AND s.status = 'running' AND s.id <> %(run)s
  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.backend_pid AND a.backend_start = s.backend_start)
"""


def mark_stale_runs(*, campaign_id: int, current_run_id: int = 0) -> int:
    """Runs still 실행 중 whose DB session no longer exists died with their worker: 실패."""
    with connection.cursor() as cursor:
        cursor.execute(STALE_SQL, {"campaign": campaign_id, "run": current_run_id, "error": STALE_ERROR})
        return cursor.rowcount


def lock_campaign(campaign_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL client_connection_check_interval = %s", [CLIENT_CHECK_INTERVAL])
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SWEEP_LOCK, campaign_id])


def campaign_dong_ids(campaign: Campaign) -> list[int]:
    return list(campaign.dongs.values_list("pk", flat=True))


def sweep_cohort(campaign: Campaign, *, today: datetime.date, versions: policy.VersionsUsed) -> cohorts.Cohort:
    builder = cohorts.BUILDERS.get(campaign.kind)
    if builder is None:
        raise SweepError(f"'{campaign.get_kind_display()}' 캠페인은 일괄 실행 대상이 아닙니다.")
    try:
        return builder(campaign, today=today, dong_ids=campaign_dong_ids(campaign), versions=versions)
    except ThresholdMissing as exc:
        raise SweepError(str(exc)) from exc
    except cohorts.CohortError as exc:
        raise SweepError(str(exc)) from exc


def campaign_sweep(*, campaign: Campaign, actor=None, today: datetime.date | None = None) -> SweepRun:
    """Run the campaign's sweep now (see the module docstring). Returns the finished run;
    a run that fails is recorded as 실패 with its error and the error is raised again."""
    today = today or timezone.localdate()
    run = run_start(campaign=campaign, actor=actor)
    try:
        with transaction.atomic():
            lock_campaign(campaign.pk)
            # Foreign keys are checked as each row goes in, not at COMMIT: a bad row fails the
            # statement with its error, and the run's recorded time includes the checks.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            mark_stale_runs(campaign_id=campaign.pk, current_run_id=run.pk)
            campaign = Campaign.objects.get(pk=campaign.pk)
            if not campaign.active:
                raise SweepError("사용 중지된 캠페인은 실행할 수 없습니다.")
            versions = policy.VersionsUsed()
            cohort = sweep_cohort(campaign, today=today, versions=versions)
            result: InsertResult = insert_tasks(
                campaign_id=campaign.pk, run_id=run.pk, cohort=cohort,
                dong_ids=campaign_dong_ids(campaign) or None, pause_seconds=test_pause_seconds(),
            )
            # Back to the constraints' own (deferred) mode for what the caller's transaction writes
            # next: a campaign is written before its dongs, and outreach 0004 checks at COMMIT.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            run_finish(run, result, versions=versions)
    except Exception as exc:
        message = str(exc) if isinstance(exc, SweepError) else f"실행 중 오류: {type(exc).__name__}"
        logger.exception("sweep of campaign %s failed", campaign.pk)
        run_fail(run, message)
        raise
    run.refresh_from_db()
    return run


def due_campaigns(*, today: datetime.date | None = None):
    """Campaigns the daily schedule sweeps today: active, of a scheduled kind, in their period."""
    today = today or timezone.localdate()
    return Campaign.objects.filter(
        active=True, kind__in=SCHEDULED_KINDS, period_start__lte=today, period_end__gte=today
    ).order_by("pk")
