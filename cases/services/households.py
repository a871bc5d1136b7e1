"""Writing households: registration, edits, risk tier and the contact cadence. DOMAIN §3.

Every function here writes its AccessLog row (열람기록) in the same transaction as the
change, so no path can change a household record without leaving a trace.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Contact, ContactMode, ContactOutcome, Household, RiskTier, RiskTierChange
from chatdong import policy
from chatdong.accounts.scoping import ensure_may_write, may_write_in_dong
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

# Fields a household form may set (everything else is derived: tier, dates, timestamps).
HOUSEHOLD_FIELDS = (
    "dong", "tong", "ban", "address", "address_detail", "registered_dong", "registered_address",
    "housing_type", "tenure", "benefits", "income_ratio", "arrears", "cutoffs", "planner", "nurse", "note",
)

# Outcomes in which somebody in the household was actually reached. Only these restart the
# cadence clock: an unanswered door (부재) never postpones the next contact (DOMAIN §4).
REACHED_OUTCOMES = frozenset({ContactOutcome.MET, ContactOutcome.REFUSED})


# --- cadence ---------------------------------------------------------------------------------

def tier_cadence_days(tier: str, *, on: datetime.date | None = None) -> int | None:
    """Days between contacts for a tier (policy `risk_tier.<tier>.contact_days`); None for 미분류."""
    if tier == RiskTier.NONE:
        return None
    return int(policy.read(f"risk_tier.{tier}.contact_days", on=on))


def home_visit_days(*, on: datetime.date | None = None) -> int:
    """High-risk households also need a home visit at least this often (policy)."""
    return int(policy.read("risk_tier.high.home_visit_days", on=on))


def _local_date(at: datetime.datetime | None) -> datetime.date | None:
    if at is None:
        return None
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _last_home_visit(household: Household) -> datetime.date | None:
    at = (
        Contact.objects.filter(household=household, mode=ContactMode.VISIT, outcome=ContactOutcome.MET)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return _local_date(at)


def cadence_due(household: Household, *, today: datetime.date | None = None) -> datetime.date | None:
    """When the tier cadence next asks for a contact, from the last reached contact.

    A household never reached is due today. 위험 households are also due a home visit
    `risk_tier.high.home_visit_days` after the last one (DOMAIN §3: call or visit weekly and a
    home visit at least monthly); whichever comes first wins.
    """
    today = today or timezone.localdate()
    days = tier_cadence_days(household.risk_tier, on=today)
    if days is None:
        return None
    last = _local_date(household.last_contact_at)
    due = last + datetime.timedelta(days=days) if last else today
    if household.risk_tier == RiskTier.HIGH:
        last_visit = _last_home_visit(household)
        visit_due = last_visit + datetime.timedelta(days=home_visit_days(on=today)) if last_visit else today
        due = min(due, visit_due)
    return due


def _earliest(*dates: datetime.date | None) -> datetime.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def _pending_next_action(household: Household) -> datetime.date | None:
    return (
        Contact.objects.filter(household=household)
        .order_by("-occurred_at", "-pk")
        .values_list("next_action_on", flat=True)
        .first()
    )


def next_due_recompute(household: Household, *, today: datetime.date | None = None) -> datetime.date | None:
    """min(next action of the latest contact, tier cadence from the last reached contact)."""
    return _earliest(_pending_next_action(household), cadence_due(household, today=today))


# --- registration and edits --------------------------------------------------------------------

def _check_dong_in_scope(*, actor, dong) -> None:
    if not may_write_in_dong(actor, dong):
        raise ValidationError({"dong": "담당 구역이 아닌 동에는 가구를 등록할 수 없습니다."})


def _check_tong(*, dong, tong) -> None:
    if tong is not None and tong.dong_id != dong.pk:
        raise ValidationError({"tong": f"{tong.number}통은 {dong.name} 소속이 아닙니다."})


def _check_assignees(household: Household) -> None:
    """The assigned planner and nurse work in the household's dong."""
    errors = {}
    for name in ("planner", "nurse"):
        user = getattr(household, name)
        if user is not None and user.dong_id != household.dong_id:
            errors[name] = f"{user.display_name} 님은 이 가구의 동 소속 직원이 아닙니다."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def household_create(*, actor, risk_tier: str = RiskTier.NONE, tier_reason: str = "", **fields) -> Household:
    """Register a household in the actor's area.

    A tier other than 미분류 is recorded as the first RiskTierChange (reason: `tier_reason` or
    "최초 등록"), and a household with a cadence is due today: nobody has contacted it yet.
    """
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    dong = fields.get("dong")
    _check_dong_in_scope(actor=actor, dong=dong)
    _check_tong(dong=dong, tong=fields.get("tong"))
    household = Household(**fields, risk_tier=RiskTier.NONE)
    _check_assignees(household)
    household.full_clean()
    household.save()
    log_access(
        user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
        action=AccessLog.Action.CREATE,
    )
    if risk_tier != RiskTier.NONE:
        risk_tier_change(actor=actor, household=household, to_tier=risk_tier, reason=tier_reason or "최초 등록")
        household.refresh_from_db()
    return household


@transaction.atomic
def household_update(*, actor, household: Household, **fields) -> Household:
    """Edit a household's descriptive fields. The tier changes only through `risk_tier_change`."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    household = Household.objects.select_for_update().get(pk=household.pk)
    ensure_may_write(actor, household)
    if "dong" in fields and fields["dong"].pk != household.dong_id:
        _check_dong_in_scope(actor=actor, dong=fields["dong"])
    for name, value in fields.items():
        setattr(household, name, value)
    _check_tong(dong=household.dong, tong=household.tong)
    _check_assignees(household)
    household.full_clean()
    household.save()
    log_access(
        user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
        action=AccessLog.Action.UPDATE,
    )
    return household


# --- risk tier -----------------------------------------------------------------------------

@transaction.atomic
def risk_tier_change(*, actor, household: Household, to_tier: str, reason: str) -> RiskTierChange:
    """Move a household to another lonely-death risk tier (DOMAIN §3) with a reason.

    Appends a RiskTierChange row (the history shown on the household page) and recomputes
    `next_contact_due` from the new tier's cadence: min(the latest contact's next action,
    last reached contact + cadence; today if never reached).
    """
    ensure_may_write(actor, household)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "등급 변경 사유를 입력하세요."})
    if to_tier not in RiskTier.values:
        raise ValidationError({"to_tier": "올바른 위험 등급을 선택하세요."})
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.risk_tier == to_tier:
        raise ValidationError({"to_tier": f"이미 '{RiskTier(to_tier).label}' 등급입니다."})
    change = RiskTierChange.objects.create(
        household=household, from_tier=household.risk_tier, to_tier=to_tier, reason=reason[:300], changed_by=actor
    )
    household.risk_tier = to_tier
    household.next_contact_due = next_due_recompute(household)
    household.save(update_fields=["risk_tier", "next_contact_due", "updated_at"])
    log_access(
        user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
        action=AccessLog.Action.UPDATE, reason=f"위험 등급 변경: {reason}",
    )
    return change
