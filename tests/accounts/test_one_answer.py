"""One answer per permission question, whoever asks: the supervisor, the writable dongs, the
tong and partner choices, the staff pickers and the services' write backstop."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cases.api import selectors as api_selectors
from cases.selectors import discovery as discovery_selectors
from cases.services.residents import resident_add
from chatdong.accounts import rules as predicates
from chatdong.accounts.roles import DONG_ROLES, SUPERVISOR_ROLES, Role, area_level, has_role
from chatdong.accounts.scoping import ensure_may_write, may_write_in_dong, tongs_for, writable_dongs
from chatdong.accounts.selectors import dong_staff, staff_with
from outreach.services.campaigns import can_manage
from tests.factories import HouseholdFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_supervisor_for_reports_rewards_tasks_and_campaigns(world):
    """Team leaders, dong heads, gu coordinators (the gu's control tower) and admins."""
    for role in Role:
        user = world.users[role]
        expected = role in SUPERVISOR_ROLES or role in (Role.GU_COORDINATOR, Role.ADMIN)
        assert bool(predicates.is_supervisor(user)) is expected, role
        assert can_manage(user) is expected, role


@pytest.mark.parametrize("role", list(Role))
def test_writable_dongs_per_role(world, role):
    user = world.users[role]
    expected = {
        Role.GU_COORDINATOR: {world.a1, world.a2},
        Role.CITY_ANALYST: set(),
    }.get(role, {world.a1})
    dongs = set(writable_dongs(user).filter(pk__in=[world.a1.pk, world.a2.pk, world.b1.pk]))
    if role == Role.ADMIN:
        assert dongs == {world.a1, world.a2, world.b1}
    else:
        assert dongs == expected
    for dong in (world.a1, world.a2, world.b1):
        assert may_write_in_dong(user, dong) is (dong in dongs), (role, dong)
        assert may_write_in_dong(user, dong.pk) is (dong in dongs), (role, dong)


def test_an_inactive_or_anonymous_user_writes_nowhere(world):
    from django.contrib.auth.models import AnonymousUser

    planner = world.users[Role.PLANNER]
    planner.is_active = False
    assert not writable_dongs(planner).exists()
    assert not writable_dongs(AnonymousUser()).exists()
    assert not may_write_in_dong(world.users[Role.ADMIN], None)


def test_tongs_follow_the_writable_dongs(world):
    coordinator = world.users[Role.GU_COORDINATOR]
    assert set(tongs_for(coordinator)) == {world.tong_a1, world.tong_a2}
    assert set(tongs_for(coordinator, dong=world.a2)) == {world.tong_a2}
    assert set(tongs_for(world.users[Role.PLANNER])) == {world.tong_a1}
    assert not tongs_for(world.users[Role.CITY_ANALYST]).exists()
    assert api_selectors.tongs_for is tongs_for


def test_the_screens_and_the_api_offer_the_same_partners(world):
    mine = PartnerFactory(dong=world.a1)
    PartnerFactory(dong=world.a1, active=False)
    PartnerFactory(dong=world.b1)
    assert api_selectors.partners_for is discovery_selectors.partners_for
    assert list(discovery_selectors.partners_for(world.users[Role.PLANNER])) == [mine]
    assert not discovery_selectors.partners_for(world.users[Role.CITY_ANALYST]).exists()


def test_staff_pickers(world):
    other = UserFactory(role=Role.NURSE, dong=world.a2)
    UserFactory(role=Role.NURSE, dong=world.a1, is_active=False)
    assert set(staff_with(Role.NURSE)) >= {world.users[Role.NURSE], other}
    assert list(staff_with(Role.NURSE, dong=world.a1)) == [world.users[Role.NURSE]]
    assert set(staff_with({Role.NURSE}, gu=world.gu_a)) == {world.users[Role.NURSE], other}
    assert set(dong_staff(world.a1)) == {world.users[r] for r in DONG_ROLES}


def test_role_helpers(world):
    assert has_role(world.users[Role.NURSE], Role.NURSE)
    assert has_role(Role.PLANNER, {Role.PLANNER, Role.NURSE})
    assert not has_role(world.users[Role.PLANNER], SUPERVISOR_ROLES)
    assert [area_level(world.users[r]) for r in (Role.PLANNER, Role.GU_COORDINATOR, Role.CITY_ANALYST)] == [
        "dong", "gu", "city"
    ]
    assert area_level(UserFactory(role=Role.PLANNER, is_superuser=True)) == "city"
    assert predicates.works_own_caseload(world.users[Role.NURSE])
    assert not predicates.works_own_caseload(world.users[Role.TEAM_LEADER])


def test_services_refuse_writes_outside_the_writable_dongs(world):
    inside, outside = HouseholdFactory(dong=world.a1), HouseholdFactory(dong=world.b1)
    planner, analyst = world.users[Role.PLANNER], world.users[Role.CITY_ANALYST]
    ensure_may_write(planner, inside)
    for actor, household in ((planner, outside), (analyst, inside), (world.users[Role.GU_COORDINATOR], outside)):
        with pytest.raises(PermissionDenied):
            ensure_may_write(actor, household)
        with pytest.raises(PermissionDenied):
            resident_add(actor=actor, household=household, name="가나다", birth_date=datetime.date(1950, 1, 1), sex="F")
    assert not outside.residents.exists() and not inside.residents.exists()
    resident = resident_add(actor=planner, household=inside, name="가나다", birth_date=datetime.date(1950, 1, 1), sex="F")
    ensure_may_write(planner, resident)  # a resident is in its household's dong


def test_report_services_refuse_actors_outside_the_reports_dong(world):
    from cases.services.discovery import crisis_report_assign, crisis_report_record_visit
    from tests.factories import CrisisReportFactory

    report = CrisisReportFactory(dong=world.b1)
    for actor in (world.users[Role.TEAM_LEADER], world.users[Role.GU_COORDINATOR], world.users[Role.CITY_ANALYST]):
        with pytest.raises(PermissionDenied):
            crisis_report_assign(actor=actor, report=report, assignee=actor)
        with pytest.raises(PermissionDenied):
            crisis_report_record_visit(actor=actor, report=report, note="방문")
    report.refresh_from_db()
    assert report.assignee_id is None and report.visited_at is None
