from types import SimpleNamespace

import pytest

from chatdong.accounts.roles import Role
from tests.factories import DongFactory, GuFactory, TongFactory, UserFactory


@pytest.fixture
def client_for(client):
    """Log the Django test client in as `user` and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def area(db):
    """Gu A with dongs A1 (three tongs) and A2, gu B with dong B1."""

    gu_a, gu_b = GuFactory(name="가나구"), GuFactory(name="다라구")
    a1 = DongFactory(gu=gu_a, name="가동")
    return SimpleNamespace(
        gu_a=gu_a,
        gu_b=gu_b,
        a1=a1,
        a2=DongFactory(gu=gu_a, name="나동"),
        b1=DongFactory(gu=gu_b, name="다동"),
        tongs=[TongFactory(dong=a1, number=n) for n in (1, 2, 3)],
    )


@pytest.fixture
def staff(area):
    """One user per role; dong roles in A1 (and one planner in A2, one in B1)."""
    users = {}
    for role in Role:
        if role == Role.GU_COORDINATOR:
            users[role] = UserFactory(role=role, gu=area.gu_a, name="구총괄")
        elif role in (Role.CITY_ANALYST, Role.ADMIN):
            users[role] = UserFactory(role=role)
        else:
            users[role] = UserFactory(role=role, dong=area.a1)
    users["planner_a2"] = UserFactory(role=Role.PLANNER, dong=area.a2, name="나동플래너")
    users["planner_b1"] = UserFactory(role=Role.PLANNER, dong=area.b1, name="다동플래너")
    return users
