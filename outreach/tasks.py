"""Celery tasks: thin wrappers that take ids and call one service each (acks_late: a task
lost with its worker is redelivered; every service here is idempotent)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="outreach.run_sweep", acks_late=True)
def run_sweep(campaign_id: int, actor_id: int | None = None) -> dict:
    """Sweep one campaign now (schedule, or 지금 실행 on the campaign screen)."""
    from chatdong.accounts.models import User
    from outreach.models import Campaign
    from outreach.services.sweeps import SweepError, campaign_sweep

    campaign = Campaign.objects.get(pk=campaign_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        run = campaign_sweep(campaign=campaign, actor=actor)
    except SweepError as exc:  # recorded on the run as 실패; not worth a retry
        return {"campaign": campaign_id, "status": "failed", "error": str(exc)}
    return {"campaign": campaign_id, "run": run.pk, "status": run.status, "candidates": run.candidates,
            "created": run.created, "already_present": run.already_present}


@shared_task(name="outreach.run_scheduled_sweeps", acks_late=True)
def run_scheduled_sweeps() -> list[int]:
    """Daily: queue a sweep for every active scheduled campaign whose period includes today."""
    from outreach.services.sweeps import due_campaigns

    ids = list(due_campaigns().values_list("pk", flat=True))
    for campaign_id in ids:
        run_sweep.delay(campaign_id)
    return ids


@shared_task(name="outreach.check_inactivity", acks_late=True)
def check_inactivity() -> dict:
    """Every few minutes: silent devices → one urgent visit task per household."""
    from outreach.services.activity import check_inactivity as check

    outcome = check()
    return {"created": outcome.result.created, "no_response_started": outcome.no_response_started}
