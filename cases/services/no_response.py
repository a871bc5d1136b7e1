"""Lonely-death no-response procedure (고독사 무응답 대응). DOMAIN §4, 수영구 manual [002]:

day 1 — text, or visit and leave a sticker, recorded (due by the end of the day);
day 2 morning — joint visit by officer + care worker + tong/ban leader, hospital use,
landlord and neighbours, family, police-assisted entry (due at noon);
day 2 afternoon — missing-person report (due at 18:00).

The procedure's state changes through its named transitions (`NoResponseProcedure.record_step`,
`resolve`, `escalate`), each recorded as a `NoResponseEvent`; starting it records the first.
"""

import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import (
    MISSING_REPORT_STEP,
    NO_RESPONSE_STEPS,
    Household,
    NoResponseEvent,
    NoResponseProcedure,
    NoResponseStep,
)
from chatdong import policy
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.lifecycle import apply_transition

# Hours of day 2 by which the manual's morning steps and its afternoon missing-person report
# are due (policy, read for the start date; the procedure stores the versions used).
MORNING_DUE_KEY = "no_response.day2_morning_due_hour"
AFTERNOON_DUE_KEY = "no_response.day2_afternoon_due_hour"


def step_due_at(
    code: str, day: int, started_at: datetime.datetime, *, record: policy.VersionsUsed | None = None
) -> datetime.datetime:
    """When a step is due, in local time: day 1 by the end of the start day; day 2 steps by
    the morning hour of the next day, the missing-person report by its afternoon hour."""
    tz = timezone.get_current_timezone()
    start_day = timezone.localdate(started_at)
    if day <= 1:
        return datetime.datetime.combine(start_day, datetime.time(23, 59, 59), tzinfo=tz)
    due_day = start_day + datetime.timedelta(days=day - 1)
    key = AFTERNOON_DUE_KEY if code == MISSING_REPORT_STEP else MORNING_DUE_KEY
    hour = int(policy.read(key, on=start_day, record=record))
    return datetime.datetime.combine(due_day, datetime.time(hour, 0), tzinfo=tz)


def _open_for(household: Household) -> NoResponseProcedure | None:
    return NoResponseProcedure.objects.filter(household=household, status=NoResponseProcedure.Status.OPEN).first()


def no_response_start(*, actor, household: Household, trigger: str) -> NoResponseProcedure:
    """Start the procedure for a household that does not answer, with its day-1/day-2 steps.

    Idempotent: a household has at most one open procedure (partial unique constraint);
    starting again, even concurrently, returns the open one unchanged.
    """
    trigger = (trigger or "").strip()
    if not trigger:
        raise ValidationError({"trigger": "무응답 대응을 시작하는 사유를 입력하세요."})
    existing = _open_for(household)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            now = timezone.now()
            used = policy.VersionsUsed()
            steps = [
                NoResponseStep(code=code, day=day, label=label, due_at=step_due_at(code, day, now, record=used))
                for code, day, label in NO_RESPONSE_STEPS
            ]
            with pghistory.context(user=getattr(actor, "pk", None), action="no_response_start"):
                procedure = NoResponseProcedure.objects.create(
                    household=household, trigger=trigger[:200], started_at=now, started_by=actor,
                    policy_versions=used.ids(),
                )
            NoResponseEvent.record(procedure, "start", from_status="", actor=actor, comment=trigger[:200])
            for step in steps:
                step.procedure = procedure
            NoResponseStep.objects.bulk_create(steps)
            log_access(
                user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
                action=AccessLog.Action.CREATE, reason=f"무응답 대응 시작: {trigger[:200]}",
            )
    except IntegrityError:
        # Another request opened one between our check and insert: join it.
        existing = _open_for(household)
        if existing is None:
            raise
        return existing
    return procedure


def _ensure_open(procedure: NoResponseProcedure) -> None:
    if procedure.status != NoResponseProcedure.Status.OPEN:
        raise ValidationError("이미 종료된 무응답 대응입니다.")


@transaction.atomic
def no_response_step_done(*, actor, step: NoResponseStep, note: str = "") -> NoResponseStep:
    """Tick off a step, recording who did it and when."""
    procedure = NoResponseProcedure.objects.select_for_update().get(pk=step.procedure_id)
    step = NoResponseStep.objects.select_for_update().get(pk=step.pk)
    _ensure_open(procedure)
    if step.done_at is not None:
        raise ValidationError("이미 완료된 단계입니다.")
    step.done_at = timezone.now()
    step.done_by = actor
    step.note = (note or "").strip()[:300]
    step.save(update_fields=["done_at", "done_by", "note"])
    apply_transition(
        procedure, "record_step", actor=actor, event_model=NoResponseEvent,
        comment=step.label + (f": {step.note}" if step.note else ""),
    )
    log_access(
        user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=procedure.household_id,
        action=AccessLog.Action.UPDATE, reason=f"무응답 대응 단계 완료: {step.label}"[:300],
    )
    return step


@transaction.atomic
def no_response_close(*, actor, procedure: NoResponseProcedure, status: str, note: str) -> NoResponseProcedure:
    """Close the procedure: `resolved` when the resident is found safe, `escalated` when a
    missing-person report was made (the missing-report step is then recorded as done)."""
    procedure = NoResponseProcedure.objects.select_for_update().get(pk=procedure.pk)
    _ensure_open(procedure)
    Status = NoResponseProcedure.Status
    if status not in (Status.RESOLVED, Status.ESCALATED):
        raise ValidationError({"status": "종료 결과(안부 확인됨 또는 실종 신고)를 선택하세요."})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "결과 내용을 입력하세요."})
    now = timezone.now()
    if status == Status.ESCALATED:
        procedure.steps.filter(code=MISSING_REPORT_STEP, done_at__isnull=True).update(
            done_at=now, done_by=actor, note=note[:300]
        )

    def update(p: NoResponseProcedure) -> None:
        p.closed_at = now
        p.outcome_note = note

    with pghistory.context(user=getattr(actor, "pk", None), action="no_response_close"):
        apply_transition(
            procedure, "escalate" if status == Status.ESCALATED else "resolve", actor=actor,
            event_model=NoResponseEvent, fields=["closed_at", "outcome_note"], update=update, comment=note,
            guard_message="결과 내용을 입력하고, 실종 신고는 신고 단계를 기록한 뒤에 종료하세요.",
        )
    log_access(
        user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=procedure.household_id,
        action=AccessLog.Action.UPDATE, reason=f"무응답 대응 종료: {procedure.get_status_display()}",
    )
    return procedure
