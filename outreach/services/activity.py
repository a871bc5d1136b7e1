"""Activity alerts (안부 확인): events from IoT check-in devices and the mobile-activity
service, and the periodic check that turns a silence into one urgent visit. DOMAIN §5.

- Events are stored once (event_id unique, INSERT … ON CONFLICT DO NOTHING): duplicates and
  replays change nothing. A device's last sign of life only moves forward
  (GREATEST), so events arriving out of order are harmless.
- A device silent longer than `outreach.inactivity_hours.<kind>` (or, when that key has no
  version in force, `outreach.inactivity_hours`), or one that sends an inactivity alert,
  gives its household one urgent task in the year's activity campaign — not one per check or
  per alert: while an alert task is open nothing new is made, and the task's cycle names the
  silence episode.
- A new alert for a 위험 household also starts the lonely-death no-response procedure.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Household, RiskTier
from chatdong import policy
from chatdong.policy.selectors import ThresholdMissing
from outreach.models import ACTIVITY_KINDS, EventKind, SweepRun, VisitTask
from outreach.services import cohorts
from outreach.services.campaigns import activity_campaign
from outreach.services.engine import InsertResult, insert_tasks
from outreach.services.sweeps import lock_campaign, mark_stale_runs, run_fail, run_finish, run_start

logger = logging.getLogger(__name__)

def inactivity_hours(*, on: datetime.date, versions: policy.VersionsUsed | None = None) -> dict[str, int]:
    """Hours of silence that call for a visit, per device kind, from policy: the kind's own key,
    else the general one (a value may also be a {kind: hours} map). Neither → ThresholdMissing."""
    hours = {}
    for kind in ("iot", "mobile"):
        try:
            value = policy.read(f"outreach.inactivity_hours.{kind}", on=on, record=versions)
        except ThresholdMissing:
            value = policy.read("outreach.inactivity_hours", on=on, record=versions)
        hours[kind] = int(value.get(kind) if isinstance(value, dict) else value)
    return hours


@dataclass
class AlertResult:
    run: SweepRun | None
    result: InsertResult
    no_response_started: int = 0


def _start_no_response(task_ids: list[int]) -> int:
    if not task_ids:
        return 0
    from cases.services.no_response import no_response_start

    started = 0
    households = Household.objects.filter(visit_tasks__pk__in=task_ids, risk_tier=RiskTier.HIGH).distinct()
    for household in households:  # only the households that just got an alert: a handful
        task = VisitTask.objects.filter(pk__in=task_ids, household=household).first()
        no_response_start(actor=None, household=household, trigger=f"안부 확인 무활동 알림: {task.reason}"[:200])
        started += 1
    return started


def check_inactivity(*, device_ids: list[int] | None = None, alert: bool = False, record_run: bool = True) -> AlertResult:
    """Create the urgent tasks for silent devices (all active devices, or `device_ids`; with
    `alert=True` the devices said so themselves). One transaction, locked per campaign."""
    now = timezone.now()
    today = timezone.localdate(now)
    campaign = activity_campaign(today.year)
    run = run_start(campaign=campaign) if record_run else None
    try:
        with transaction.atomic():
            lock_campaign(campaign.pk)
            if run is not None:
                mark_stale_runs(campaign_id=campaign.pk, current_run_id=run.pk)
            versions = policy.VersionsUsed()
            hours = inactivity_hours(on=today, versions=versions)
            cohort = cohorts.inactivity(now=now, hours=hours, device_ids=device_ids, alert=alert, versions=versions)
            result = insert_tasks(
                campaign_id=campaign.pk, run_id=run.pk if run else None, cohort=cohort, dong_ids=None, return_ids=True
            )
            started = _start_no_response(result.task_ids)
            if run is not None:
                run_finish(run, result, versions=versions)
    except Exception as exc:
        if run is not None:
            run_fail(run, f"실행 중 오류: {type(exc).__name__}")
        raise
    if run is not None:
        run.refresh_from_db()
    return AlertResult(run=run, result=result, no_response_started=started)


@dataclass
class IngestResult:
    received: int
    stored: int
    alerts_created: int

    @property
    def duplicates(self) -> int:
        return self.received - self.stored


INSERT_EVENTS_SQL = """
WITH incoming AS (
    SELECT * FROM unnest(%(ids)s::text[], %(devices)s::text[], %(kinds)s::text[], %(ats)s::timestamptz[])
        AS e(event_id, external_id, kind, occurred_at)
), stored AS (
    INSERT INTO outreach_activityevent (device_id, event_id, kind, occurred_at, received_at)
    SELECT d.id, e.event_id, e.kind, e.occurred_at, statement_timestamp()
    FROM incoming e JOIN outreach_activitydevice d ON d.external_id = e.external_id
    ON CONFLICT (event_id) DO NOTHING
    RETURNING device_id, kind, occurred_at
), moved AS (
    UPDATE outreach_activitydevice d
    SET last_activity_at = GREATEST(d.last_activity_at, s.latest), last_event_at = statement_timestamp()
    FROM (SELECT device_id, max(occurred_at) AS latest FROM stored
          WHERE kind = ANY(%(activity)s) GROUP BY device_id) s
    WHERE d.id = s.device_id
    RETURNING d.id
)
SELECT (SELECT count(*) FROM stored),
       (SELECT coalesce(array_agg(DISTINCT device_id), '{}') FROM stored WHERE kind = %(alert)s),
       (SELECT count(*) FROM moved)
"""


@transaction.atomic
def events_ingest(*, events: list[dict]) -> IngestResult:
    """Store validated events (dicts with event_id, device_id (external), kind, occurred_at)
    in one statement; then the devices that sent a new inactivity alert get their task."""
    if not events:
        return IngestResult(received=0, stored=0, alerts_created=0)
    params = {
        "ids": [e["event_id"] for e in events],
        "devices": [e["device_id"] for e in events],
        "kinds": [e["kind"] for e in events],
        "ats": [e["occurred_at"] for e in events],
        "activity": sorted(ACTIVITY_KINDS),
        "alert": EventKind.INACTIVITY_ALERT.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(INSERT_EVENTS_SQL, params)
        stored, alerting, _ = cursor.fetchone()
    created = 0
    if alerting:
        created = check_inactivity(device_ids=list(alerting), alert=True, record_run=False).result.created
    return IngestResult(received=len(events), stored=stored, alerts_created=created)
