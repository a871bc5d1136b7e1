"""django-filter query parameters and cursor pagination of the list endpoints."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Benefit, Contact, CrisisReport, Household, HousingType, RiskTier
from chatdong.accounts.roles import Role
from tests.factories import HouseholdFactory, TongFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def households(world):
    dong = world.inside.dong
    tong = TongFactory(dong=dong)
    return {
        "rooftop_high": HouseholdFactory(dong=dong, tong=tong, housing_type=HousingType.ROOFTOP,
                                         risk_tier=RiskTier.HIGH, benefits=[Benefit.LIVELIHOOD, Benefit.MEDICAL]),
        "gosiwon_watch": HouseholdFactory(dong=dong, housing_type=HousingType.GOSIWON, risk_tier=RiskTier.WATCH,
                                          benefits=[Benefit.MEDICAL]),
        "apartment_none": HouseholdFactory(dong=dong, tong=tong, housing_type=HousingType.APARTMENT,
                                           benefits=[Benefit.NEAR_POOR]),
    }


def test_household_filters(world, api_for, households):
    client = api_for(world.users[Role.PLANNER])
    url = "/api/v1/households/"
    hh = households
    assert _ids(client.get(url, {"risk_tier": "high"})) == {hh["rooftop_high"].pk}
    assert _ids(client.get(url, {"risk_tier": ["high", "watch"]})) == {hh["rooftop_high"].pk, hh["gosiwon_watch"].pk}
    assert _ids(client.get(url, {"housing_type": "gosiwon"})) == {hh["gosiwon_watch"].pk}
    assert _ids(client.get(url, {"tong": hh["rooftop_high"].tong_id})) == {
        hh["rooftop_high"].pk, hh["apartment_none"].pk
    }
    # benefit: array containment, several values mean "receives all of them".
    assert _ids(client.get(url, {"benefit": "medical"})) == {hh["rooftop_high"].pk, hh["gosiwon_watch"].pk}
    assert _ids(client.get(url, {"benefit": ["medical", "livelihood"]})) == {hh["rooftop_high"].pk}
    assert _ids(client.get(url, {"dong": world.inside.dong.pk, "risk_tier": "watch"})) == {hh["gosiwon_watch"].pk}


def test_filtering_by_an_out_of_scope_dong_returns_nothing(world, api_for, households):
    client = api_for(world.users[Role.PLANNER])
    assert _ids(client.get("/api/v1/households/", {"dong": world.outside.dong.pk})) == set()
    assert _ids(client.get("/api/v1/reports/", {"dong": world.outside.dong.pk})) == set()


def test_invalid_filter_values_are_a_korean_400(world, api_for):
    client = api_for(world.users[Role.PLANNER])
    response = client.get("/api/v1/households/", {"risk_tier": "extreme"})
    assert response.status_code == 400
    assert "risk_tier" in response.json()
    response = client.get("/api/v1/contacts/", {"occurred_from": "어제"})
    assert response.status_code == 400
    assert "occurred_from" in response.json()


def test_contact_filters(world, api_for):
    household = world.inside.household
    author = world.users[Role.PLANNER]
    now = timezone.now()
    old = Contact.objects.create(household=household, mode="visit", outcome="not_home", created_by=author,
                                 occurred_at=now - datetime.timedelta(days=40))
    other = HouseholdFactory(dong=world.inside.dong)
    other_contact = Contact.objects.create(household=other, mode="phone", outcome="refused", created_by=author,
                                           occurred_at=now - datetime.timedelta(days=3))
    recent = world.inside.contact  # phone / met, yesterday
    client = api_for(author)
    url = "/api/v1/contacts/"
    assert _ids(client.get(url, {"household": household.pk})) == {old.pk, recent.pk}
    assert _ids(client.get(url, {"mode": "visit"})) == {old.pk}
    assert _ids(client.get(url, {"outcome": ["refused", "not_home"]})) == {old.pk, other_contact.pk}
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert _ids(client.get(url, {"occurred_from": since})) == {recent.pk, other_contact.pk}
    until = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert _ids(client.get(url, {"occurred_from": since, "occurred_to": until})) == {other_contact.pk}


def test_report_filters(world, api_for):
    author = world.users[Role.PLANNER]
    closed = CrisisReport.objects.create(
        dong=world.inside.dong, channel="big_data", received_at=timezone.now(), address="x", situation="y",
        status="closed", outcome="nothing_needed", created_by=author,
    )
    client = api_for(author)
    url = "/api/v1/reports/"
    assert _ids(client.get(url, {"status": "closed"})) == {closed.pk}
    assert _ids(client.get(url, {"status": "new"})) == {world.inside.report.pk}
    assert _ids(client.get(url, {"channel": "hotline"})) == {world.inside.report.pk}
    assert _ids(client.get(url, {"channel": ["hotline", "big_data"], "dong": world.inside.dong.pk})) == {
        world.inside.report.pk, closed.pk
    }


def test_resident_filter_by_household(world, api_for):
    client = api_for(world.users[Role.ADMIN])
    assert _ids(client.get("/api/v1/residents/", {"household": world.outside.household.pk})) == {
        world.outside.resident.pk
    }


def test_cursor_pagination_walks_every_row_once_in_a_stable_order(world, api_for):
    dong = world.inside.dong
    HouseholdFactory.create_batch(11, dong=dong)
    expected = set(Household.objects.filter(dong=dong).values_list("pk", flat=True))
    client = api_for(world.users[Role.PLANNER])

    seen: list[int] = []
    url = "/api/v1/households/?page_size=5"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        assert len(body["results"]) <= 5
        seen.extend(row["id"] for row in body["results"])
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == sorted(expected)  # ordered by id, each exactly once


def test_cursor_pagination_is_stable_when_rows_are_added_meanwhile(world, api_for):
    dong = world.inside.dong
    HouseholdFactory.create_batch(6, dong=dong)
    client = api_for(world.users[Role.PLANNER])
    first = client.get("/api/v1/households/?page_size=4").json()
    HouseholdFactory.create_batch(2, dong=dong)  # land at the end (higher ids)
    second = client.get(first["next"]).json()
    first_ids = [r["id"] for r in first["results"]]
    second_ids = [r["id"] for r in second["results"]]
    assert not set(first_ids) & set(second_ids)
    assert second_ids[0] > first_ids[-1]


def test_contacts_are_paginated_newest_first(world, api_for):
    author = world.users[Role.PLANNER]
    now = timezone.now()
    for days in (5, 2, 9):
        Contact.objects.create(household=world.inside.household, mode="phone", outcome="met", created_by=author,
                               occurred_at=now - datetime.timedelta(days=days))
    client = api_for(author)
    first = client.get("/api/v1/contacts/?page_size=2").json()
    second = client.get(first["next"]).json()
    times = [r["occurred_at"] for r in first["results"] + second["results"]]
    assert len(times) == 4
    parsed = [datetime.datetime.fromisoformat(t) for t in times]
    assert parsed == sorted(parsed, reverse=True)


def test_a_forged_cursor_is_a_404_not_a_500(world, api_for):
    response = api_for(world.users[Role.PLANNER]).get("/api/v1/households/", {"cursor": "!!not base64!!"})
    assert response.status_code == 404
    assert response.json() == {"detail": "페이지 커서가 올바르지 않습니다."}


def test_page_size_is_capped(world, api_for):
    dong = world.inside.dong
    HouseholdFactory.create_batch(3, dong=dong)
    response = api_for(world.users[Role.PLANNER]).get("/api/v1/households/", {"page_size": 100000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4
