"""A session ends after 30 minutes without a request."""

import time

import pytest
from django.conf import settings

from chatdong.accounts.middleware import SESSION_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/policy/"  # any login-required page


@pytest.fixture
def logged_in(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 200
    return client


def idle_for(client, seconds):
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_the_default_limit_is_thirty_minutes():
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60


def test_each_request_stamps_the_session(logged_in):
    before = logged_in.session[SESSION_KEY]
    assert abs(before - time.time()) < 5


def test_activity_within_thirty_minutes_keeps_the_session(logged_in):
    idle_for(logged_in, 29 * 60)
    assert logged_in.get(PAGE).status_code == 200
    assert "_auth_user_id" in logged_in.session
    # The stamp moved forward, so another 29 minutes later the user is still in.
    idle_for(logged_in, 29 * 60)
    assert logged_in.get(PAGE).status_code == 200


def test_after_thirty_minutes_the_next_request_goes_to_login_with_a_notice(logged_in):
    idle_for(logged_in, 31 * 60)
    response = logged_in.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "next=/policy/" in response.url
    assert "_auth_user_id" not in logged_in.session
    login_page = logged_in.get(response.url)
    assert "30분 동안 활동이 없어 안전을 위해 로그아웃되었습니다" in login_page.text
    # Still logged out afterwards.
    assert logged_in.get(PAGE).status_code == 302


def test_htmx_requests_are_redirected_by_header(logged_in):
    idle_for(logged_in, 31 * 60)
    response = logged_in.get(PAGE, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/"
