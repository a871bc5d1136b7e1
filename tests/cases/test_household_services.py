import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import ContactMode, ContactOutcome, Household, RiskTier, RiskTierChange
from cases.services.contacts import contact_log
from cases.services.households import (
    cadence_due,
    household_create,
    household_update,
    risk_tier_change,
    tier_cadence_days,
)
from chatdong.audit.models import AccessLog
from tests.cases.conftest import days_ago
from tests.factories import HouseholdFactory, TongFactory

D = datetime.timedelta


def test_cadence_comes_from_policy(db, today):
    assert tier_cadence_days(RiskTier.HIGH) == 7
    assert tier_cadence_days(RiskTier.WATCH) == 30
    assert tier_cadence_days(RiskTier.CONCERN) == 60
    assert tier_cadence_days(RiskTier.CLOSED) == 180
    assert tier_cadence_days(RiskTier.NONE) is None


@pytest.mark.parametrize(("tier", "days"), [("watch", 30), ("concern", 60), ("closed", 180)])
def test_contact_sets_next_due_from_tier_cadence(household, planner, tier, days):
    Household.objects.filter(pk=household.pk).update(risk_tier=tier)
    household.refresh_from_db()
    at = days_ago(3)
    contact_log(actor=planner, household=household, mode=ContactMode.PHONE, occurred_at=at, staff=[planner],
                outcome=ContactOutcome.MET)
    household.refresh_from_db()
    assert household.last_contact_at == at
    assert household.next_contact_due == timezone.localdate(at) + D(days=days)


def test_next_action_earlier_than_cadence_wins(household, planner, today):
    contact_log(actor=planner, household=household, mode=ContactMode.VISIT, occurred_at=timezone.now(),
                staff=[planner], outcome=ContactOutcome.MET, next_action="긴급지원 서류 받기", next_action_on=today + D(days=5))
    household.refresh_from_db()
    assert household.next_contact_due == today + D(days=5)


def test_high_tier_due_for_monthly_home_visit(household, planner, today):
    Household.objects.filter(pk=household.pk).update(risk_tier=RiskTier.HIGH)
    household.refresh_from_db()
    contact_log(actor=planner, household=household, mode=ContactMode.VISIT, occurred_at=days_ago(26),
                staff=[planner], outcome=ContactOutcome.MET)
    contact_log(actor=planner, household=household, mode=ContactMode.PHONE, occurred_at=days_ago(0),
                staff=[planner], outcome=ContactOutcome.MET)
    household.refresh_from_db()
    # Weekly call would be due in 7 days, but the monthly home visit is due in 4.
    assert household.next_contact_due == today + D(days=4)


def test_never_contacted_household_with_cadence_is_due_today(household, today):
    assert cadence_due(household) == today


def test_household_create_records_tier_and_logs(dong, planner, today):
    tong = TongFactory(dong=dong, number=7)
    h = household_create(actor=planner, dong=dong, tong=tong, address="서울특별시 은평구 불광로 5", address_detail="B01",
                         housing_type="semi_basement", risk_tier=RiskTier.HIGH, tier_reason="독거노인, 반지하")
    assert h.risk_tier == RiskTier.HIGH
    assert h.next_contact_due == today
    change = h.tier_changes.get()
    assert (change.from_tier, change.to_tier, change.reason) == ("none", "high", "독거노인, 반지하")
    actions = set(AccessLog.objects.filter(household_id=h.pk).values_list("action", flat=True))
    assert {"create", "update"} <= actions


def test_household_create_out_of_scope_dong_refused(planner, other_dong):
    with pytest.raises(ValidationError) as exc:
        household_create(actor=planner, dong=other_dong, address="다른 동 주소")
    assert "담당 구역" in str(exc.value)
    assert not Household.objects.filter(address="다른 동 주소").exists()


def test_city_analyst_cannot_register_a_household(make_user, dong):
    """The analyst reads aggregates of every dong but writes no personal data, even via the service."""
    from chatdong.accounts.roles import Role

    analyst = make_user(role=Role.CITY_ANALYST)
    with pytest.raises(ValidationError) as exc:
        household_create(actor=analyst, dong=dong, address="분석담당 등록 시도")
    assert "담당 구역" in str(exc.value)
    assert not Household.objects.filter(address="분석담당 등록 시도").exists()


def test_household_tong_must_belong_to_dong(planner, household, other_dong):
    foreign = TongFactory(dong=other_dong, number=1)
    with pytest.raises(ValidationError) as exc:
        household_update(actor=planner, household=household, tong=foreign)
    assert "소속이 아닙니다" in str(exc.value)
    household.refresh_from_db()
    assert household.tong_id is None


def test_risk_tier_change_history_and_recompute(household, planner, today):
    contact_log(actor=planner, household=household, mode=ContactMode.PHONE, occurred_at=days_ago(10),
                staff=[planner], outcome=ContactOutcome.MET)
    household.refresh_from_db()
    assert household.next_contact_due == today + D(days=50)  # concern: 60 days

    risk_tier_change(actor=planner, household=household, to_tier=RiskTier.HIGH, reason="건강 악화, 고독사 위험")
    household.refresh_from_db()
    # High: 7 days from the last contact (already 3 days overdue); no home visit ever → today.
    assert household.risk_tier == RiskTier.HIGH
    assert household.next_contact_due == today - D(days=3)

    risk_tier_change(actor=planner, household=household, to_tier=RiskTier.WATCH, reason="긴급지원 연계 후 안정")
    household.refresh_from_db()
    assert household.next_contact_due == today + D(days=20)
    history = list(RiskTierChange.objects.filter(household=household).order_by("changed_at", "pk")
                   .values_list("from_tier", "to_tier"))
    assert history == [("concern", "high"), ("high", "watch")]


def test_risk_tier_change_needs_reason_and_a_change(household, planner):
    with pytest.raises(ValidationError) as exc:
        risk_tier_change(actor=planner, household=household, to_tier=RiskTier.HIGH, reason="  ")
    assert "사유" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        risk_tier_change(actor=planner, household=household, to_tier=RiskTier.CONCERN, reason="같은 등급")
    assert "이미" in str(exc.value)
    assert not RiskTierChange.objects.filter(household=household).exists()


def test_none_tier_has_no_cadence(dong, planner):
    h = HouseholdFactory(dong=dong, risk_tier=RiskTier.NONE)
    contact_log(actor=planner, household=h, mode=ContactMode.PHONE, occurred_at=timezone.now(), staff=[planner],
                outcome=ContactOutcome.MET)
    h.refresh_from_db()
    assert h.next_contact_due is None


def test_assigned_staff_must_work_in_the_dong(household, planner, outsider):
    with pytest.raises(ValidationError) as exc:
        household_update(actor=planner, household=household, planner=outsider)
    assert "동 소속 직원이 아닙니다" in str(exc.value)
    household.refresh_from_db()
    assert household.planner == planner
