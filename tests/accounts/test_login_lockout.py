"""django-axes: five wrong passwords lock the account (for that IP) for an hour."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def user(db):
    return UserFactory(username="planner.kim")


def attempt(client, password, username="planner.kim"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_url():
    assert reverse("accounts:login") == LOGIN


def test_right_password_logs_in(client, user):
    response = attempt(client, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_shows_the_korean_warning(client, user):
    response = attempt(client, "wrong-password-1")
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in response.text
    assert "_auth_user_id" not in client.session


def test_sixth_attempt_after_five_failures_is_locked_out_even_with_the_right_password(client, user):
    for n in range(5):
        attempt(client, f"wrong-password-{n}")
    response = attempt(client, TEST_PASSWORD)
    assert response.status_code == 429
    assert "로그인이 잠시 제한되었습니다" in response.text
    assert "_auth_user_id" not in client.session


def test_four_failures_then_the_right_password_still_works_and_resets(client, user):
    from axes.models import AccessAttempt

    for n in range(4):
        attempt(client, f"wrong-password-{n}")
    assert attempt(client, TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="planner.kim").exists()


def test_lockout_is_per_account_and_ip(client, user):
    UserFactory(username="nurse.lee")
    for n in range(5):
        attempt(client, f"wrong-password-{n}")
    # Another account from the same address is not locked.
    assert attempt(client, TEST_PASSWORD, username="nurse.lee").status_code == 302
    # The locked account from another address is not locked either.
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert other.post(LOGIN, {"username": "planner.kim", "password": TEST_PASSWORD}).status_code == 302
