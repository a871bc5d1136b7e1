import pytest

from chatdong.accounts.roles import Role
from tests.factories import DongFactory, GuFactory, TongFactory, UserFactory


class World:
    """Two gus; gu A has dongs A1 and A2, gu B has dong B1; one tong in each dong; a user of
    every role scoped inside gu A (dong roles in A1)."""

    def __init__(self):
        self.gu_a, self.gu_b = GuFactory(), GuFactory()
        self.a1, self.a2 = DongFactory(gu=self.gu_a), DongFactory(gu=self.gu_a)
        self.b1 = DongFactory(gu=self.gu_b)
        self.tong_a1, self.tong_a2, self.tong_b1 = (TongFactory(dong=d) for d in (self.a1, self.a2, self.b1))
        self.users = {}
        for role in Role:
            if role == Role.GU_COORDINATOR:
                self.users[role] = UserFactory(role=role, gu=self.gu_a)
            elif role in (Role.CITY_ANALYST, Role.ADMIN):
                self.users[role] = UserFactory(role=role)
            else:
                self.users[role] = UserFactory(role=role, dong=self.a1)


@pytest.fixture
def world(db):
    return World()
