"""Only admins reach /admin/ (user management); forms explain scope mistakes in Korean."""

import pytest
from django.urls import reverse

from chatdong.accounts.models import User
from chatdong.accounts.roles import Role

pytestmark = pytest.mark.django_db
USERS = reverse("admin:accounts_user_changelist")
ADD_USER = reverse("admin:accounts_user_add")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_non_admins_are_sent_to_the_admin_login(client, world, role):
    client.force_login(world.users[role])
    for url in ("/admin/", USERS, ADD_USER):
        response = client.get(url)
        assert response.status_code == 302, (role, url)
        assert response.url.startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(USERS)
    assert response.status_code == 302


def test_admin_manages_users(client, world):
    client.force_login(world.users[Role.ADMIN])
    assert client.get("/admin/").status_code == 200
    response = client.get(USERS)
    assert response.status_code == 200
    assert world.users[Role.PLANNER].username in response.text
    assert client.get(ADD_USER).status_code == 200
    planner = world.users[Role.PLANNER]
    assert client.get(reverse("admin:accounts_user_change", args=[planner.pk])).status_code == 200


def new_user(**overrides):
    data = {
        "username": "new.planner",
        "name": "새 플래너",
        "role": Role.PLANNER,
        "gu": "",
        "dong": "",
        "password1": "골목으로-간다-2018!",
        "password2": "골목으로-간다-2018!",
        "_save": "저장",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_planner_and_the_gu_follows_the_dong(client, world):
    client.force_login(world.users[Role.ADMIN])
    response = client.post(ADD_USER, new_user(dong=world.a2.pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.planner")
    assert (user.dong, user.gu, user.is_staff) == (world.a2, world.gu_a, False)
    assert user.check_password("골목으로-간다-2018!")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "소속 동을 지정해야 합니다"),
        ({"role": Role.GU_COORDINATOR}, "소속 구를 지정해야 합니다"),
        ({"role": Role.CITY_ANALYST, "gu": "GU_A"}, "소속 구를 비워 두어야 합니다"),
        ({"dong": "A1", "gu": "GU_B"}, "소속 동의 구"),
        ({"dong": "A1", "password1": "12345", "password2": "12345"}, "비밀번호"),
    ],
)
def test_scope_mistakes_are_explained_and_nothing_is_saved(client, world, overrides, message):
    ids = {"GU_A": world.gu_a.pk, "GU_B": world.gu_b.pk, "A1": world.a1.pk}
    data = new_user(**{k: ids.get(v, v) for k, v in overrides.items()})
    client.force_login(world.users[Role.ADMIN])
    response = client.post(ADD_USER, data)
    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.filter(username="new.planner").exists()


def test_tongs_must_belong_to_the_users_dong(client, world):
    admin = world.users[Role.ADMIN]
    planner = world.users[Role.PLANNER]
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[planner.pk])
    data = {
        "username": planner.username,
        "name": planner.name,
        "email": "",
        "phone": "",
        "role": Role.PLANNER,
        "gu": world.gu_a.pk,
        "dong": world.a1.pk,
        "tongs": [world.tong_b1.pk],
        "is_active": "on",
        "_save": "저장",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "담당 통은 소속 동" in response.text
    data["tongs"] = [world.tong_a1.pk]
    assert client.post(url, data).status_code == 302
    assert list(planner.tongs.all()) == [world.tong_a1]
