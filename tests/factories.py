"""Factories for tests (factory-boy + Faker ko_KR). Apps add their own factories below."""

import factory
from factory.django import DjangoModelFactory

from chatdong.accounts.models import User
from chatdong.accounts.roles import CITY_ROLES, GU_ROLES, Role
from chatdong.areas.models import Dong, Gu, Region, Tong

factory.Faker._DEFAULT_LOCALE = "ko_KR"

TEST_PASSWORD = "test-pass-9431!"


class GuFactory(DjangoModelFactory):
    class Meta:
        model = Gu
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"테스트{n}구")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    gu = factory.SubFactory(GuFactory)
    name = factory.Sequence(lambda n: f"{n}권역")


class DongFactory(DjangoModelFactory):
    class Meta:
        model = Dong

    gu = factory.SubFactory(GuFactory)
    code = factory.Sequence(lambda n: f"T{n:07d}")
    name = factory.Sequence(lambda n: f"테스트{n}동")


class TongFactory(DjangoModelFactory):
    class Meta:
        model = Tong

    dong = factory.SubFactory(DongFactory)
    number = factory.Sequence(lambda n: n % 30000 + 1)


class UserFactory(DjangoModelFactory):
    """A staff user. Pass role=…; dong-scoped roles get a dong, gu roles a gu, city roles none."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name")
    role = Role.PLANNER
    dong = factory.LazyAttribute(
        lambda o: None if o.role in GU_ROLES | CITY_ROLES else DongFactory()
    )
    gu = factory.LazyAttribute(
        lambda o: o.dong.gu if o.dong is not None else (GuFactory() if o.role in GU_ROLES else None)
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- cases -------------------------------------------------------------------------------
import datetime  # noqa: E402

from cases.models import Household, HousingType, Relation, Resident, Sex  # noqa: E402


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    dong = factory.SubFactory(DongFactory)
    address = factory.Faker("street_address")
    address_detail = factory.Sequence(lambda n: f"{n % 20 + 1}층 {n % 9 + 1}호")
    housing_type = HousingType.MULTI_FAMILY


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Faker("name")
    relation = Relation.HEAD
    birth_date = factory.Faker("date_between", start_date=datetime.date(1930, 1, 1), end_date=datetime.date(2005, 12, 31))
    sex = Sex.FEMALE
    phone = factory.Faker("phone_number")


# --- cases: discovery ---------------------------------------------------------------------
from django.utils import timezone  # noqa: E402

from cases.models import CrisisReport, Partner, PartnerKind, ReportChannel  # noqa: E402


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    dong = factory.SubFactory(DongFactory)
    kind = PartnerKind.TONG_LEADER
    name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"010-{n % 10000:04d}-{(n * 7) % 10000:04d}")


class CrisisReportFactory(DjangoModelFactory):
    class Meta:
        model = CrisisReport

    dong = factory.SubFactory(DongFactory)
    channel = ReportChannel.HOTLINE
    reference = factory.Sequence(lambda n: f"T{n:03d}-TEST")
    received_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyFunction(timezone.now)
    address = factory.Faker("street_address")
    situation = "며칠째 인기척이 없고 우편물이 쌓여 있음"
