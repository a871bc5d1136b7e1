"""Cohorts of the other campaign kinds, on crafted households."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import HousingType, RiskTier
from chatdong.accounts.roles import Role
from outreach.models import CampaignKind, HomeCareAllowance, SweepRun, VisitTask
from outreach.services.campaigns import campaign_create, window_period
from outreach.services.sweeps import SweepError, campaign_sweep
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory
from tests.outreach.factories import CampaignFactory

D = datetime.date


def household(dong, *, members=1, **kwargs):
    h = HouseholdFactory(dong=dong, **kwargs)
    for _ in range(members):
        ResidentFactory(household=h)
    return h


def swept(campaign, today):
    campaign_sweep(campaign=campaign, today=today)
    return set(VisitTask.objects.filter(campaign=campaign).values_list("household_id", flat=True))


def test_parenting(outreach_policy):
    dong = DongFactory()
    birth = HouseholdFactory(dong=dong)
    ResidentFactory(household=birth, birth_date=D(2025, 3, 1))
    allowance = HouseholdFactory(dong=dong)
    child = ResidentFactory(household=allowance, birth_date=D(2021, 5, 1))  # 4 on 2025-06-01
    HomeCareAllowance.objects.create(resident=child, valid_from=D(2023, 1, 1))
    no_allowance = HouseholdFactory(dong=dong)
    ResidentFactory(household=no_allowance, birth_date=D(2021, 5, 2))
    too_old = HouseholdFactory(dong=dong)
    old_child = ResidentFactory(household=too_old, birth_date=D(2019, 5, 31))  # 6 on 2025-06-01
    HomeCareAllowance.objects.create(resident=old_child, valid_from=D(2020, 1, 1))
    ended = HouseholdFactory(dong=dong)
    ended_child = ResidentFactory(household=ended, birth_date=D(2022, 1, 1))
    HomeCareAllowance.objects.create(resident=ended_child, valid_from=D(2022, 2, 1), valid_to=D(2024, 12, 31))
    campaign = CampaignFactory(kind=CampaignKind.PARENTING, year=2025, dongs=[dong])
    assert swept(campaign, D(2025, 6, 1)) == {birth.pk, allowance.pk}
    reasons = dict(VisitTask.objects.values_list("household_id", "reason"))
    assert reasons[birth.pk] == "출산 가구" and "만 3~5세" in reasons[allowance.pk]


def test_crisis_summer(outreach_policy):
    dong = DongFactory()
    cutoff = household(dong, cutoffs=["electricity"], housing_type=HousingType.APARTMENT, members=3)
    arrears = household(dong, arrears=["rent"], housing_type=HousingType.APARTMENT, members=2)
    alone_vulnerable = household(dong, housing_type=HousingType.SEMI_BASEMENT)
    high = household(dong, risk_tier=RiskTier.HIGH, housing_type=HousingType.APARTMENT, members=2)
    household(dong, housing_type=HousingType.SEMI_BASEMENT, members=2)  # not alone
    household(dong, housing_type=HousingType.APARTMENT)                 # alone, not vulnerable
    empty = HouseholdFactory(dong=dong, cutoffs=["water"])              # nobody lives there any more
    ResidentFactory(household=empty, moved_out_on=D(2024, 1, 1))
    campaign = CampaignFactory(kind=CampaignKind.SUMMER, year=2025, period_start=D(2025, 7, 1),
                               period_end=D(2025, 8, 31), dongs=[dong])
    assert swept(campaign, D(2025, 7, 1)) == {cutoff.pk, arrears.pk, alone_vulnerable.pk, high.pk}
    assert VisitTask.objects.get(household=alone_vulnerable).reason == "취약주거 1인가구"
    run = SweepRun.objects.get(campaign=campaign)
    assert "outreach.summer_window" in run.policy_versions


def test_windows_from_policy(outreach_policy):
    assert window_period(CampaignKind.SUMMER, 2025) == (D(2025, 7, 1), D(2025, 8, 31))
    assert window_period(CampaignKind.WINTER, 2025) == (D(2025, 12, 1), D(2026, 2, 28))
    assert window_period(CampaignKind.WINTER, 2027) == (D(2027, 12, 1), D(2028, 2, 29))


def test_lonely_death_two_stages(outreach_policy):
    dong = DongFactory()
    officer = UserFactory(role=Role.NEIGHBOURHOOD_OFFICER, dong=dong)
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    targets = [household(dong, housing_type=h) for h in
               (HousingType.GOSIWON, HousingType.ROOFTOP, HousingType.SEMI_BASEMENT, HousingType.MULTI_FAMILY)]
    household(dong, housing_type=HousingType.GOSIWON, members=2)
    household(dong, housing_type=HousingType.APARTMENT)
    campaign = CampaignFactory(kind=CampaignKind.LONELY_DEATH, year=2025, dongs=[dong])
    assert swept(campaign, D(2025, 4, 1)) == {t.pk for t in targets}
    stage1 = VisitTask.objects.filter(campaign=campaign)
    assert set(stage1.values_list("assignee_id", flat=True)) == {officer.pk}
    assert stage1.get(household=targets[0]).reason == "1인가구 실태조사 1단계(고시원)"
    assert planner.pk  # stage 2 is tested in test_visits


def test_risk_tier_monitoring_nobody_falls_off(outreach_policy):
    dong = DongFactory()
    today = D(2025, 5, 10)
    overdue = household(dong, risk_tier=RiskTier.HIGH, next_contact_due=D(2025, 5, 1))
    soon = household(dong, risk_tier=RiskTier.WATCH, next_contact_due=D(2025, 5, 12))
    later = household(dong, risk_tier=RiskTier.CONCERN, next_contact_due=D(2025, 6, 30))
    no_date = household(dong, risk_tier=RiskTier.CONCERN, next_contact_due=None)
    household(dong, risk_tier=RiskTier.NONE, next_contact_due=D(2025, 5, 1))
    campaign = CampaignFactory(kind=CampaignKind.RISK_TIER, year=2025, dongs=[dong])
    assert swept(campaign, today) == {overdue.pk, soon.pk, no_date.pk}
    assert later.pk
    task = VisitTask.objects.get(household=overdue)
    assert task.due_on == D(2025, 5, 1) and task.priority == "urgent" and task.cycle == "2025-05-10"
    # the next day: open tasks are not duplicated
    assert campaign_sweep(campaign=campaign, today=D(2025, 5, 11)).created == 0
    # a closed task for a household still due → a new task on the next run
    VisitTask.objects.filter(household=soon).update(status="not_home")
    assert campaign_sweep(campaign=campaign, today=D(2025, 5, 12)).created == 1
    assert VisitTask.objects.filter(household=soon).count() == 2


def test_targeted_filters(outreach_policy):
    dong = DongFactory()
    admin = UserFactory(role=Role.ADMIN)
    old_alone = HouseholdFactory(dong=dong, housing_type=HousingType.ROOFTOP)
    ResidentFactory(household=old_alone, birth_date=D(1940, 1, 1))
    young_alone = HouseholdFactory(dong=dong, housing_type=HousingType.ROOFTOP)
    ResidentFactory(household=young_alone, birth_date=D(1990, 1, 1))
    old_family = HouseholdFactory(dong=dong, housing_type=HousingType.ROOFTOP)
    ResidentFactory(household=old_family, birth_date=D(1940, 1, 1))
    ResidentFactory(household=old_family, birth_date=D(1980, 1, 1))
    with pytest.raises(ValidationError):
        campaign_create(actor=admin, kind=CampaignKind.TARGETED, name="폭염", year=2025, dongs=[dong], params={})
    campaign = campaign_create(
        actor=admin, kind=CampaignKind.TARGETED, name="폭염 기획조사", year=2025, dongs=[dong],
        params={"age_min": 75, "housing_types": [HousingType.ROOFTOP], "living_alone": True},
    )
    assert swept(campaign, D(2025, 8, 1)) == {old_alone.pk}


def test_campaign_scope_and_roles(outreach_policy):
    dong, other = DongFactory(), DongFactory()
    leader = UserFactory(role=Role.TEAM_LEADER, dong=dong)
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    with pytest.raises(ValidationError, match="권한"):
        campaign_create(actor=planner, kind=CampaignKind.UNIVERSAL, name="x", year=2025, dongs=[dong])
    with pytest.raises(ValidationError):
        campaign_create(actor=leader, kind=CampaignKind.UNIVERSAL, name="x", year=2025, dongs=[other])
    with pytest.raises(ValidationError):  # city-wide is for admins
        campaign_create(actor=leader, kind=CampaignKind.UNIVERSAL, name="x", year=2025, dongs=[])
    winter = campaign_create(actor=leader, kind=CampaignKind.WINTER, name="동절기", year=2025, dongs=[dong])
    assert (winter.period_start, winter.period_end) == (D(2025, 12, 1), D(2026, 2, 28))


def test_inactive_campaign_and_unsweepable_kind(outreach_policy):
    campaign = CampaignFactory(active=False)
    with pytest.raises(SweepError, match="사용 중지"):
        campaign_sweep(campaign=campaign, today=D(2025, 1, 2))
    run = SweepRun.objects.get(campaign=campaign)
    assert run.status == SweepRun.Status.FAILED and "사용 중지" in run.errors
