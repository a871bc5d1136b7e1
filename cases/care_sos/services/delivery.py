"""Service delivery and follow-up (DOMAIN §8: 서비스 연계, 사후관리).

The first delivery of an approved plan starts the service. Ending the service sets the
follow-up check `care_sos.follow_up_days` after the last delivery (version stored); the
request closes with an outcome once the follow-up check is recorded.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.care_sos.models import (
    CarePlanLine,
    CareProvider,
    CareRequest,
    CloseOutcome,
    ServiceDelivery,
)
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services.common import (
    ensure_dong_staff,
    lock,
    log,
    required_text,
    run_transition,
    status_label,
)
from cases.care_sos.services.plans import MAX_QUANTITY, line_amount
from chatdong import policy
from chatdong.audit.models import AccessLog

FOLLOW_UP_KEY = "care_sos.follow_up_days"


@transaction.atomic
def service_delivery_record(
    *,
    actor,
    care_request: CareRequest,
    line: CarePlanLine,
    delivered_on: datetime.date,
    quantity,
    result_note: str,
    cost: int | None = None,
    provider: CareProvider | None = None,
) -> ServiceDelivery:
    """Record a service actually delivered (date, provider, quantity, cost, the provider's
    result note). Only for an approved plan's lines, within the plan period, not in the
    future. The cost defaults to quantity × the line's unit cost."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    if care_request.status not in (S.APPROVED, S.IN_SERVICE):
        raise ValidationError(
            f"지금 상태('{status_label(care_request.status)}')에서는 서비스 제공을 기록할 수 없습니다. "
            "승인된 케어플랜의 서비스만 기록합니다."
        )
    plan = care_request.plan
    if line is None or line.plan_id != plan.pk:
        raise ValidationError({"line": "승인된 케어플랜의 서비스를 선택하세요."})
    result_note = required_text(result_note, "result_note", "제공기관이 알려 준 제공 결과를 입력하세요.")
    errors = {}
    today = timezone.localdate()
    if delivered_on is None:
        errors["delivered_on"] = "제공일을 입력하세요."
    elif delivered_on > today:
        errors["delivered_on"] = "제공일은 오늘 이후일 수 없습니다."
    elif not plan.period_start <= delivered_on <= plan.period_end:
        errors["delivered_on"] = (
            f"제공일은 케어플랜 제공 기간({plan.period_start:%Y-%m-%d}~{plan.period_end:%Y-%m-%d}) 안이어야 합니다."
        )
    if quantity is None or Decimal(quantity) <= 0:
        errors["quantity"] = "수량은 0보다 커야 합니다."
    elif Decimal(quantity) > MAX_QUANTITY:
        errors["quantity"] = f"수량은 {MAX_QUANTITY:,}을(를) 넘을 수 없습니다."
    if cost is not None and int(cost) < 0:
        errors["cost"] = "비용은 0원 이상이어야 합니다."
    provider = provider or line.provider
    if provider.gu_id != care_request.dong.gu_id:
        errors["provider"] = f"{provider.name}은(는) 이 구에서 활동하는 기관이 아닙니다."
    if errors:
        raise ValidationError(errors)
    if care_request.status == S.APPROVED:
        run_transition(care_request, "start_service", actor=actor,
                       comment=f"{delivered_on:%Y-%m-%d} {line.get_service_display()} 첫 제공")
    delivery = ServiceDelivery.objects.create(
        request=care_request, line=line, provider=provider, delivered_on=delivered_on, quantity=Decimal(quantity),
        cost=int(cost) if cost is not None else line_amount(Decimal(quantity), line.unit_cost),
        result_note=result_note, recorded_by=actor,
    )
    log(actor, care_request, AccessLog.Action.UPDATE, f"서비스 제공 기록: {line.get_service_display()}")
    return delivery


@transaction.atomic
def care_request_finish_service(*, actor, care_request: CareRequest, comment: str = "") -> CareRequest:
    """End the service and plan the follow-up check: last delivery + follow-up days (policy in
    force on the last delivery date; the version is stored on the request)."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    last = ServiceDelivery.objects.filter(request=care_request).aggregate(m=Max("delivered_on"))["m"]
    days = row = None
    if last is not None:
        used = policy.VersionsUsed()
        days = int(policy.read(FOLLOW_UP_KEY, on=last, record=used))
        row = used[FOLLOW_UP_KEY]

    def update(r):
        r.follow_up_days = days
        r.follow_up_policy = row
        r.follow_up_due = last + datetime.timedelta(days=days)

    due_text = f"사후관리 점검 예정 {last + datetime.timedelta(days=days):%Y-%m-%d}" if last else ""
    return run_transition(
        care_request, "finish_service", actor=actor,
        comment=" · ".join(p for p in (due_text, (comment or "").strip()) if p), update=update,
    )


@transaction.atomic
def care_request_record_follow_up(
    *, actor, care_request: CareRequest, checked_on: datetime.date, note: str
) -> CareRequest:
    """사후관리 점검: how the person is doing after the service."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    note = required_text(note, "note", "사후관리 점검 내용을 입력하세요.")
    if checked_on is None:
        raise ValidationError({"checked_on": "점검일을 입력하세요."})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "점검일은 오늘 이후일 수 없습니다."})
    last = ServiceDelivery.objects.filter(request=care_request).aggregate(m=Max("delivered_on"))["m"]
    if last is not None and checked_on < last:
        raise ValidationError({"checked_on": f"점검일은 마지막 서비스 제공일({last:%Y-%m-%d}) 이후여야 합니다."})

    def update(r):
        r.follow_up_on = checked_on
        r.follow_up_note = note

    early = care_request.follow_up_due is not None and checked_on < care_request.follow_up_due
    return run_transition(
        care_request, "record_follow_up", actor=actor,
        comment=f"{checked_on:%Y-%m-%d} 점검{' (예정일 전)' if early else ''}: {note}", update=update,
    )


@transaction.atomic
def care_request_close(*, actor, care_request: CareRequest, outcome: str, note: str = "") -> CareRequest:
    """종결 with an outcome, after the follow-up check."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    if outcome not in CloseOutcome.values:
        raise ValidationError({"outcome": "종결 결과를 선택하세요."})
    note = (note or "").strip()

    def update(r):
        r.outcome = outcome
        r.outcome_note = note
        r.closed_at = timezone.now()

    label = CloseOutcome(outcome).label
    return run_transition(
        care_request, "close", actor=actor, comment=f"{label}. {note}".strip(". ") if note else label, update=update,
    )

