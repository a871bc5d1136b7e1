"""접수: a resident who suddenly needs care asks the dong (DOMAIN §8).

The request is filed in the actor's dong, linked to a household and a resident (created
when new), and given its visit deadline: intake time + `care_sos.visit_deadline_hours` in
force at intake (72 in the seed). The hours and the PolicyThreshold version are stored, so
a later change of the rule never moves the deadline of a request already received.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.care_sos.models import CareRequest, InformalCarer, IntakeChannel, ReasonKind, Urgency
from cases.care_sos.services.common import (
    care_request_url,
    dong_team,
    log,
    month_day_time,
    record_event,
)
from cases.models import CrisisReport, Household, ReportStatus, Resident
from cases.services.discovery import crisis_report_link_household, normalize_phone
from cases.services.households import household_create
from cases.services.residents import resident_add
from chatdong import policy
from chatdong.accounts.models import User
from chatdong.accounts.rules import is_care_manager, is_dong_staff
from chatdong.accounts.selectors import dong_staff
from chatdong.audit.models import AccessLog
from chatdong.notifications.services import notify

DEADLINE_KEY = "care_sos.visit_deadline_hours"
DUE_SOON_KEY = "care_sos.due_soon_hours"


def deadline_for(received_at: datetime.datetime) -> dict:
    """The visit deadline of a request received at `received_at`, with the policy versions used."""
    used = policy.VersionsUsed()
    hours = int(policy.read(DEADLINE_KEY, on=received_at, record=used))
    soon = int(policy.read(DUE_SOON_KEY, on=received_at, record=used))
    if hours < 1:
        raise ValidationError(f"정책 기준값 {DEADLINE_KEY}이(가) 1시간보다 작습니다. 관리자에게 확인을 요청해 주세요.")
    soon = max(0, min(soon, hours))
    due = received_at + datetime.timedelta(hours=hours)
    return {
        "visit_deadline_hours": hours,
        "visit_deadline_policy": used[DEADLINE_KEY],
        "due_soon_hours": soon,
        "due_soon_policy": used[DUE_SOON_KEY],
        "visit_due_at": due,
        "due_soon_at": due - datetime.timedelta(hours=soon),
    }


def assignable_care_managers(dong) -> list[User]:
    """Staff who can be the request's care managers: the dong's active staff, care managers first."""
    return sorted(dong_staff(dong), key=lambda u: (not is_care_manager(u), u.display_name))


def _check_choices(*, channel, reason_kind, urgency, informal_carer, reason) -> None:
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "어떤 돌봄이 왜 필요한지 상황을 입력하세요."
    if channel not in IntakeChannel.values:
        errors["channel"] = "신청 경로를 선택하세요."
    if reason_kind not in ReasonKind.values:
        errors["reason_kind"] = "돌봄이 필요한 사유를 선택하세요."
    if urgency not in Urgency.values:
        errors["urgency"] = "긴급도를 선택하세요."
    if informal_carer not in InformalCarer.values:
        errors["informal_carer"] = "비공식 돌봄자 상황을 선택하세요."
    if errors:
        raise ValidationError(errors)


def _person(*, actor, household, resident, new_household, new_resident) -> tuple[Household, Resident]:
    if household is None:
        if not new_household:
            raise ValidationError({"household": "돌봄이 필요한 분의 가구를 찾아 고르거나 새 가구의 주소를 입력하세요."})
        household = household_create(actor=actor, dong=actor.dong, **new_household)
    elif household.dong_id != actor.dong_id:
        raise ValidationError({"household": "우리 동 가구만 접수할 수 있습니다. 다른 동 가구는 그 동에서 접수합니다."})
    if resident is not None:
        if resident.household_id != household.pk:
            raise ValidationError({"resident": "고른 가구원이 이 가구의 구성원이 아닙니다."})
        if not resident.is_active:
            raise ValidationError({"resident": "사망했거나 전출한 가구원입니다."})
        return household, resident
    if not new_resident:
        raise ValidationError({"resident": "돌봄이 필요한 분을 가구원 중에서 고르거나 새로 입력하세요."})
    return household, resident_add(actor=actor, household=household, **new_resident)


@transaction.atomic
def care_request_intake(
    *,
    actor,
    channel: str,
    reason_kind: str,
    reason: str,
    informal_carer: str,
    urgency: str = Urgency.NORMAL,
    carer_note: str = "",
    household: Household | None = None,
    resident: Resident | None = None,
    new_household: dict | None = None,
    new_resident: dict | None = None,
    applicant_name: str = "",
    applicant_relation: str = "",
    applicant_phone: str = "",
    crisis_report: CrisisReport | None = None,
    received_at: datetime.datetime | None = None,
    care_managers: list | None = None,
) -> CareRequest:
    """Receive a Care SOS request in the actor's dong (DOMAIN §8: 신청·접수).

    - The person in need is a resident of a household of the dong; a new household and/or
      resident is registered through the household services (with their own access-log rows).
    - A request referred from a crisis report must come from a report of the same dong; an
      open report without a household gets linked to the request's household.
    - `received_at` defaults to now and may not lie in the future; the deadline counts from it.
    - Care managers default to the dong's active care managers; they and the team leader are
      notified in-app.
    """
    if not is_dong_staff(actor) or actor.dong_id is None:
        raise PermissionDenied("돌봄SOS 신청은 동주민센터 직원이 접수합니다.")
    _check_choices(channel=channel, reason_kind=reason_kind, urgency=urgency, informal_carer=informal_carer,
                   reason=reason)
    reason = reason.strip()
    try:
        applicant_phone = normalize_phone(applicant_phone)
    except ValidationError as exc:
        raise ValidationError({"applicant_phone": exc.messages[0]}) from None
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + datetime.timedelta(minutes=1):
        raise ValidationError({"received_at": "접수일시는 현재 이후일 수 없습니다."})
    if crisis_report is not None:
        if crisis_report.dong_id != actor.dong_id:
            raise ValidationError({"crisis_report": "우리 동의 위기가구 제보만 연계할 수 있습니다."})
        channel = IntakeChannel.CRISIS_REPORT
        if household is None and crisis_report.household_id:
            household = crisis_report.household
    managers = list(care_managers) if care_managers is not None else [
        u for u in assignable_care_managers(actor.dong) if is_care_manager(u)
    ]
    strangers = [u.display_name for u in managers if u.dong_id != actor.dong_id or not u.is_active]
    if strangers:
        raise ValidationError({"care_managers": f"우리 동 직원이 아닙니다: {', '.join(strangers)}"})

    household, resident = _person(
        actor=actor, household=household, resident=resident, new_household=new_household,
        new_resident=new_resident,
    )
    care_request = CareRequest.objects.create(
        dong_id=actor.dong_id,
        household=household,
        resident=resident,
        crisis_report=crisis_report,
        channel=channel,
        applicant_name=(applicant_name or "").strip(),
        applicant_relation=(applicant_relation or "").strip(),
        applicant_phone=applicant_phone,
        reason_kind=reason_kind,
        reason=reason,
        urgency=urgency,
        informal_carer=informal_carer,
        carer_note=(carer_note or "").strip(),
        received_at=received_at,
        received_by=actor,
        **deadline_for(received_at),
    )
    care_request.care_managers.set(managers)
    if crisis_report is not None and crisis_report.household_id is None and crisis_report.status != ReportStatus.CLOSED:
        crisis_report_link_household(actor=actor, report=crisis_report, household=household)
    record_event(care_request, "receive", from_status="", actor=actor,
                 comment=f"{care_request.get_channel_display()} · {care_request.get_urgency_display()}")
    log(actor, care_request, AccessLog.Action.CREATE, "신청 접수")

    due = timezone.localtime(care_request.visit_due_at)
    notify(
        users=[u for u in dong_team(care_request) if u.pk != actor.pk],
        kind="care_sos.received",
        title=f"돌봄SOS {care_request.number} 접수 — {month_day_time(due)}까지 방문",
        body=f"{care_request.dong} · {care_request.get_reason_kind_display()} · 긴급도 {care_request.get_urgency_display()}",
        url=care_request_url(care_request),
        dedupe_key=f"care_sos:{care_request.pk}:received",
    )
    return care_request
