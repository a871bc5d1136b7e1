import pytest
from django.contrib.auth.models import AnonymousUser

from chatdong.accounts.models import User
from chatdong.accounts.roles import DONG_ROLES, Role
from chatdong.accounts.scoping import area_q, dongs_for, scope
from chatdong.areas.models import Tong

pytestmark = pytest.mark.django_db


def tongs(user, **kwargs):
    return set(scope(Tong.objects.all(), user, **kwargs))


@pytest.mark.parametrize("role", sorted(DONG_ROLES))
def test_dong_roles_see_their_own_dong(world, role):
    user = world.users[role]
    assert tongs(user) == {world.tong_a1}
    assert set(dongs_for(user)) == {world.a1}


def test_gu_coordinator_sees_the_gu(world):
    user = world.users[Role.GU_COORDINATOR]
    assert tongs(user) == {world.tong_a1, world.tong_a2}
    assert set(dongs_for(user)) == {world.a1, world.a2}


def test_admin_sees_everything(world):
    user = world.users[Role.ADMIN]
    assert tongs(user) == {world.tong_a1, world.tong_a2, world.tong_b1}
    assert {world.a1, world.a2, world.b1} <= set(dongs_for(user))


def test_city_analyst_sees_no_personal_rows_but_aggregates(world):
    user = world.users[Role.CITY_ANALYST]
    assert tongs(user) == set()
    assert tongs(user, personal=False) == {world.tong_a1, world.tong_a2, world.tong_b1}
    assert {world.a1, world.a2, world.b1} <= set(dongs_for(user))


def test_inactive_and_anonymous_users_see_nothing(world):
    planner = world.users[Role.PLANNER]
    planner.is_active = False
    assert tongs(planner) == set()
    assert not dongs_for(planner).exists()
    assert tongs(AnonymousUser()) == set()
    assert not dongs_for(AnonymousUser()).exists()


def test_nested_dong_path(world):
    """`dong_field` may be a path through relations, e.g. household__dong."""
    nurse = world.users[Role.NURSE]
    nurse.tongs.add(world.tong_a1)
    other = User.objects.create(username="b1.planner", role=Role.PLANNER, dong=world.b1)
    other.tongs.add(world.tong_b1)
    seen = set(scope(User.objects.all(), world.users[Role.PLANNER], dong_field="tongs__dong"))
    assert nurse in seen and other not in seen
    coordinator_b = User.objects.create(username="b.coord", role=Role.GU_COORDINATOR, gu=world.gu_b)
    assert set(scope(User.objects.all(), coordinator_b, dong_field="tongs__dong")) == {other}


def test_area_q_for_a_planner_is_a_dong_filter(world):
    q = area_q(world.users[Role.PLANNER], dong_field="household__dong")
    assert q.children == [("household__dong_id", world.a1.pk)]
