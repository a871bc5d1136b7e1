"""List and detail scoping per role: own area only, out of scope → 404, city analyst → nothing."""

import pytest
from django.urls import reverse

from chatdong.accounts.roles import DONG_ROLES, Role
from chatdong.audit.models import AccessLog

pytestmark = pytest.mark.django_db

RESOURCES = {
    "household": "household",
    "resident": "resident",
    "contact": "contact",
    "report": "report",
}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", sorted(DONG_ROLES | {Role.GU_COORDINATOR}))
def test_area_roles_list_only_their_area(world, api_for, role, resource):
    client = api_for(world.users[role])
    ids = _ids(client.get(reverse(f"api:{resource}-list")))
    assert ids == {getattr(world.inside, resource).pk}


@pytest.mark.parametrize("resource", RESOURCES)
def test_admin_lists_everything(world, api_for, resource):
    ids = _ids(api_for(world.users[Role.ADMIN]).get(reverse(f"api:{resource}-list")))
    assert ids == {getattr(world.inside, resource).pk, getattr(world.outside, resource).pk}


@pytest.mark.parametrize("resource", RESOURCES)
def test_city_analyst_lists_nothing_and_gets_404_on_details(world, api_for, resource):
    client = api_for(world.users[Role.CITY_ANALYST])
    assert _ids(client.get(reverse(f"api:{resource}-list"))) == set()
    for area in (world.inside, world.outside):
        response = client.get(reverse(f"api:{resource}-detail", kwargs={"pk": getattr(area, resource).pk}))
        assert response.status_code == 404


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_in_scope_200_out_of_scope_404(world, api_for, resource):
    client = api_for(world.users[Role.PLANNER])
    inside = client.get(reverse(f"api:{resource}-detail", kwargs={"pk": getattr(world.inside, resource).pk}))
    assert inside.status_code == 200
    assert inside.json()["id"] == getattr(world.inside, resource).pk
    outside = client.get(reverse(f"api:{resource}-detail", kwargs={"pk": getattr(world.outside, resource).pk}))
    assert outside.status_code == 404
    assert world.outside.marker not in outside.content.decode()


def test_nonexistent_and_out_of_scope_answer_identically(world, api_for):
    client = api_for(world.users[Role.PLANNER])
    missing = client.get(reverse("api:household-detail", kwargs={"pk": 10**9}))
    hidden = client.get(reverse("api:household-detail", kwargs={"pk": world.outside.household.pk}))
    assert (missing.status_code, missing.json()) == (hidden.status_code, hidden.json())


def test_household_detail_read_is_logged(world, api_for):
    user = world.users[Role.NURSE]
    api_for(user).get(reverse("api:household-detail", kwargs={"pk": world.inside.household.pk}))
    log = AccessLog.objects.get(user=user, subject_type=AccessLog.Subject.HOUSEHOLD, action=AccessLog.Action.VIEW)
    assert (log.subject_id, log.household_id, log.action) == (
        world.inside.household.pk, world.inside.household.pk, AccessLog.Action.VIEW
    )
    assert log.path == f"/api/v1/households/{world.inside.household.pk}/"


def test_resident_detail_read_is_logged_with_its_household(world, api_for):
    user = world.users[Role.PLANNER]
    api_for(user).get(reverse("api:resident-detail", kwargs={"pk": world.inside.resident.pk}))
    log = AccessLog.objects.get(user=user, subject_type=AccessLog.Subject.RESIDENT, action=AccessLog.Action.VIEW)
    assert (log.subject_id, log.household_id) == (world.inside.resident.pk, world.inside.household.pk)


def test_contact_and_report_reads_are_logged(world, api_for):
    user = world.users[Role.PLANNER]
    client = api_for(user)
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.get(reverse("api:contact-detail", kwargs={"pk": world.inside.contact.pk}))
    client.get(reverse("api:report-detail", kwargs={"pk": world.inside.report.pk}))
    rows = set(
        AccessLog.objects.filter(user=user, pk__gt=before).values_list("subject_type", "subject_id", "household_id")
    )
    assert rows == {
        (AccessLog.Subject.HOUSEHOLD, world.inside.household.pk, world.inside.household.pk),
        (AccessLog.Subject.REPORT, world.inside.report.pk, world.inside.household.pk),
    }


def test_list_reads_are_logged_with_their_filters(world, api_for):
    user = world.users[Role.PLANNER]
    api_for(user).get("/api/v1/households/", {"risk_tier": "high"})
    log = AccessLog.objects.get(user=user, subject_type=AccessLog.Subject.LIST)
    assert log.path == "/api/v1/households/?risk_tier=high"


def test_out_of_scope_read_is_not_logged(world, api_for):
    user = world.users[Role.PLANNER]
    before = AccessLog.objects.count()
    api_for(user).get(reverse("api:household-detail", kwargs={"pk": world.outside.household.pk}))
    assert AccessLog.objects.count() == before


def test_inactive_user_token_stops_working(world, api_for):
    user = world.users[Role.PLANNER]
    client = api_for(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/households/").status_code == 401
