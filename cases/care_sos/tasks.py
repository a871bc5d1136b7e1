"""Celery tasks of Care SOS: thin wrappers that call one service each (acks_late; every
service here is idempotent, so a redelivered task changes nothing the second time)."""

from celery import shared_task


# The registered name keeps its old `cases.` prefix: the beat schedule rows store it.
@shared_task(name="cases.care_sos_escalate", acks_late=True)
def care_sos_escalate() -> dict:
    """Every 10 minutes (beat): send the Care SOS visit-deadline warnings not sent yet."""
    from cases.care_sos.services.escalation import care_sos_escalate as escalate

    result = escalate()
    return {"due_soon": result["due_soon"], "overdue": result["overdue"], "requests": result["requests"]}
