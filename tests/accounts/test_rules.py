import pytest
import rules

from chatdong.accounts import rules as predicates
from chatdong.accounts.roles import DONG_ROLES, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_is_admin(world):
    assert predicates.is_admin(world.users[Role.ADMIN])
    assert predicates.is_admin(UserFactory(role=Role.CITY_ANALYST, is_superuser=True))
    assert not predicates.is_admin(world.users[Role.GU_COORDINATOR])


@pytest.mark.parametrize("role", sorted(DONG_ROLES))
def test_dong_staff_view_objects_of_their_dong_only(world, role):
    user = world.users[role]
    assert user.has_perm("areas.view_area_object", world.tong_a1)
    assert user.has_perm("areas.view_area_object", world.a1)  # a Dong itself
    assert not user.has_perm("areas.view_area_object", world.tong_a2)
    assert not user.has_perm("areas.view_area_object", world.tong_b1)


def test_gu_coordinator_views_objects_of_the_gu(world):
    user = world.users[Role.GU_COORDINATOR]
    assert user.has_perm("areas.view_area_object", world.tong_a2)
    assert not user.has_perm("areas.view_area_object", world.tong_b1)


def test_admin_views_everything_and_analyst_nothing(world):
    assert world.users[Role.ADMIN].has_perm("areas.view_area_object", world.tong_b1)
    assert not world.users[Role.CITY_ANALYST].has_perm("areas.view_area_object", world.tong_a1)


def test_personal_data(world):
    assert not predicates.can_see_personal_data(world.users[Role.CITY_ANALYST])
    for role in (Role.PLANNER, Role.NURSE, Role.GU_COORDINATOR, Role.ADMIN):
        assert predicates.can_see_personal_data(world.users[role])


def test_supervisors_and_care_managers(world):
    assert predicates.is_team_leader(world.users[Role.TEAM_LEADER])
    assert predicates.is_team_leader(world.users[Role.DONG_HEAD])
    assert not predicates.is_team_leader(world.users[Role.PLANNER])
    assert predicates.is_care_manager(world.users[Role.CARE_MANAGER])


def test_objects_without_a_dong_are_out_of_scope(world):
    assert not predicates.is_in_user_dong(world.users[Role.PLANNER], object())
    assert not predicates.is_in_user_gu(world.users[Role.GU_COORDINATOR], None)


@pytest.mark.parametrize(
    "perm",
    [
        "accounts.manage_users",
        "accounts.change_user",
        "policy.edit_thresholds",
        "policy.add_policythreshold",
        "policy.change_medianincome",
        "audit.view_accesslog",
        "areas.change_dong",
    ],
)
def test_admin_only_permissions(world, perm):
    assert rules.has_perm(perm, world.users[Role.ADMIN])
    for role in Role:
        if role != Role.ADMIN:
            assert not world.users[role].has_perm(perm), role
