"""Behind the TLS proxy: one client address (chatdong.proxy.client_ip) for the access log,
django-axes and the public report limit; X-Forwarded-For only counts as far as our proxies
(TRUSTED_PROXIES) wrote it."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory

from cases.models import CrisisReport
from chatdong.audit import context
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.proxy import client_ip
from tests.factories import TEST_PASSWORD, UserFactory

PROXY = "10.0.0.5"
rf = RequestFactory()


def _ip(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(rf.get("/", REMOTE_ADDR=remote, **extra))


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "fd00::/64"]


# ------------------------------------------------------------------------- client_ip


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert _ip(PROXY, "198.51.100.1") == PROXY


def test_from_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(behind_proxy):
    assert _ip(PROXY, "198.51.100.1") == "198.51.100.1"
    # A client that sends its own header only adds entries to the left of what we append.
    assert _ip(PROXY, "1.2.3.4, 198.51.100.1") == "198.51.100.1"
    # Two of our proxies in a row are both skipped.
    assert _ip(PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.9") == "198.51.100.1"
    assert _ip("fd00::2", "2001:db8::7") == "2001:db8::7"


def test_a_header_from_outside_the_proxies_is_not_believed(behind_proxy):
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_garbage_in_the_header_stops_at_the_last_trusted_hop(behind_proxy):
    assert _ip(PROXY, "198.51.100.1, not-an-ip") == PROXY
    assert _ip(PROXY, "") == PROXY
    assert _ip(PROXY) == PROXY
    assert _ip(PROXY, "10.0.0.7") == "10.0.0.7"  # only our own hosts: the nearest one


def test_no_request_or_no_address():
    assert client_ip(None) is None
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None


# ------------------------------------------------------------------------- consumers


@pytest.mark.django_db
def test_access_log_records_the_client_not_the_proxy(behind_proxy):
    request = rf.get("/cases/households/3/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.23")
    with context.bound(context.context_for(request)):
        row = log_access(user=UserFactory(), subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=3)
    row.refresh_from_db()
    assert row.ip == "198.51.100.23"


@pytest.mark.django_db
def test_access_log_ignores_a_forged_header_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    request = rf.get("/cases/households/3/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="198.51.100.23")
    with context.bound(context.context_for(request)):
        row = log_access(user=UserFactory(), subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=3)
    row.refresh_from_db()
    assert row.ip == "203.0.113.50"


LOGIN = "/accounts/login/"


def _login(client, forwarded, password, username="planner.kim"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_a_stranger_behind_the_proxy_cannot_lock_a_planner_out(behind_proxy):
    UserFactory(username="planner.kim")
    attacker, planner = Client(), Client()
    for n in range(5):
        _login(attacker, "198.51.100.66", f"wrong-password-{n}")
    assert _login(attacker, "198.51.100.66", TEST_PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(username="planner.kim").ip_address == "198.51.100.66"
    # The planner reaches the app through the same proxy, from their own address.
    assert _login(planner, "198.51.100.10", TEST_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_lockout(settings):
    settings.TRUSTED_PROXIES = []
    UserFactory(username="planner.kim")
    client = Client()
    for n in range(5):
        client.post(LOGIN, {"username": "planner.kim", "password": f"wrong-{n}"},
                    REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = client.post(LOGIN, {"username": "planner.kim", "password": TEST_PASSWORD},
                           REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


REPORT = "/report/"


@pytest.fixture
def report_data(dong):
    cache.clear()
    yield {
        "gu": dong.gu_id, "dong": dong.pk, "address": "은평로 12 반지하",
        "situation": "혼자 사시는 어르신이 며칠째 보이지 않고 우편물이 쌓여 있어요.",
        "reporter_name": "", "reporter_phone": "", "consent": "on", "website": "",
    }
    cache.clear()


@pytest.mark.django_db
def test_public_report_limit_counts_each_citizen_behind_the_proxy(behind_proxy, settings, report_data):
    settings.PUBLIC_REPORT_LIMIT = 2
    client = Client()

    def post(citizen):
        return client.post(REPORT, report_data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=citizen).status_code

    assert [post("198.51.100.1") for _ in range(3)] == [302, 302, 429]
    # Another citizen through the same proxy still has their own two reports.
    assert [post("198.51.100.2") for _ in range(2)] == [302, 302]
    assert CrisisReport.objects.count() == 4


@pytest.mark.django_db
def test_public_report_limit_is_not_reset_by_a_forged_header(settings, report_data):
    settings.TRUSTED_PROXIES = []
    settings.PUBLIC_REPORT_LIMIT = 2
    client = Client()
    codes = [
        client.post(REPORT, report_data, REMOTE_ADDR="203.0.113.70", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
