"""케어플랜: service lines, costs and the self-pay part; submission to the gu (DOMAIN §8).

Costs: each line is quantity × unit cost (원, rounded half up). The person pays nothing when
the household receives a basic-livelihood benefit or is near-poor, or when its income is at
or below `care_sos.free_income_ratio` % of the standard median income (성동구: 100 %);
above it they pay `care_sos.self_pay_percent` % of the total. Plans of one person approved
for the same year may not together exceed `care_sos.annual_cap_per_person` unless an
explicit reason is given. The plan stores the policy versions it used.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cases.care_sos.models import (
    APPROVED_STATES,
    PLAN_EDITABLE,
    SERVICE_KINDS,
    CareKind,
    CarePlan,
    CarePlanLine,
    CareProvider,
    CareRequest,
    CareService,
    ServiceUnit,
    decimal_text,
)
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services.common import (
    care_request_url,
    ensure_dong_staff,
    gu_coordinators,
    lock,
    log,
    run_transition,
    status_label,
)
from cases.models import Benefit
from chatdong import policy
from chatdong.audit.models import AccessLog
from chatdong.notifications.services import notify
from chatdong.policy.selectors import ThresholdMissing, median_income

FREE_RATIO_KEY = "care_sos.free_income_ratio"
SELF_PAY_KEY = "care_sos.self_pay_percent"
ANNUAL_CAP_KEY = "care_sos.annual_cap_per_person"
PLAN_DAYS_KEY = "care_sos.plan_default_days"
# 수급자·차상위 are free whatever the income figure says (성동구 돌봄SOS 비용지원).
FREE_BENEFITS = frozenset({Benefit.LIVELIHOOD, Benefit.MEDICAL, Benefit.HOUSING, Benefit.EDUCATION, Benefit.NEAR_POOR})
MAX_QUANTITY = Decimal("9999")


def line_amount(quantity: Decimal, unit_cost: int) -> int:
    return int((Decimal(quantity) * Decimal(unit_cost)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CostQuote:
    """What a plan costs and who pays, with the policy versions behind every figure."""

    total: int
    pending: int
    free: bool
    free_reason: str
    income_known: bool
    income_ratio: Decimal | None
    free_ratio: Decimal
    self_pay_percent: Decimal
    self_pay: int
    public: int
    year: int
    annual_cap: int
    used_this_year: int
    household_size: int
    median_income: int | None
    versions: dict = field(default_factory=dict)

    @property
    def cap_exceeded(self) -> bool:
        return self.used_this_year + self.total > self.annual_cap

    @property
    def self_pay_percent_text(self) -> str:
        return decimal_text(self.self_pay_percent)

    @property
    def free_ratio_text(self) -> str:
        return decimal_text(self.free_ratio)

    @property
    def cap_remaining(self) -> int:
        return self.annual_cap - self.used_this_year - self.total


def used_this_year(*, resident_id: int, year: int, exclude_request_id: int | None) -> int:
    """Total of the person's other plans approved for `year` (by the plan's start date)."""
    qs = CarePlan.objects.filter(
        request__resident_id=resident_id, request__status__in=APPROVED_STATES, period_start__year=year,
    )
    if exclude_request_id is not None:
        qs = qs.exclude(request_id=exclude_request_id)
    return int(qs.aggregate(s=Sum("total_cost"))["s"] or 0)


def plan_quote(plan: CarePlan, *, pending: int = 0) -> CostQuote:
    """The costs of `plan` (plus a line being typed, `pending` 원) under the policy in force on
    the plan's start date. Reads only; `care_plan_*` services store the result."""
    care_request = plan.request
    household = care_request.household
    on = plan.period_start
    used = policy.VersionsUsed()
    free_ratio = Decimal(str(policy.read(FREE_RATIO_KEY, on=on, record=used)))
    percent = Decimal(str(policy.read(SELF_PAY_KEY, on=on, record=used)))
    cap = int(policy.read(ANNUAL_CAP_KEY, on=on, record=used))
    total = int(plan.lines.aggregate(s=Sum("amount"))["s"] or 0) + int(pending)

    benefits = [b for b in household.benefits if b in FREE_BENEFITS]
    ratio = household.income_ratio
    if benefits:
        free, reason = True, "·".join(Benefit(b).label for b in benefits)
    elif ratio is not None and ratio <= free_ratio:
        free, reason = True, f"기준중위소득 {ratio}% (무료 기준 {free_ratio}% 이하)"
    else:
        free, reason = False, ""
    income_known = bool(benefits) or ratio is not None
    applied = Decimal(0) if free or not income_known else percent
    self_pay = int((Decimal(total) * applied / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    size = household.residents.active().count() or 1
    try:
        median = median_income(year=on.year, household_size=size)
    except (ThresholdMissing, ValueError):
        median = None
    return CostQuote(
        total=total, pending=int(pending), free=free, free_reason=reason, income_known=income_known,
        income_ratio=ratio, free_ratio=free_ratio, self_pay_percent=applied, self_pay=self_pay,
        public=total - self_pay, year=on.year, annual_cap=cap,
        used_this_year=used_this_year(resident_id=care_request.resident_id, year=on.year,
                                      exclude_request_id=care_request.pk),
        household_size=size, median_income=median, versions=used.ids(),
    )


def _store_quote(plan: CarePlan) -> CostQuote:
    quote = plan_quote(plan)
    plan.total_cost = quote.total
    plan.self_pay_percent = quote.self_pay_percent
    plan.self_pay_amount = quote.self_pay
    plan.public_amount = quote.public
    plan.income_ratio = quote.income_ratio
    plan.free_reason = quote.free_reason[:100]
    plan.household_size = quote.household_size
    plan.median_income_krw = quote.median_income
    plan.annual_cap = quote.annual_cap
    plan.used_this_year = quote.used_this_year
    plan.policy_versions = quote.versions
    plan.save()
    return quote


def _editable_plan(actor, care_request: CareRequest) -> tuple[CareRequest, CarePlan]:
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    if care_request.status not in PLAN_EDITABLE:
        raise ValidationError(
            f"지금 상태('{status_label(care_request.status)}')에서는 케어플랜을 고칠 수 없습니다. "
            "반려된 케어플랜은 '보완 시작'을 누른 뒤 고칠 수 있습니다."
        )
    return care_request, CarePlan.objects.select_for_update().get(request=care_request)


# --- writing the plan ------------------------------------------------------------------------

@transaction.atomic
def care_plan_start(*, actor, care_request: CareRequest) -> CarePlan:
    """Open the plan after the assessment (욕구 사정 완료 → 케어플랜 작성 중). The service
    period starts today and runs `care_sos.plan_default_days` days; the planner can change it."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    today = timezone.localdate()
    days = int(policy.read(PLAN_DAYS_KEY, on=today))
    holder = {}

    def update(r):
        holder["plan"] = CarePlan.objects.create(
            request=r, period_start=today, period_end=today + datetime.timedelta(days=days - 1),
            created_by=actor,
        )

    run_transition(care_request, "draft_plan", actor=actor, update=update)
    plan = holder["plan"]
    _store_quote(plan)
    return plan


@transaction.atomic
def care_plan_update(
    *, actor, care_request: CareRequest, goal: str, period_start: datetime.date, period_end: datetime.date
) -> CarePlan:
    care_request, plan = _editable_plan(actor, care_request)
    if period_start is None or period_end is None:
        raise ValidationError({"period_start": "제공 기간을 입력하세요."})
    if period_end < period_start:
        raise ValidationError({"period_end": "제공 기간의 끝이 시작보다 빠릅니다."})
    if period_start < timezone.localdate(care_request.received_at):
        raise ValidationError({"period_start": "제공 기간은 접수일 이후여야 합니다."})
    outside = plan.lines.exclude(start_on__gte=period_start, end_on__lte=period_end)
    if outside.exists():
        raise ValidationError({"period_start": "제공 기간 밖에 있는 서비스가 있습니다. 서비스 기간을 먼저 고치거나 삭제하세요."})
    plan.goal, plan.period_start, plan.period_end = (goal or "").strip(), period_start, period_end
    _store_quote(plan)
    log(actor, care_request, AccessLog.Action.UPDATE, "케어플랜 수정")
    return plan


def check_line(
    *, care_request: CareRequest, plan: CarePlan, kind: str, service: str, provider: CareProvider | None,
    quantity, unit: str, unit_cost, start_on, end_on,
) -> None:
    """The rules of a plan line (Korean errors by field); the editor's preview uses them too."""
    errors = {}
    assessed = list(getattr(getattr(care_request, "assessment", None), "care_kinds", []) or [])
    if kind not in CareKind.values:
        errors["kind"] = "돌봄 종류를 선택하세요."
    elif kind not in assessed:
        chosen = ", ".join(CareKind(k).label for k in assessed) or "없음"
        errors["kind"] = f"욕구 사정에서 정한 돌봄 종류가 아닙니다 (정한 종류: {chosen})."
    if service not in CareService.values:
        errors["service"] = "서비스를 선택하세요."
    elif kind in CareKind.values and SERVICE_KINDS[CareService(service)] != kind:
        errors["service"] = f"'{CareService(service).label}'은(는) {CareKind(kind).label} 서비스가 아닙니다."
    if provider is None:
        errors["provider"] = "제공기관을 선택하세요."
    elif not provider.active:
        errors["provider"] = f"{provider.name}은(는) 협력이 끝난 기관입니다."
    elif provider.gu_id != care_request.dong.gu_id or (provider.dong_id and provider.dong_id != care_request.dong_id):
        errors["provider"] = f"{provider.name}은(는) 이 동에서 활동하는 기관이 아닙니다."
    elif provider.care_kinds and kind in CareKind.values and kind not in provider.care_kinds:
        errors["provider"] = f"{provider.name}은(는) {CareKind(kind).label}을(를) 제공하지 않습니다."
    if quantity is None or Decimal(quantity) <= 0:
        errors["quantity"] = "수량은 0보다 커야 합니다."
    elif Decimal(quantity) > MAX_QUANTITY:
        errors["quantity"] = f"수량은 {MAX_QUANTITY:,}을(를) 넘을 수 없습니다."
    if unit not in ServiceUnit.values:
        errors["unit"] = "단위를 선택하세요."
    if unit_cost is None or int(unit_cost) < 0:
        errors["unit_cost"] = "단가는 0원 이상이어야 합니다."
    if start_on is None or end_on is None:
        errors["start_on"] = "서비스 기간을 입력하세요."
    elif end_on < start_on:
        errors["end_on"] = "서비스 종료일이 시작일보다 빠릅니다."
    elif start_on < plan.period_start or end_on > plan.period_end:
        errors["start_on"] = (
            f"서비스 기간은 케어플랜 제공 기간({plan.period_start:%Y-%m-%d}~{plan.period_end:%Y-%m-%d}) 안이어야 합니다."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def care_plan_line_add(
    *, actor, care_request: CareRequest, kind: str, service: str, provider: CareProvider | None, quantity,
    unit: str, unit_cost, start_on: datetime.date, end_on: datetime.date, note: str = "",
) -> CarePlanLine:
    care_request, plan = _editable_plan(actor, care_request)
    check_line(
        care_request=care_request, plan=plan, kind=kind, service=service, provider=provider, quantity=quantity,
        unit=unit, unit_cost=unit_cost, start_on=start_on, end_on=end_on,
    )
    line = CarePlanLine.objects.create(
        plan=plan, kind=kind, service=service, provider=provider, quantity=Decimal(quantity), unit=unit,
        unit_cost=int(unit_cost), amount=line_amount(Decimal(quantity), int(unit_cost)), start_on=start_on,
        end_on=end_on, note=(note or "").strip()[:200],
    )
    _store_quote(plan)
    log(actor, care_request, AccessLog.Action.UPDATE, f"케어플랜 서비스 추가: {line.get_service_display()}")
    return line


@transaction.atomic
def care_plan_line_remove(*, actor, care_request: CareRequest, line_id: int) -> None:
    care_request, plan = _editable_plan(actor, care_request)
    line = plan.lines.filter(pk=line_id).first()
    if line is None:
        raise ValidationError("이 케어플랜의 서비스가 아닙니다.")
    label = line.get_service_display()
    line.delete()
    _store_quote(plan)
    log(actor, care_request, AccessLog.Action.UPDATE, f"케어플랜 서비스 삭제: {label}")


# --- submission ------------------------------------------------------------------------------

@transaction.atomic
def care_plan_submit(
    *, actor, care_request: CareRequest, cap_override_reason: str = "", comment: str = ""
) -> CarePlan:
    """Ask the gu care-support team to approve the plan (again, after a return).

    Guards: an assessment and at least one line (the transition's conditions); a self-pay
    that can be computed (income known, or a benefit that makes it free); and, above the
    annual cap per person, an override reason. The figures and policy versions are frozen
    on the plan with the submission number.
    """
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    plan = CarePlan.objects.select_for_update().filter(request=care_request).first()
    if plan is None or care_request.status not in PLAN_EDITABLE:
        raise ValidationError(
            f"지금 상태('{status_label(care_request.status)}')에서는 승인 요청할 수 없습니다. "
            "화면을 새로 고쳐 현재 상태를 확인해 주세요."
        )
    quote = _store_quote(plan)
    if plan.lines.exists():
        if not quote.income_known:
            raise ValidationError(
                "가구 소득(기준중위소득 대비 %)이 등록되지 않아 본인부담금을 정할 수 없습니다. "
                "가구 정보에서 소득이나 수급 상태를 입력한 뒤 승인 요청해 주세요."
            )
        reason = (cap_override_reason or "").strip()
        if quote.cap_exceeded and not reason:
            raise ValidationError({
                "cap_override_reason": (
                    f"1인당 연간 한도 {quote.annual_cap:,}원을 넘습니다 (올해 다른 승인 {quote.used_this_year:,}원 + "
                    f"이번 {quote.total:,}원). 한도를 넘는 사유를 입력해야 승인 요청할 수 있습니다."
                )
            })
        plan.cap_override_reason = reason if quote.cap_exceeded else ""
    resubmit = care_request.status == S.REVISED
    parts = [f"총 {quote.total:,}원 (본인부담 {quote.self_pay:,}원)"]
    if plan.cap_override_reason:
        parts.append(f"연간 한도 초과 사유: {plan.cap_override_reason}")
    if comment.strip():
        parts.append(comment.strip())

    def update(r):
        plan.submission_no += 1
        plan.submitted_at = timezone.now()
        plan.submitted_by = actor
        plan.save()

    run_transition(
        care_request, "submit", actor=actor, event_name="resubmit" if resubmit else "submit",
        comment=" · ".join(parts), update=update,
    )
    notify(
        users=gu_coordinators(care_request),
        kind="care_sos.submitted",
        title=f"케어플랜 {'재' if resubmit else ''}승인 요청 — {care_request.dong} {care_request.number}",
        body=f"총 {quote.total:,}원 · 본인부담 {quote.self_pay:,}원" + (" · 연간 한도 초과" if quote.cap_exceeded else ""),
        url=care_request_url(care_request),
        dedupe_key=f"care_sos:{care_request.pk}:submitted:{plan.submission_no}",
    )
    return plan


@transaction.atomic
def care_plan_revise(*, actor, care_request: CareRequest, comment: str = "") -> CareRequest:
    """Start revising a returned plan (반려 → 보완 중); its lines become editable again."""
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    return run_transition(care_request, "revise", actor=actor, comment=comment)
