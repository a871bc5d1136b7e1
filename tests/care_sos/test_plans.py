"""Care plan money: line amounts, the self-pay part by income (free at or below the policy's
ratio, or with a basic-livelihood/near-poor benefit), the annual cap per person with an
explicit override, and the policy versions each plan stores (DOMAIN §8)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.care_sos.models import CareKind, CareService, ServiceUnit
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import plans
from chatdong.policy.models import PolicyThreshold
from chatdong.policy.selectors import version
from tests.care_sos.factories import CareProviderFactory, add_line, walk
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def drafted(make_request, care_manager, provider, **kwargs):
    return walk(make_request(**kwargs), to=S.PLAN_DRAFTED, actor=care_manager, provider=provider)


def test_line_amounts_round_half_up_and_totals_follow_every_change(make_request, care_manager, provider):
    r = drafted(make_request, care_manager, provider)
    line = add_line(actor=care_manager, care_request=r, provider=provider, quantity="2.5", unit_cost=15_555)
    assert line.amount == 38_888  # 38,887.5 rounded half up
    r.plan.refresh_from_db()
    assert r.plan.total_cost == 200_000 + 38_888
    plans.care_plan_line_remove(actor=care_manager, care_request=r, line_id=line.pk)
    r.plan.refresh_from_db()
    assert r.plan.total_cost == 200_000


def test_above_the_free_ratio_the_policy_share_is_paid(make_request, care_manager, provider, household):
    assert household.income_ratio == 120
    r = drafted(make_request, care_manager, provider)
    plan = plans.care_plan_submit(actor=care_manager, care_request=r)
    assert (plan.total_cost, plan.self_pay_percent, plan.self_pay_amount, plan.public_amount) == (
        200_000, Decimal("100"), 200_000, 0)
    on = plan.period_start
    assert plan.policy_versions == {
        key: version(key, on=on).pk
        for key in ("care_sos.free_income_ratio", "care_sos.self_pay_percent", "care_sos.annual_cap_per_person")
    }
    self_pay = PolicyThreshold.objects.get(key="care_sos.self_pay_percent")
    assert "운영 기본값" in self_pay.source and "운영 기본값" in self_pay.note


def test_at_or_below_the_free_ratio_or_with_a_benefit_it_is_free(make_request, care_manager, provider, household,
                                                                 free_household):
    household.income_ratio = Decimal("100.0")
    household.save()
    r = drafted(make_request, care_manager, provider)
    quote = plans.plan_quote(r.plan)
    assert quote.free and quote.self_pay == 0 and quote.public == 200_000
    assert "기준중위소득 100.0%" in quote.free_reason
    person = ResidentFactory(household=free_household)
    other = drafted(make_request, care_manager, provider, household=free_household, resident=person)
    quote = plans.plan_quote(other.plan)
    assert quote.free and quote.free_reason == "생계급여" and quote.income_known


def test_unknown_income_blocks_submission(make_request, care_manager, provider, household):
    household.income_ratio = None
    household.save()
    r = drafted(make_request, care_manager, provider)
    with pytest.raises(ValidationError, match="본인부담금을 정할 수 없습니다"):
        plans.care_plan_submit(actor=care_manager, care_request=r)
    r.refresh_from_db()
    assert r.status == S.PLAN_DRAFTED


def test_a_new_self_pay_version_applies_to_plans_starting_after_it(make_request, care_manager, provider):
    from chatdong.policy.services import threshold_change

    today = timezone.localdate()
    old = version("care_sos.self_pay_percent", on=today)
    new = threshold_change(key="care_sos.self_pay_percent", value=20, valid_from=today + datetime.timedelta(days=1),
                           source="시험: 구 지침")
    r = drafted(make_request, care_manager, provider)
    plan = r.plan
    assert plans.plan_quote(plan).versions["care_sos.self_pay_percent"] == old.pk
    # Starting the service tomorrow: tomorrow's rule (20 %) and its version.
    plan.lines.update(start_on=today + datetime.timedelta(days=1))
    plans.care_plan_update(actor=care_manager, care_request=r, goal="", period_start=today + datetime.timedelta(days=1),
                           period_end=plan.period_end)
    plan = plans.care_plan_submit(actor=care_manager, care_request=r)
    assert (plan.self_pay_amount, plan.policy_versions["care_sos.self_pay_percent"]) == (40_000, new.pk)


def test_annual_cap_needs_an_explicit_reason(make_request, care_manager, coordinator, provider):
    first = drafted(make_request, care_manager, provider)
    add_line(actor=care_manager, care_request=first, provider=provider, quantity="70", unit_cost=20_000)  # +1.4M
    walk(first, to=S.APPROVED, actor=care_manager, coordinator=coordinator, provider=provider)
    second = drafted(make_request, care_manager, provider)  # 200,000 more: 1.8M > 1.6M
    quote = plans.plan_quote(second.plan)
    assert (quote.used_this_year, quote.annual_cap, quote.cap_exceeded) == (1_600_000, 1_600_000, True)
    with pytest.raises(ValidationError) as exc:
        plans.care_plan_submit(actor=care_manager, care_request=second)
    assert "1,600,000원을 넘습니다" in exc.value.message_dict["cap_override_reason"][0]
    plan = plans.care_plan_submit(actor=care_manager, care_request=second, cap_override_reason="퇴원 직후 집중 돌봄 필요")
    assert plan.cap_override_reason == "퇴원 직후 집중 돌봄 필요" and plan.used_this_year == 1_600_000
    assert "연간 한도 초과 사유" in second.events.get(transition="submit").comment


def test_line_rules_in_korean(make_request, care_manager, provider, far_dong):
    r = drafted(make_request, care_manager, provider)
    plan = r.plan
    far = CareProviderFactory(gu=far_dong.gu)
    base = {"kind": CareKind.EMERGENCY, "service": CareService.TEMPORARY_HOME_CARE, "provider": provider,
            "quantity": Decimal("1"), "unit": ServiceUnit.HOUR, "unit_cost": 1000, "start_on": plan.period_start,
            "end_on": plan.period_end}
    cases = [
        ({"service": CareService.ESCORT}, "service", "긴급돌봄 서비스가 아닙니다"),
        ({"kind": CareKind.GENERAL, "service": CareService.HOSPITAL_LINK}, "kind", "욕구 사정에서 정한"),
        ({"provider": far}, "provider", "이 동에서 활동하는 기관이 아닙니다"),
        ({"quantity": Decimal("0")}, "quantity", "0보다 커야"),
        ({"unit_cost": -1}, "unit_cost", "0원 이상"),
        ({"end_on": plan.period_end + datetime.timedelta(days=5)}, "start_on", "제공 기간"),
    ]
    for change, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            plans.care_plan_line_add(actor=care_manager, care_request=r, **{**base, **change})
        assert message in " ".join(exc.value.message_dict[field]), change
    assert plan.lines.count() == 1


def test_lines_are_frozen_once_submitted(make_request, care_manager, provider):
    r = walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    with pytest.raises(ValidationError, match="케어플랜을 고칠 수 없습니다"):
        add_line(actor=care_manager, care_request=r, provider=provider)


def test_the_plan_period_default_comes_from_policy(make_request, care_manager, provider):
    from chatdong.policy.services import threshold_change

    today = timezone.localdate()
    threshold_change(key="care_sos.plan_default_days", value=14, valid_from=today, source="시험 문서")
    r = drafted(make_request, care_manager, provider)
    assert (r.plan.period_start, r.plan.period_end) == (today, today + datetime.timedelta(days=13))
