"""Behind the TLS proxy the API's pagination links say https (SECURE_PROXY_SSL_HEADER)."""

import pytest

from chatdong.accounts.roles import Role
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _next_link(world, api_for, **headers):
    HouseholdFactory.create_batch(3, dong=world.inside.dong)
    # The proxy passes the Host header on (and speaks plain HTTP to the app).
    response = api_for(world.users[Role.PLANNER]).get("/api/v1/households/?page_size=2", HTTP_HOST="testserver", **headers)
    assert response.status_code == 200
    return response.json()["next"]


def test_next_link_is_https_when_the_proxy_says_so(world, api_for, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert _next_link(world, api_for, HTTP_X_FORWARDED_PROTO="https").startswith("https://testserver/api/v1/households/")


def test_without_the_setting_the_header_is_not_believed(world, api_for, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    assert _next_link(world, api_for, HTTP_X_FORWARDED_PROTO="https").startswith("http://testserver/")
