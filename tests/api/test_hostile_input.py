"""Inputs found by fuzzing that used to end in a 500: each answers a 4xx in JSON now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, Household, RiskTier
from chatdong.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _contact(world, api_for, occurred_at: str, outcome="met"):
    household = world.inside.household
    Household.objects.filter(pk=household.pk).update(risk_tier=RiskTier.WATCH)
    return api_for(world.users[Role.PLANNER]).post(
        reverse("api:contact-list"),
        {"household": household.pk, "mode": "visit", "occurred_at": occurred_at, "outcome": outcome},
        format="json",
    )


@pytest.mark.parametrize("occurred_at", ["2017-12-31T23:59:00+09:00", "0179-03-01T10:00:00+09:00", "0001-01-01T00:00:00Z"])
@pytest.mark.parametrize("outcome", ["met", "not_home"])
def test_contact_before_records_start_is_a_korean_400(world, api_for, occurred_at, outcome):
    before = Contact.objects.count()
    response = _contact(world, api_for, occurred_at, outcome)
    assert response.status_code == 400, response.content
    assert "2018-01-01 이후" in response.json()["occurred_at"][0]
    assert Contact.objects.count() == before


def test_contact_far_in_the_future_is_a_korean_400(world, api_for):
    response = _contact(world, api_for, "9999-12-31T23:59:59+09:00")
    assert response.status_code == 400 and "현재보다 뒤" in response.json()["occurred_at"][0]


def test_contact_service_refuses_dates_before_records_start(world):
    from django.core.exceptions import ValidationError

    from cases.services.contacts import contact_log

    user = world.users[Role.PLANNER]
    with pytest.raises(ValidationError, match="2018-01-01 이후"):
        contact_log(actor=user, household=world.inside.household, mode="visit", staff=[user], outcome="met",
                    occurred_at=datetime.datetime(179, 3, 1, tzinfo=datetime.UTC))


def test_contact_on_a_date_no_policy_covers_is_a_korean_400(world, api_for, monkeypatch):
    """A date after the records start that no version of a cadence threshold covers (a key
    that begins later): 400 with the policy's message, not ThresholdMissing."""
    from cases.services import contacts
    from chatdong.policy.selectors import ThresholdMissing

    def missing(*args, **kwargs):
        raise ThresholdMissing("정책 기준값 'risk_tier.watch.contact_days'이(가) 2018-03-01에 적용되는 버전이 없습니다.")

    monkeypatch.setattr(contacts, "cadence_due", missing)
    before = Contact.objects.count()
    response = _contact(world, api_for, "2018-03-01T10:00:00+09:00")
    assert response.status_code == 400, response.content
    assert "정책 기준값" in response.json()["occurred_at"][0]
    assert Contact.objects.count() == before


def test_date_times_come_back_as_rfc3339(world, api_for):
    """Stored before the bounds existed: a year-179 contact still reads back as RFC 3339."""
    user = world.users[Role.PLANNER]
    contact = Contact.objects.create(household=world.inside.household, created_by=user,
                                     occurred_at=datetime.datetime(179, 3, 1, 1, 2, 3, tzinfo=datetime.UTC))
    body = api_for(world.users[Role.PLANNER]).get(reverse("api:contact-detail", kwargs={"pk": contact.pk})).json()
    assert body["occurred_at"] == "0179-03-01T01:02:03Z"
    recent = Contact.objects.create(household=world.inside.household, created_by=user, occurred_at=timezone.now())
    body = api_for(world.users[Role.PLANNER]).get(reverse("api:contact-detail", kwargs={"pk": recent.pk})).json()
    assert body["occurred_at"].endswith("+09:00") and datetime.datetime.fromisoformat(body["occurred_at"])


def _api_routes(world):
    resident, household = world.inside.resident, world.inside.household
    by_pk = {"resident-rrn-reveal": resident.pk, "resident-detail": resident.pk,
             "household-detail": household.pk, "household-risk-tier": household.pk}
    names = ("resident-rrn-reveal", "resident-list", "resident-detail", "household-list", "household-detail",
             "household-risk-tier", "contact-list", "report-list")
    return [reverse(f"api:{n}", kwargs={"pk": by_pk[n]} if n in by_pk else None) for n in names]


def test_options_never_500s(world, api_for):
    client = api_for(world.users[Role.PLANNER])
    for url in _api_routes(world):
        response = client.options(url)
        assert response.status_code < 500, (url, response.status_code)
        assert response["Content-Type"].startswith("application/json"), url


def test_options_on_rrn_reveal_discloses_nothing(world, api_for):
    url = reverse("api:resident-rrn-reveal", kwargs={"pk": world.inside.resident.pk})
    response = api_for(world.users[Role.PLANNER]).options(url)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "rrn" not in response.content.decode().lower().replace("rrn-reveal", "")
