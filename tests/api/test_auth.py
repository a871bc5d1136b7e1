"""Token and session authentication of the API; unauthenticated requests are refused."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chatdong.accounts.roles import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_obtain_returns_a_token_that_authenticates(make_user):
    user = make_user(Role.PLANNER)
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["token"] == Token.objects.get(user=user).key
    assert body == {"token": body["token"], "user_id": user.pk, "role": "planner"}

    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/v1/households/").status_code == 200


def test_asking_again_returns_the_same_token(make_user):
    user = make_user(Role.NURSE)
    client = APIClient()
    first = client.post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}, format="json").json()
    second = client.post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}, format="json").json()
    assert first["token"] == second["token"]
    assert Token.objects.filter(user=user).count() == 1


def test_wrong_password_is_a_korean_400(make_user):
    user = make_user(Role.PLANNER)
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": "wrong-pass-123"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["아이디 또는 비밀번호가 올바르지 않습니다."]}
    assert not Token.objects.filter(user=user).exists()


def test_missing_fields_are_400(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_inactive_user_gets_no_token(make_user):
    user = make_user(Role.PLANNER)
    user.is_active = False
    user.save()
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 400


def test_repeated_failures_lock_the_account_even_with_the_right_password(make_user, settings):
    user = make_user(Role.PLANNER)
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": user.username, "password": "wrong-pass-123"}, format="json")
    assert AccessAttempt.objects.filter(username=user.username).exists()

    response = client.post(TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 429
    assert "잠겼습니다" in response.json()["detail"]
    assert response["Content-Type"].startswith("application/json")
    assert not Token.objects.filter(user=user).exists()


def test_revoke_token(make_user, api_for):
    user = make_user(Role.PLANNER)
    client = api_for(user)
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    # The old token no longer authenticates.
    response = client.get("/api/v1/households/")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "url_name,kwargs",
    [
        ("api:household-list", {}),
        ("api:household-detail", {"pk": 1}),
        ("api:resident-list", {}),
        ("api:resident-detail", {"pk": 1}),
        ("api:contact-list", {}),
        ("api:contact-detail", {"pk": 1}),
        ("api:report-list", {}),
        ("api:report-detail", {"pk": 1}),
    ],
)
def test_unauthenticated_is_401_with_a_token_challenge(url_name, kwargs):
    response = APIClient().get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/households/").status_code == 401


def test_session_authentication_works(make_user):
    user = make_user(Role.PLANNER)
    client = APIClient()
    client.force_login(user)
    assert client.get("/api/v1/households/").status_code == 200


def test_token_revoke_needs_authentication(db):
    assert APIClient().delete(TOKEN_URL).status_code == 401


def test_the_api_answers_json_even_to_a_browser(make_user):
    client = APIClient()
    client.force_login(make_user(Role.PLANNER))
    response = client.get("/api/v1/households/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    missing = client.get("/api/v1/households/999999999/", HTTP_ACCEPT="text/html")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    malformed = client.get("/api/v1/households/abc/")
    assert (malformed.status_code, malformed.json()) == (404, {"detail": "찾을 수 없습니다."})
