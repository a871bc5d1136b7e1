import datetime

import pytest

from cases.models import Benefit
from chatdong.accounts.roles import Role
from tests.care_sos.factories import CareProviderFactory, intake
from tests.factories import DongFactory, GuFactory, HouseholdFactory, ResidentFactory, UserFactory


@pytest.fixture(autouse=True)
def _policy(db):
    """Policy seeds, the Care SOS self-pay default among them (re-added after transactional flushes)."""
    from chatdong.policy.seeds import load_median_income, seed_thresholds

    seed_thresholds()
    load_median_income()


@pytest.fixture
def gu(db):
    return GuFactory(name="시험구")


@pytest.fixture
def dong(gu):
    return DongFactory(gu=gu, name="가나동")


@pytest.fixture
def neighbour_dong(gu):
    """Another dong of the same gu (its staff are out of scope; its gu coordinator is not)."""
    return DongFactory(gu=gu, name="다라동")


@pytest.fixture
def far_dong(db):
    return DongFactory(gu=GuFactory(name="먼구"), name="마바동")


@pytest.fixture
def care_manager(dong):
    return UserFactory(role=Role.CARE_MANAGER, dong=dong, name="김돌봄", email="care1@example.org")


@pytest.fixture
def care_nurse(dong):
    return UserFactory(role=Role.CARE_MANAGER, dong=dong, name="이간호", email="care2@example.org")


@pytest.fixture
def team_leader(dong):
    return UserFactory(role=Role.TEAM_LEADER, dong=dong, name="박팀장", email="leader@example.org")


@pytest.fixture
def planner(dong):
    return UserFactory(role=Role.PLANNER, dong=dong, name="최플래너")


@pytest.fixture
def coordinator(gu):
    return UserFactory(role=Role.GU_COORDINATOR, dong=None, gu=gu, name="정지원단", email="gu@example.org")


@pytest.fixture
def coordinator2(gu):
    return UserFactory(role=Role.GU_COORDINATOR, dong=None, gu=gu, name="한지원단", email="gu2@example.org")


@pytest.fixture
def far_coordinator(far_dong):
    return UserFactory(role=Role.GU_COORDINATOR, dong=None, gu=far_dong.gu, name="먼지원단")


@pytest.fixture
def neighbour_staff(neighbour_dong):
    return UserFactory(role=Role.CARE_MANAGER, dong=neighbour_dong, name="옆동돌봄")


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.CITY_ANALYST, dong=None, gu=None, name="시분석")


@pytest.fixture
def provider(gu):
    return CareProviderFactory(gu=gu, name="한빛재가센터")


@pytest.fixture
def helper_provider(gu, dong):
    from cases.care_sos.models import CareKind, ProviderKind

    return CareProviderFactory(gu=gu, dong=dong, name="가나동 나눔반장", kind=ProviderKind.NEIGHBOURHOOD_HELPER,
                               care_kinds=[CareKind.DAILY])


@pytest.fixture
def household(dong):
    return HouseholdFactory(dong=dong, address="서울특별시 시험구 통일로 12", address_detail="3층", income_ratio=120)


@pytest.fixture
def free_household(dong):
    return HouseholdFactory(dong=dong, address="서울특별시 시험구 통일로 30", income_ratio=None,
                            benefits=[Benefit.LIVELIHOOD])


@pytest.fixture
def resident(household):
    return ResidentFactory(household=household, name="홍길순", birth_date=datetime.date(1944, 5, 1))


@pytest.fixture
def make_request(care_manager, care_nurse, team_leader, household, resident):
    """`make_request(received_at=…, **overrides)`: a request received by the dong's care manager."""

    def _make(**kwargs):
        kwargs.setdefault("actor", care_manager)
        kwargs.setdefault("household", household)
        kwargs.setdefault("resident", resident)
        return intake(**kwargs)

    return _make
