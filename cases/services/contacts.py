"""Logging contacts (방문·전화·내소·문자) with a household. DOMAIN §3–§4."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import (
    CHECKLIST_ITEMS,
    Companion,
    Contact,
    ContactMode,
    ContactOutcome,
    Household,
    Resident,
    RiskTier,
    RiskTierChange,
)
from cases.services.households import cadence_due
from cases.services.no_response import no_response_start
from chatdong import policy
from chatdong.accounts.rules import is_dong_staff, is_in_user_dong
from chatdong.accounts.scoping import ensure_may_write
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.policy.selectors import ThresholdMissing
from chatdong.timebounds import before_records_message, before_records_start

# Answers to each of the six monitoring items (CHECKLIST_ITEMS); an item left out was not checked.
CHECKLIST_ANSWERS = (("ok", "양호"), ("concern", "관찰 필요"), ("problem", "문제 있음"))
CHECKLIST_KEYS = frozenset(key for key, _ in CHECKLIST_ITEMS)

# Revisit after an unanswered door (DOMAIN §4: day 1 sticker, day 2 morning visit) and after a
# refusal, with someone the resident trusts: days after the contact, from policy.
NOT_HOME_REVISIT_KEY = "contact.not_home_revisit_days"
REFUSED_REVISIT_KEY = "contact.refused_revisit_days"
NOT_HOME_NEXT_ACTION = "재방문 (부재 스티커 부착)"
# A log entry may be up to this far in the future (clock skew between phone and server).
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


def default_revisit_on(key: str, day: datetime.date) -> datetime.date:
    """The default revisit date after a contact on `day` (`key`: one of the *_REVISIT_KEYs)."""
    return day + datetime.timedelta(days=int(policy.read(key, on=day)))


def _validate(*, household, resident, mode, outcome, occurred_at, companions, checklist, next_action_on, staff):
    errors: dict[str, str] = {}
    if mode not in ContactMode.values:
        errors["mode"] = "상담 방법을 선택하세요."
    if outcome not in ContactOutcome.values:
        errors["outcome"] = "상담 결과를 선택하세요."
    if occurred_at is None:
        errors["occurred_at"] = "상담 일시를 입력하세요."
    elif before_records_start(occurred_at):
        errors["occurred_at"] = before_records_message("상담 일시")
    elif occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = "상담 일시가 현재보다 뒤입니다. 이미 한 상담만 기록할 수 있습니다."
    elif next_action_on is not None and next_action_on < timezone.localdate(occurred_at):
        errors["next_action_on"] = "다음 조치일은 상담일 이후여야 합니다."
    bad = [c for c in companions if c not in Companion.values]
    if bad:
        errors["companions"] = "알 수 없는 동행자 구분입니다."
    answers = {key for key, _ in CHECKLIST_ANSWERS}
    if any(k not in CHECKLIST_KEYS or v not in answers for k, v in (checklist or {}).items()):
        errors["checklist"] = "모니터링 체크리스트 항목이 올바르지 않습니다."
    if resident is not None and resident.household_id != household.pk:
        errors["resident"] = "이 가구의 가구원이 아닙니다."
    if not staff:
        errors["staff"] = "참여 직원을 한 명 이상 지정하세요."
    else:
        outsiders = [
            u for u in staff
            if not u.is_active or (is_dong_staff(u) and not is_in_user_dong(u, household))
        ]
        if outsiders:
            names = ", ".join(u.display_name for u in outsiders)
            errors["staff"] = f"이 가구의 동 소속이 아닌 직원은 참여 직원으로 지정할 수 없습니다: {names}"
    if errors:
        raise ValidationError(errors)


def _close_if_empty(*, actor, household: Household, reason: str) -> bool:
    """No active member left (all deceased or moved out): the household moves to 종결."""
    if household.residents.active().exists():
        return False
    if household.risk_tier != RiskTier.CLOSED:
        RiskTierChange.objects.create(
            household=household, from_tier=household.risk_tier, to_tier=RiskTier.CLOSED, reason=reason, changed_by=actor
        )
        household.risk_tier = RiskTier.CLOSED
    return True


# What else a logged contact settles, registered by the apps above `cases` (e.g. outreach ends
# the household's matching open visit tasks). `cases` never imports them: they register here.
ContactHook = Callable[..., object]
CONTACT_HOOKS: list[ContactHook] = []


def contact_hook(fn: ContactHook) -> ContactHook:
    """Register `fn(*, contact, actor)`: `contact_log` calls it inside its transaction, after the
    household's clock moved, so an error in it rolls the contact back too. Registering the
    same function twice (an app's `ready()` run again) keeps one entry."""
    if fn not in CONTACT_HOOKS:
        CONTACT_HOOKS.append(fn)
    return fn


def _start_no_response(*, actor, household: Household, occurred_at) -> None:
    """High-risk household not reached: start the lonely-death no-response procedure (DOMAIN §4)."""
    local = timezone.localtime(occurred_at)
    no_response_start(actor=actor, household=household, trigger=f"위험 가구 상담 부재 ({local:%Y-%m-%d %H:%M})")


@transaction.atomic
def contact_log(
    *,
    actor,
    household: Household,
    mode: str,
    occurred_at: datetime.datetime,
    staff,
    companions=(),
    outcome: str,
    checklist: dict | None = None,
    needs_found: str = "",
    notes: str = "",
    next_action: str = "",
    next_action_on: datetime.date | None = None,
    resident: Resident | None = None,
) -> Contact:
    """Record one contact and move the household's contact clock (DOMAIN §3–§4).

    Rules:
    - 만남/거부 (and 이사/사망, where someone confirmed the fact): the household was reached, so
      `last_contact_at` becomes this contact's time (never moved backwards by a late entry) and
      `next_contact_due` = min(`next_action_on`, tier cadence from this contact; for 위험 also
      the last home visit + `risk_tier.high.home_visit_days`).
    - 부재: nobody was reached, so the cadence clock does not restart: `last_contact_at` stays and
      the due date can only move earlier (min of the current due date and the next action).
      Without a next action the revisit is planned `contact.not_home_revisit_days` later
      (day-2 visit of the no-response procedure). A 위험 household not reached starts the no-response procedure
      (`cases.services.no_response.no_response_start`).
    - 사망: the given member (or the only active member) gets `deceased_on`; with several
      active members the member must be given.
    - 이사: the given member gets `moved_out_on`; without a member the whole household moved
      and every active member is marked.
    - When no active member remains after 사망/이사, the household goes to 종결 (with a tier
      history row) and has no cadence: `next_contact_due` is only the next action, if any
      (e.g. notifying the new dong).
    - Then every registered `contact_hook` runs in the same transaction (outreach: the
      household's matching open visit tasks end at once with this contact's result).
    """
    ensure_may_write(actor, household)
    companions = list(companions or [])
    staff = list(staff or [])
    checklist = dict(checklist or {})
    household = Household.objects.select_for_update().get(pk=household.pk)
    _validate(
        household=household, resident=resident, mode=mode, outcome=outcome, occurred_at=occurred_at,
        companions=companions, checklist=checklist, next_action_on=next_action_on, staff=staff,
    )
    day = timezone.localdate(occurred_at)
    active = household.residents.active()

    if outcome == ContactOutcome.NOT_HOME and next_action_on is None:
        next_action_on = default_revisit_on(NOT_HOME_REVISIT_KEY, day)
        next_action = next_action or NOT_HOME_NEXT_ACTION
    if outcome == ContactOutcome.DECEASED:
        if resident is None:
            members = list(active[:2])
            if len(members) != 1:
                raise ValidationError({"resident": "사망한 가구원을 선택하세요."})
            resident = members[0]
        if resident.deceased_on is None:
            Resident.objects.filter(pk=resident.pk).update(deceased_on=day, updated_at=timezone.now())
    if outcome == ContactOutcome.MOVED:
        targets = Resident.objects.filter(pk=resident.pk) if resident is not None else active
        targets.filter(moved_out_on__isnull=True).update(moved_out_on=day, updated_at=timezone.now())

    contact = Contact.objects.create(
        household=household, resident=resident, mode=mode, occurred_at=occurred_at, companions=companions,
        outcome=outcome, checklist=checklist, needs_found=needs_found.strip(), notes=notes.strip(),
        next_action=next_action.strip()[:200], next_action_on=next_action_on, created_by=actor,
    )
    contact.staff.set(staff)

    if outcome == ContactOutcome.NOT_HOME:
        current = household.next_contact_due
        household.next_contact_due = min(d for d in (current, next_action_on) if d is not None)
    else:
        if household.last_contact_at is None or occurred_at > household.last_contact_at:
            household.last_contact_at = occurred_at
        closed = False
        if outcome in (ContactOutcome.DECEASED, ContactOutcome.MOVED):
            reason = "가구원 사망 확인" if outcome == ContactOutcome.DECEASED else "가구 전출 확인"
            closed = _close_if_empty(actor=actor, household=household, reason=reason)
        if closed:
            household.next_contact_due = next_action_on
        else:
            try:
                due = cadence_due(household, today=day)
            except ThresholdMissing as exc:  # a date no policy version covers: the caller's error
                raise ValidationError(
                    {"occurred_at": f"{day:%Y-%m-%d}에 적용할 정책 기준값이 없어 기록할 수 없습니다 ({exc})."}
                ) from exc
            household.next_contact_due = min((d for d in (due, next_action_on) if d is not None), default=None)
    household.save(update_fields=["last_contact_at", "next_contact_due", "risk_tier", "updated_at"])

    log_access(
        user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
        action=AccessLog.Action.CREATE,
    )
    if outcome == ContactOutcome.NOT_HOME and household.risk_tier == RiskTier.HIGH:
        _start_no_response(actor=actor, household=household, occurred_at=occurred_at)
    for hook in CONTACT_HOOKS:
        hook(contact=contact, actor=actor)
    return contact


def contact_not_home_quick(*, actor, household: Household) -> Contact:
    """One tap at the door: 부재 — sticker left, revisit on day 2 (DOMAIN §4; `contact.not_home_revisit_days`)."""
    return contact_log(
        actor=actor, household=household, mode=ContactMode.VISIT, occurred_at=timezone.now(), staff=[actor],
        outcome=ContactOutcome.NOT_HOME, next_action=NOT_HOME_NEXT_ACTION,
        next_action_on=default_revisit_on(NOT_HOME_REVISIT_KEY, timezone.localdate()),
    )


def contact_refused_quick(
    *, actor, household: Household, companion: str, revisit_on: datetime.date | None = None
) -> Contact:
    """Refused at the door: plan a revisit with a companion the resident trusts (DOMAIN §4)."""
    if companion not in Companion.values:
        raise ValidationError({"companion": "재방문에 함께할 동행자를 선택하세요."})
    today = timezone.localdate()
    revisit_on = revisit_on or default_revisit_on(REFUSED_REVISIT_KEY, today)
    if revisit_on < today:
        raise ValidationError({"revisit_on": "재방문일은 오늘 이후여야 합니다."})
    return contact_log(
        actor=actor, household=household, mode=ContactMode.VISIT, occurred_at=timezone.now(), staff=[actor],
        outcome=ContactOutcome.REFUSED, next_action=f"동행 재방문 ({Companion(companion).label})",
        next_action_on=revisit_on,
    )

