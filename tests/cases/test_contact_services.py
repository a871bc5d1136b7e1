import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import (
    Contact,
    ContactMode,
    ContactOutcome,
    Household,
    NoResponseProcedure,
    RiskTier,
)
from cases.services.contacts import contact_log, contact_not_home_quick, contact_refused_quick
from chatdong.audit.models import AccessLog
from tests.cases.conftest import days_ago
from tests.factories import ResidentFactory

D = datetime.timedelta


def _log(household, actor, **kw):
    base = {"mode": ContactMode.VISIT, "occurred_at": timezone.now(), "staff": [actor], "outcome": ContactOutcome.MET}
    return contact_log(actor=actor, household=household, **{**base, **kw})


def test_contact_log_records_staff_checklist_and_logs_access(household, planner, nurse, resident):
    contact = _log(household, planner, staff=[planner, nurse], companions=["tong_leader"], resident=resident,
                   checklist={"safety": "ok", "health": "problem"}, needs_found="난방비", notes="보일러 고장",
                   next_action="에너지 바우처 신청", next_action_on=timezone.localdate() + D(days=3))
    assert set(contact.staff.all()) == {planner, nurse}
    assert contact.checklist == {"safety": "ok", "health": "problem"}
    assert contact.companions == ["tong_leader"]
    row = AccessLog.objects.filter(household_id=household.pk).latest("at")
    assert (row.action, row.user_id) == ("create", planner.pk)


def test_checklist_items_are_validated(household, planner):
    with pytest.raises(ValidationError) as exc:
        _log(household, planner, checklist={"weather": "ok"})
    assert "체크리스트" in str(exc.value)
    with pytest.raises(ValidationError):
        _log(household, planner, checklist={"safety": "great"})
    assert not Contact.objects.exists()


def test_future_contact_refused(household, planner):
    with pytest.raises(ValidationError) as exc:
        _log(household, planner, occurred_at=timezone.now() + D(hours=2))
    assert "현재보다 뒤" in str(exc.value)


def test_staff_from_another_dong_refused(household, planner, outsider):
    with pytest.raises(ValidationError) as exc:
        _log(household, planner, staff=[planner, outsider])
    assert "동 소속이 아닌" in str(exc.value)
    assert not Contact.objects.exists()


def test_late_entry_does_not_move_last_contact_back(household, planner):
    _log(household, planner, occurred_at=days_ago(1))
    _log(household, planner, occurred_at=days_ago(5))
    household.refresh_from_db()
    assert household.last_contact_at == days_ago(1)


def test_not_home_does_not_restart_the_clock(household, planner, today):
    _log(household, planner, occurred_at=days_ago(20))
    household.refresh_from_db()
    due_before = household.next_contact_due  # 40 days from today
    contact = _log(household, planner, outcome=ContactOutcome.NOT_HOME)
    household.refresh_from_db()
    assert household.last_contact_at == days_ago(20)
    assert contact.next_action_on == today + D(days=2)
    assert household.next_contact_due == today + D(days=2) < due_before


def test_not_home_never_postpones_an_overdue_household(household, planner, today):
    Household.objects.filter(pk=household.pk).update(next_contact_due=today - D(days=3))
    household.refresh_from_db()
    contact_not_home_quick(actor=planner, household=household)
    household.refresh_from_db()
    assert household.next_contact_due == today - D(days=3)


def test_not_home_at_high_risk_household_starts_no_response(household, planner):
    Household.objects.filter(pk=household.pk).update(risk_tier=RiskTier.HIGH)
    household.refresh_from_db()
    contact_not_home_quick(actor=planner, household=household)
    procedure = NoResponseProcedure.objects.get(household=household)
    assert procedure.status == "open"
    assert "부재" in procedure.trigger
    # A second unanswered visit joins the open procedure.
    contact_not_home_quick(actor=planner, household=household)
    assert NoResponseProcedure.objects.filter(household=household).count() == 1


def test_not_home_at_concern_household_starts_nothing(household, planner):
    contact_not_home_quick(actor=planner, household=household)
    assert not NoResponseProcedure.objects.exists()


def test_refused_quick_plans_revisit_with_companion(household, planner, today):
    contact = contact_refused_quick(actor=planner, household=household, companion="family")
    assert contact.outcome == "refused"
    assert contact.next_action == "동행 재방문 (가족)"
    assert contact.next_action_on == today + D(days=7)
    household.refresh_from_db()
    assert household.next_contact_due == today + D(days=7)
    with pytest.raises(ValidationError):
        contact_refused_quick(actor=planner, household=household, companion="stranger")


def test_deceased_single_member_closes_household(household, planner, resident, today):
    _log(household, planner, outcome=ContactOutcome.DECEASED, next_action="장례 지원 안내", next_action_on=today + D(days=1))
    resident.refresh_from_db()
    household.refresh_from_db()
    assert resident.deceased_on == today
    assert household.risk_tier == RiskTier.CLOSED
    assert household.next_contact_due == today + D(days=1)
    assert household.tier_changes.get().reason == "가구원 사망 확인"


def test_deceased_needs_the_member_when_several_live_there(household, planner, resident):
    ResidentFactory(household=household, name="배우자")
    with pytest.raises(ValidationError) as exc:
        _log(household, planner, outcome=ContactOutcome.DECEASED)
    assert "사망한 가구원을 선택" in str(exc.value)
    resident.refresh_from_db()
    assert resident.deceased_on is None
    assert not Contact.objects.exists()


def test_deceased_member_with_survivor_keeps_cadence(household, planner, resident, today):
    ResidentFactory(household=household, name="배우자")
    _log(household, planner, outcome=ContactOutcome.DECEASED, resident=resident)
    household.refresh_from_db()
    assert household.risk_tier == RiskTier.CONCERN
    assert household.next_contact_due == today + D(days=60)


def test_moved_household_marks_everyone_and_closes(household, planner, resident, today):
    other = ResidentFactory(household=household, name="자녀")
    _log(household, planner, outcome=ContactOutcome.MOVED)
    for r in (resident, other):
        r.refresh_from_db()
        assert r.moved_out_on == today
    household.refresh_from_db()
    assert household.risk_tier == RiskTier.CLOSED
    assert household.next_contact_due is None
