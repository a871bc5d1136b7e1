"""The access log learns where a request came from through the request context, not arguments."""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cases.services.households import household_update
from chatdong.accounts.roles import Role
from chatdong.audit import context
from chatdong.audit.logging import RequestIdFilter
from chatdong.audit.models import AccessLog
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def planner(db):
    return UserFactory(role=Role.PLANNER)


@pytest.fixture
def household(planner):
    return HouseholdFactory(dong=planner.dong)


def test_a_read_through_the_middleware_records_ip_path_and_request_id(client, planner, household):
    client.force_login(planner)
    response = client.get(f"/cases/households/{household.pk}/?tab=members", REMOTE_ADDR="10.4.5.6")
    assert response.status_code == 200
    request_id = response.headers["X-Request-ID"]
    assert HEX32.fullmatch(request_id)
    row = AccessLog.objects.get(household_id=household.pk, action=AccessLog.Action.VIEW)
    assert (row.user, row.ip, row.path, row.request_id) == (
        planner, "10.4.5.6", f"/cases/households/{household.pk}/?tab=members", request_id
    )


def test_a_service_called_by_a_view_gets_the_same_request_context(client, planner, household):
    client.force_login(planner)
    url = f"/cases/households/{household.pk}/contacts/not-home/"
    response = client.post(url, REMOTE_ADDR="10.4.5.7", HTTP_X_REQUEST_ID="trace-0001-abcd")
    assert response.status_code == 302
    assert response.headers["X-Request-ID"] == "trace-0001-abcd"
    row = AccessLog.objects.get(household_id=household.pk, action=AccessLog.Action.CREATE)
    assert (row.user, row.ip, row.path, row.request_id) == (planner, "10.4.5.7", url, "trace-0001-abcd")


def test_a_service_outside_a_request_writes_no_ip_path_or_request_id(planner, household):
    household_update(actor=planner, household=household, address="다른주소 2")
    row = AccessLog.objects.get(household_id=household.pk, action=AccessLog.Action.UPDATE)
    assert row.user == planner
    assert (row.ip, row.path, row.request_id) == (None, "", "")


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 65, "abc def ghi jkl", "evil\r\nSet-Cookie: a=b", "아이디아이디아이디아이디", ""],
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=incoming)
    assert HEX32.fullmatch(response.headers["X-Request-ID"])


def test_a_sane_incoming_request_id_is_kept(client):
    given = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=given).headers["X-Request-ID"] == given


def test_two_requests_get_two_ids(client):
    first = client.get("/accounts/login/").headers["X-Request-ID"]
    assert client.get("/accounts/login/").headers["X-Request-ID"] != first


def test_the_context_is_cleared_after_the_request_even_when_the_view_fails():
    seen = []

    def view(request):
        seen.append(context.current())
        if request.path == "/boom/":
            raise RuntimeError("boom")
        return HttpResponse("ok")

    middleware = context.RequestContextMiddleware(view)
    response = middleware(RequestFactory().get("/ok/", REMOTE_ADDR="10.0.0.1"))
    assert seen[0].ip == "10.0.0.1" and seen[0].path == "/ok/"
    assert response["X-Request-ID"] == seen[0].request_id
    assert context.current() is context.NO_REQUEST
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().get("/boom/", REMOTE_ADDR="10.0.0.2"))
    assert seen[1].ip == "10.0.0.2"
    assert context.current() is context.NO_REQUEST


def test_log_records_carry_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"
    with context.bound(context.RequestContext(request_id="abcdef123456")):
        RequestIdFilter().filter(record)
    assert record.request_id == "abcdef123456"
