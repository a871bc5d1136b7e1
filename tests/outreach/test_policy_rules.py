"""Sweep and visit defaults are policy, not constants: a new version of the threshold changes
what the sweep or the service does, and a run records the version it used."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import HousingType, RiskTier
from chatdong.accounts.roles import Role
from chatdong.policy.services import threshold_change
from outreach.models import CampaignKind, Finding, TaskStatus, VisitTask
from outreach.services.sweeps import campaign_sweep
from outreach.services.visits import task_record_result
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory
from tests.outreach.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def _change(key: str, value, **kwargs) -> None:
    threshold_change(key=key, value=value, valid_from=timezone.localdate(), source="시험 문서", **kwargs)


def _due_in(dong, days: int):
    h = HouseholdFactory(dong=dong, risk_tier=RiskTier.WATCH,
                         next_contact_due=timezone.localdate() + datetime.timedelta(days=days))
    ResidentFactory(household=h)
    return h


def test_risk_tier_lead_days_come_from_policy_unless_the_campaign_sets_them(outreach_policy):
    dong = DongFactory()
    today = timezone.localdate()
    in_3, in_5 = _due_in(dong, 3), _due_in(dong, 5)
    campaign = CampaignFactory(kind=CampaignKind.RISK_TIER, year=today.year, dongs=[dong])
    run = campaign_sweep(campaign=campaign, today=today)
    assert set(VisitTask.objects.filter(campaign=campaign).values_list("household_id", flat=True)) == {in_3.pk}
    assert run.policy_versions["outreach.risk_tier_lead_days"]["value"] == 3

    _change("outreach.risk_tier_lead_days", 5)
    run = campaign_sweep(campaign=campaign, today=today)
    assert run.created == 1 and VisitTask.objects.filter(campaign=campaign, household=in_5).exists()
    assert run.policy_versions["outreach.risk_tier_lead_days"]["value"] == 5

    own = CampaignFactory(kind=CampaignKind.RISK_TIER, year=today.year, dongs=[dong], params={"lead_days": 0})
    run = campaign_sweep(campaign=own, today=today)
    assert run.created == 0 and "outreach.risk_tier_lead_days" not in run.policy_versions


def test_stage2_due_days_come_from_policy(outreach_policy):
    dong = DongFactory()
    officer = UserFactory(role=Role.NEIGHBOURHOOD_OFFICER, dong=dong)
    UserFactory(role=Role.PLANNER, dong=dong)
    h = HouseholdFactory(dong=dong, housing_type=HousingType.GOSIWON)
    ResidentFactory(household=h)
    campaign = CampaignFactory(kind=CampaignKind.LONELY_DEATH, year=2025, dongs=[dong])
    campaign_sweep(campaign=campaign, today=datetime.date(2025, 4, 1))
    _change("outreach.lonely_death_stage2_due_days", 4)
    task = VisitTask.objects.get(campaign=campaign, household=h)
    task_record_result(actor=officer, task=task, status=TaskStatus.DONE, finding=Finding.ANOMALY, note="우편물 쌓임")
    stage2 = VisitTask.objects.get(campaign=campaign, household=h, stage=2)
    assert stage2.due_on == timezone.localdate() + datetime.timedelta(days=4)


def test_the_counselling_benchmark_is_the_version_in_force(client, outreach_policy):
    dong = DongFactory()
    leader = UserFactory(role=Role.TEAM_LEADER, dong=dong)
    campaign = CampaignFactory(kind=CampaignKind.UNIVERSAL, year=timezone.localdate().year, dongs=[dong])
    client.force_login(leader)
    url = reverse("outreach:campaign_detail", args=[campaign.pk])
    body = client.get(url).content.decode()
    assert "2018년 서울 실적" in body and "60.6" in body
    _change("outreach.universal_counselling_rate_benchmark", 71.3, label="2025년 은평구 실적")
    body = client.get(url).content.decode()
    assert "2025년 은평구 실적" in body and "71.3" in body and "60.6" not in body
