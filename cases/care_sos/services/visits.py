"""The 72-hour visit (방문 일정·방문 기록) and the side exits before service (DOMAIN §8).

The deadline itself never changes after intake; scheduling or recording the visit only
adds timestamps, from which every screen computes on track / due soon / overdue.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.care_sos.models import CareRequest
from cases.care_sos.services.common import (
    ensure_dong_staff,
    lock,
    required_text,
    run_transition,
)
from cases.care_sos.services.intake import assignable_care_managers
from chatdong.accounts.models import User
from chatdong.accounts.roles import CARE_SOS_RECEIVER_ROLES
from chatdong.accounts.selectors import staff_with
from chatdong.areas.models import Dong
from chatdong.notifications.services import notify


def _minute(at: datetime.datetime) -> datetime.datetime:
    return at.replace(second=0, microsecond=0)


@transaction.atomic
def care_request_schedule_visit(
    *, actor, care_request: CareRequest, scheduled_at: datetime.datetime, comment: str = ""
) -> CareRequest:
    """Set (or move) the care managers' visit. A time after the deadline is allowed — the
    visit still has to happen — but the event says so, and the SLA will show it late."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    if scheduled_at is None:
        raise ValidationError({"scheduled_at": "방문 예정일시를 입력하세요."})
    if scheduled_at < _minute(care_request.received_at):
        raise ValidationError({"scheduled_at": "방문 예정일시는 접수일시 이후여야 합니다."})
    scheduled_at = max(scheduled_at, care_request.received_at)
    note = (comment or "").strip()
    if scheduled_at > care_request.visit_due_at:
        late = f"방문 기한({timezone.localtime(care_request.visit_due_at):%m-%d %H:%M}) 이후 일정"
        note = f"{late}. {note}".strip(". ") if note else late
    when = f"{timezone.localtime(scheduled_at):%Y-%m-%d %H:%M} 방문 예정"

    def update(r):
        r.visit_scheduled_at = scheduled_at

    return run_transition(
        care_request, "schedule_visit", actor=actor, comment=f"{when}. {note}".strip(". ") if note else when,
        update=update,
    )


@transaction.atomic
def care_request_record_visit(
    *,
    actor,
    care_request: CareRequest,
    visited_at: datetime.datetime,
    note: str,
    visitors: list[User] | None = None,
) -> CareRequest:
    """The care managers' home visit (DOMAIN §8: within 72 hours of intake)."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    note = required_text(note, "note", "방문해서 확인한 내용을 입력하세요.")
    if visited_at is None:
        raise ValidationError({"visited_at": "방문일시를 입력하세요."})
    if visited_at < _minute(care_request.received_at):
        raise ValidationError({"visited_at": "방문일시는 접수일시 이후여야 합니다."})
    # Forms give minutes: a visit in the minute of intake counts from the intake itself.
    visited_at = max(visited_at, care_request.received_at)
    if visited_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"visited_at": "방문일시는 현재 이후일 수 없습니다. 예정이면 방문 일정으로 등록하세요."})
    visitors = list(visitors or [actor])
    allowed = {u.pk for u in assignable_care_managers(care_request.dong)}
    strangers = [u.display_name for u in visitors if u.pk not in allowed]
    if strangers:
        raise ValidationError({"visitors": f"우리 동 직원이 아닙니다: {', '.join(strangers)}"})
    late = visited_at > care_request.visit_due_at
    hours = (visited_at - care_request.received_at).total_seconds() / 3600

    def update(r):
        r.visited_at = visited_at
        r.visit_note = note

    care_request = run_transition(
        care_request, "record_visit", actor=actor,
        comment=f"접수 후 {hours:.0f}시간 만에 방문{' (기한 지남)' if late else ' (기한 내)'}. {note}",
        update=update,
    )
    care_request.visited_by.set(visitors)
    return care_request


@transaction.atomic
def care_request_withdraw(*, actor, care_request: CareRequest, reason: str) -> CareRequest:
    """신청 철회: the applicant no longer wants the service (any time before follow-up)."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    reason = required_text(reason, "reason", "철회 사유를 입력하세요.")

    def update(r):
        r.exit_reason = reason
        r.closed_at = timezone.now()

    return run_transition(care_request, "withdraw", actor=actor, comment=reason, update=update)


@transaction.atomic
def care_request_mark_ineligible(*, actor, care_request: CareRequest, reason: str) -> CareRequest:
    """지원 불가: not a Care SOS case (e.g. already receiving long-term care at home)."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    reason = required_text(reason, "reason", "지원 불가 사유를 입력하세요.")

    def update(r):
        r.exit_reason = reason
        r.closed_at = timezone.now()

    return run_transition(care_request, "mark_ineligible", actor=actor, comment=reason, update=update)


@transaction.atomic
def care_request_transfer(*, actor, care_request: CareRequest, dong: Dong, reason: str) -> CareRequest:
    """이관 (before the visit): the person actually lives in another dong. The request ends
    here; the other dong's care managers are notified to take it in."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    reason = required_text(reason, "reason", "이관 사유를 입력하세요.")
    if dong is None or dong.pk == care_request.dong_id:
        raise ValidationError({"dong": "이관할 다른 동을 선택하세요."})

    def update(r):
        r.exit_reason = reason
        r.transferred_to = dong
        r.closed_at = timezone.now()

    care_request = run_transition(
        care_request, "transfer", actor=actor, comment=f"이관 → {dong}: {reason}", update=update,
    )
    receivers = staff_with(CARE_SOS_RECEIVER_ROLES, dong=dong)
    notify(
        users=receivers,
        kind="care_sos.transferred",
        title=f"{care_request.dong}에서 돌봄SOS 신청이 이관되었습니다",
        body=(
            f"{care_request.number} · 대상자 {care_request.resident.name} ({care_request.household}) · "
            f"연락처 {care_request.applicant_phone or care_request.resident.phone or '없음'}\n"
            f"사유: {reason}\n대상자에게 연락해 우리 동에서 새로 접수해 주세요."
        ),
        url=reverse("cases:care_request_intake"),
        dedupe_key=f"care_sos:{care_request.pk}:transferred",
    )
    return care_request
