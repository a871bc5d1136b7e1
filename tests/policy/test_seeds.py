"""The shipped thresholds: every (seed) number of the domain documents, with its source."""

import datetime
import re

import pytest
from django.core.management import call_command

from chatdong.policy import read
from chatdong.policy.models import PolicyThreshold
from chatdong.policy.seeds import THRESHOLD_SEEDS, seed_thresholds
from chatdong.policy.selectors import version
from chatdong.policy.services import threshold_change

pytestmark = pytest.mark.django_db
HANGUL = re.compile(r"[가-힣]")

EXPECTED_TODAY = {
    "risk_tier.high.contact_days": 7,
    "risk_tier.high.home_visit_days": 30,
    "risk_tier.watch.contact_days": 30,
    "risk_tier.concern.contact_days": 60,
    "risk_tier.closed.contact_days": 180,
    "care_sos.visit_deadline_hours": 72,
    "care_sos.due_soon_hours": 24,
    "care_sos.free_income_ratio": 100,
    "outreach.universal_ages": [65, 70],
    "outreach.summer_window": {"start_month": 7, "end_month": 8},
    "outreach.winter_window": {"start_month": 12, "end_month": 2},
    "outreach.inactivity_hours": 72,
    "outreach.inactivity_hours.iot": 72,
    "outreach.inactivity_hours.mobile": 72,
    "outreach.parenting_child_age_min": 3,
    "outreach.parenting_child_age_max": 5,
    "discovery.reward_per_case": 50_000,
    "discovery.reward_per_reporter_year": 300_000,
    "emergency_aid.income_ratio": 85,
    "emergency_aid.medical_income_ratio": 90,
    "emergency_aid.asset_limit": 189_000_000,
    "emergency_aid.financial_asset_limit": 10_000_000,
    "emergency_aid.living_max": 3_000_000,
    "emergency_aid.medical_max": 3_000_000,
    "emergency_aid.housing_max": 3_000_000,
    "emergency_aid.childbirth_per_person": 600_000,
    "emergency_aid.funeral_per_person": 750_000,
    "emergency_aid.education.elementary": 221_600,
    "emergency_aid.education.middle": 352_700,
    "emergency_aid.education.high": 432_200,
    "emergency_aid.fuel_per_month": 96_000,
    "emergency_aid.electricity_per_year": 500_000,
    "emergency_aid.no_repeat_years": 2,
    "basic_security.income_ratio": 43,
    "basic_security.asset_limit": 135_000_000,
    "basic_security.financial_asset_limit": 30_000_000,
    "national_emergency_aid.income_ratio": 75,
    "national_emergency_aid.asset_limit": 241_000_000,
    "national_emergency_aid.financial_asset_limit": 6_000_000,
    # Rule values that were constants in code.
    "contact.not_home_revisit_days": 2,
    "contact.refused_revisit_days": 7,
    "no_response.day2_morning_due_hour": 12,
    "no_response.day2_afternoon_due_hour": 18,
    "care_sos.self_pay_percent": 100,
    "care_sos.plan_default_days": 30,
    "outreach.universal_counselling_rate_benchmark": 60.6,
    "outreach.risk_tier_lead_days": 3,
    "outreach.lonely_death_stage2_due_days": 7,
}


@pytest.mark.parametrize(("key", "expected"), sorted(EXPECTED_TODAY.items()))
def test_seeded_value_is_in_force_with_a_source(key, expected):
    row = version(key)
    assert row.value == expected
    assert HANGUL.search(row.source), f"{key}: source should name the document in Korean"
    assert HANGUL.search(row.label), f"{key}: label should be Korean"
    assert row.unit


def test_every_seed_is_stored():
    for seed in THRESHOLD_SEEDS:
        assert PolicyThreshold.objects.filter(key=seed.key, valid_from=seed.valid_from, value=seed.value).exists()


def test_sources_name_the_documents():
    seoul_plan = version("care_sos.visit_deadline_hours").source
    assert "찾아가는 동주민센터 기본계획" in seoul_plan and "72시간" in seoul_plan
    assert "수영구" in version("risk_tier.high.contact_days").source
    assert "연제구" in version("discovery.reward_per_case").source
    assert "성동구" in version("care_sos.free_income_ratio").source
    assert "인천광역시" in version("national_emergency_aid.income_ratio").source
    assert "수영구" in version("no_response.day2_afternoon_due_hour").source
    assert "60.6%" in version("outreach.universal_counselling_rate_benchmark").source


def test_operational_choices_say_so():
    for key in ("care_sos.due_soon_hours", "care_sos.annual_cap_per_person", "care_sos.follow_up_days",
                "care_sos.self_pay_percent", "care_sos.plan_default_days", "contact.refused_revisit_days",
                "no_response.day2_morning_due_hour", "no_response.day2_afternoon_due_hour",
                "outreach.risk_tier_lead_days", "outreach.lonely_death_stage2_due_days"):
        assert "운영 기본값" in version(key).note, key


def test_versions_follow_the_documents_over_time():
    assert read("emergency_aid.medical_income_ratio", on=datetime.date(2018, 6, 1)) == 85
    assert read("emergency_aid.medical_income_ratio", on=datetime.date(2019, 1, 1)) == 90
    assert read("national_emergency_aid.income_ratio", on=datetime.date(2022, 1, 1)) == 75


def test_seeding_again_changes_nothing():
    before = list(PolicyThreshold.objects.order_by("pk").values())
    assert seed_thresholds() == (0, [])
    call_command("seed_policy", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(PolicyThreshold.objects.order_by("pk").values()) == before


def test_seeding_keeps_admin_changes(admin_user):
    from django.utils import timezone

    start = timezone.localdate() + datetime.timedelta(days=3)
    threshold_change(key="care_sos.due_soon_hours", value=12, valid_from=start, source="운영위원회 결정", actor=admin_user)
    assert seed_thresholds() == (0, [])
    assert read("care_sos.due_soon_hours", on=start) == 12
    assert version("care_sos.due_soon_hours",
                   on=start - datetime.timedelta(days=1)).valid_to == start - datetime.timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_seeds_come_back_after_a_flush():
    """Transactional tests empty every table; post_migrate (emitted by flush) re-seeds."""
    call_command("flush", interactive=False, verbosity=0)
    assert read("care_sos.visit_deadline_hours") == 72
    from chatdong.policy.selectors import median_income

    assert median_income(year=2024, household_size=4) == 5_729_913
