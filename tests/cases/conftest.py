import datetime

import pytest
from django.utils import timezone

from cases.models import RiskTier
from cases.services.residents import resident_set_rrn
from chatdong.accounts.roles import Role
from tests.factories import HouseholdFactory, ResidentFactory, TongFactory, UserFactory


@pytest.fixture(autouse=True)
def _policy_thresholds(db):
    """The cadence thresholds (seeded by a data migration; re-seeded after transactional flushes)."""
    from chatdong.policy.seeds import seed_thresholds

    seed_thresholds()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def planner(dong):
    return UserFactory(role=Role.PLANNER, dong=dong, name="김플래너")


@pytest.fixture
def nurse(dong):
    return UserFactory(role=Role.NURSE, dong=dong, name="이간호")


@pytest.fixture
def team_leader(dong):
    return UserFactory(role=Role.TEAM_LEADER, dong=dong, name="박팀장")


@pytest.fixture
def outsider(other_dong):
    """A planner of another dong (out of scope for `dong`)."""
    return UserFactory(role=Role.PLANNER, dong=other_dong, name="최타동")


@pytest.fixture
def tong(dong):
    return TongFactory(dong=dong, number=3)


@pytest.fixture
def household(dong, planner, nurse):
    return HouseholdFactory(dong=dong, planner=planner, nurse=nurse, risk_tier=RiskTier.CONCERN,
                            address="서울특별시 은평구 통일로 123", address_detail="2층 201호")


@pytest.fixture
def resident(household):
    r = ResidentFactory(household=household, name="홍길순", birth_date=datetime.date(1948, 3, 15), phone="010-2345-6789")
    return resident_set_rrn(resident=r, rrn="480315-2345678")


def days_ago(n: int, hour: int = 10) -> datetime.datetime:
    """`hour`:00 in Seoul, `n` days before today — but never in the future: for n=0 before
    that hour (00:00–10:00 KST by default) it is a moment earlier today instead."""
    day = timezone.localdate() - datetime.timedelta(days=n)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    now = timezone.now()
    if at <= now:
        return at
    start_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return max(start_of_day, now - datetime.timedelta(seconds=1))
