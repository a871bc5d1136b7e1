"""Factories for outreach tests (kept here so the shared tests/factories.py stays small)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from outreach.models import ActivityDevice, Campaign, CampaignKind, DeviceKind
from tests.factories import DongFactory, HouseholdFactory


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    kind = CampaignKind.UNIVERSAL
    name = factory.Sequence(lambda n: f"테스트 캠페인 {n}")
    year = 2025
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    due_days = 30

    @factory.post_generation
    def dongs(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.dongs.set(extracted)


class ActivityDeviceFactory(DjangoModelFactory):
    class Meta:
        model = ActivityDevice

    external_id = factory.Sequence(lambda n: f"DEV-{n:06d}")
    kind = DeviceKind.IOT
    household = factory.SubFactory(HouseholdFactory, dong=factory.SubFactory(DongFactory))
