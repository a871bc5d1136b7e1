import datetime

import pytest

from chatdong.policy.models import PolicyThreshold

# The policy keys the outreach sweeps read, with the seeded values (DOMAIN §5–§6).
OUTREACH_POLICY = {
    "outreach.universal_ages": [65, 70],
    "outreach.parenting_child_age_min": 3,
    "outreach.parenting_child_age_max": 5,
    "outreach.summer_window": {"start_month": 7, "end_month": 8},
    "outreach.winter_window": {"start_month": 12, "end_month": 2},
    "outreach.inactivity_hours": 72,
    "outreach.inactivity_hours.iot": 72,
    "outreach.inactivity_hours.mobile": 72,
    "risk_tier.high.contact_days": 7,
    "risk_tier.high.home_visit_days": 30,
    "risk_tier.watch.contact_days": 30,
    "risk_tier.concern.contact_days": 60,
    "risk_tier.closed.contact_days": 180,
}


def ensure_policy(key, value, *, valid_from=datetime.date(2000, 1, 1)):
    """A version of `key` in force from 2000 on, unless the seed migration already has one."""
    if not PolicyThreshold.objects.filter(key=key).exists():
        PolicyThreshold.objects.create(key=key, value=value, valid_from=valid_from, source="테스트")


@pytest.fixture
def outreach_policy(db):
    for key, value in OUTREACH_POLICY.items():
        ensure_policy(key, value)
