"""Shared rules of the Care SOS services: who may act, policy look-ups, and the one way a
request changes state (lock → guard → transition → save → event → access log)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from cases.care_sos.models import (
    TRANSITION_LABELS,
    CareRequest,
    CareRequestEvent,
    CareRequestStatus,
)
from chatdong.accounts.models import User
from chatdong.accounts.roles import Role
from chatdong.accounts.rules import coordinates_gu_of, works_in_dong
from chatdong.accounts.selectors import staff_with
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

CONCURRENT_MESSAGE = "다른 직원이 방금 이 신청을 처리했습니다. 화면을 새로 고쳐 현재 상태를 확인해 주세요."


def status_label(status: str) -> str:
    return CareRequestStatus(status).label if status in CareRequestStatus.values else status


def is_dong_staff_of(actor, care_request: CareRequest) -> bool:
    return bool(works_in_dong(actor, care_request))


def is_gu_coordinator_of(actor, care_request: CareRequest) -> bool:
    return bool(coordinates_gu_of(actor, care_request))


def ensure_dong_staff(actor, care_request: CareRequest) -> None:
    """Dong work (visit, assessment, plan, delivery, closure) is done by the request's dong."""
    if not is_dong_staff_of(actor, care_request):
        raise PermissionDenied("이 돌봄SOS 신청을 접수한 동의 직원만 처리할 수 있습니다.")


def ensure_gu_coordinator(actor, care_request: CareRequest) -> None:
    """Only the care-support team (돌봄지원단) of the request's gu approves or returns plans."""
    if not is_gu_coordinator_of(actor, care_request):
        raise PermissionDenied("케어플랜 승인·반려는 해당 구 돌봄지원단만 할 수 있습니다.")


def month_day_time(at: datetime.datetime) -> str:
    """'3월 5일 09:20' in Seoul time (no leading zero on the month or day, as Korean dates are written)."""
    local = timezone.localtime(at)
    return f"{local.month}월 {local.day}일 {local:%H:%M}"


def care_request_url(care_request: CareRequest) -> str:
    """The request page (the link in notifications and the redirect after an action)."""
    return reverse("cases:care_request_detail", args=[care_request.pk])


def lock(care_request: CareRequest) -> CareRequest:
    """The request, re-read under a row lock: concurrent actions on it queue up here, and each
    then sees the state the one before it left."""
    return (
        CareRequest.objects.select_for_update(of=("self",))
        .select_related("dong__gu", "household", "resident")
        .get(pk=care_request.pk)
    )


def run_transition(
    care_request: CareRequest,
    name: str,
    *,
    actor,
    comment: str = "",
    event_name: str | None = None,
    update=None,
) -> CareRequest:
    """Apply the named transition to a locked request and record it.

    `update(care_request)` sets the fields that change with the transition (before saving).
    A transition the state does not allow is a Korean ValidationError; a concurrent change
    that slipped past the lock (ConcurrentTransitionMixin) is one too, and the caller's
    transaction rolls back whatever it wrote.
    """
    method = getattr(care_request, name)
    from_status = care_request.status
    if not can_proceed(method, check_conditions=False):
        raise ValidationError(
            f"지금 상태('{status_label(from_status)}')에서는 '{TRANSITION_LABELS.get(event_name or name, name)}'을(를) "
            "할 수 없습니다. 화면을 새로 고쳐 현재 상태를 확인해 주세요.",
            code="invalid_transition",
        )
    if not can_proceed(method):
        raise ValidationError(_condition_message(name), code="guard")
    method()
    if update is not None:
        update(care_request)
    try:
        care_request.save()
    except ConcurrentTransition:
        raise ValidationError(CONCURRENT_MESSAGE, code="concurrent") from None
    record_event(
        care_request, event_name or name, from_status=from_status, actor=actor, comment=comment,
    )
    log(actor, care_request, AccessLog.Action.UPDATE, TRANSITION_LABELS.get(event_name or name, name))
    return care_request


def _condition_message(name: str) -> str:
    return {
        "assess": "욕구 사정을 먼저 저장해 주세요.",
        "draft_plan": "욕구 사정을 먼저 저장해 주세요.",
        "submit": "욕구 사정과 서비스가 1개 이상 있어야 승인 요청할 수 있습니다.",
        "finish_service": "제공한 서비스를 1건 이상 기록해야 서비스를 종료할 수 있습니다.",
        "close": "사후관리 점검을 기록한 뒤에 종결할 수 있습니다.",
    }.get(name, "처리 조건을 갖추지 못했습니다.")


def record_event(care_request: CareRequest, transition: str, *, from_status: str, actor, comment: str = "") -> CareRequestEvent:
    return CareRequestEvent.objects.create(
        request=care_request,
        transition=transition,
        from_status=from_status,
        to_status=care_request.status,
        actor=actor if getattr(actor, "pk", None) else None,
        comment=(comment or "").strip(),
    )


def log(actor, care_request: CareRequest, action: str, reason: str) -> None:
    log_access(
        user=actor, subject_type=AccessLog.Subject.CARE_REQUEST, subject_id=care_request.pk,
        household_id=care_request.household_id, action=action, reason=f"돌봄SOS: {reason}",
    )


def dong_team(care_request: CareRequest) -> list[User]:
    """Who is warned about a request's visit: its care managers (all the dong's care managers
    when none are assigned) and the dong's team leaders."""
    leaders = staff_with(Role.TEAM_LEADER, dong=care_request.dong_id)
    return _unique(care_managers_of(care_request) + list(leaders))


def gu_coordinators(care_request: CareRequest) -> list[User]:
    return list(
        staff_with(Role.GU_COORDINATOR, gu=care_request.dong.gu_id).order_by("pk")
    )


def care_managers_of(care_request: CareRequest) -> list[User]:
    assigned = list(care_request.care_managers.filter(is_active=True))
    if assigned:
        return assigned
    return list(staff_with(Role.CARE_MANAGER, dong=care_request.dong_id))


def _unique(users: list[User]) -> list[User]:
    seen, out = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value
