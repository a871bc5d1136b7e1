import pytest
from django.db import IntegrityError, transaction

from chatdong.accounts.models import User
from chatdong.accounts.roles import Role

pytestmark = pytest.mark.django_db


def create(**kwargs):
    with transaction.atomic():
        return User.objects.create(username=f"u{User.objects.count()}", **kwargs)


def test_planner_without_dong_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError, match="user_scope_matches_role"):
        create(role=Role.PLANNER)


def test_gu_coordinator_with_a_dong_or_without_a_gu_is_refused(world):
    with pytest.raises(IntegrityError):
        create(role=Role.GU_COORDINATOR, gu=world.gu_a, dong=world.a1)
    with pytest.raises(IntegrityError):
        create(role=Role.GU_COORDINATOR)


def test_city_roles_have_no_area(world):
    with pytest.raises(IntegrityError):
        create(role=Role.CITY_ANALYST, gu=world.gu_a)
    assert create(role=Role.CITY_ANALYST).gu is None


def test_dong_user_gets_the_dongs_gu_and_admin_flag_follows_role(world):
    planner = create(role=Role.PLANNER, dong=world.a1)
    assert planner.gu == world.gu_a and not planner.is_staff
    admin = create(role=Role.ADMIN)
    assert admin.is_staff
    planner.is_staff = True
    planner.save()
    planner.refresh_from_db()
    assert not planner.is_staff  # only admins reach the Django admin


def test_superuser_needs_no_area(db):
    assert create(role=Role.PLANNER, is_superuser=True).is_staff
