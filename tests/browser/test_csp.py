"""The Content-Security-Policy in Chromium: the main pages of every kind of user, on the demo
data, load and work (htmx included) without a single CSP violation."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cases.care_sos.models import CareRequest
from cases.models import CrisisReport, Household
from chatdong.accounts.models import User
from chatdong.demo.seed import DEFAULT_DEMO_PASSWORD
from chatdong.web import navigation
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", "--scale", "0.05", stdout=io.StringIO())


@pytest.fixture
def violations(page):
    """CSP violations of every document `page` loads: the DOM event, and Chromium's console."""
    found: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: found.append(f"console: {m.text}") if "Content Security Policy" in m.text else None)
    return found


def visit(page, found, url):
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, url
    page.wait_for_load_state("networkidle")
    found += [f"{url}: {v}" for v in page.evaluate("window.__csp || []")]


def logout(page):
    page.goto("/")  # the last page may be one without the header (print, admin, API docs)
    page.get_by_role("button", name="로그아웃").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_main_pages_load_without_csp_violations(page, violations, demo):
    found = violations
    visit(page, found, "/accounts/login/")
    for username in ("planner1", "caremanager1", "coordinator1", "admin1", "analyst1"):
        user = User.objects.get(username=username)
        login(page, user, password=DEFAULT_DEMO_PASSWORD)
        found += [f"{username} home: {v}" for v in page.evaluate("window.__csp || []")]
        for item in navigation.items_for(user):
            visit(page, found, reverse(item.url_name))
        if username == "planner1":
            household = Household.objects.filter(dong=user.dong).order_by("pk").first()
            visit(page, found, reverse("cases:household_detail", args=[household.pk]))
            report = CrisisReport.objects.filter(dong=user.dong).order_by("pk").first()
            visit(page, found, reverse("cases:report_detail", args=[report.pk]))
        if username == "coordinator1":  # the gu sees every dong's requests, plans included
            planned = CareRequest.objects.filter(plan__isnull=False).order_by("pk").first()
            visit(page, found, reverse("cases:care_request_detail", args=[planned.pk]))
            visit(page, found, reverse("cases:care_plan_print", args=[planned.pk]))
            expect(page.get_by_role("button", name="인쇄")).to_be_visible()
        if username == "admin1":
            visit(page, found, "/admin/")
            visit(page, found, "/admin/accounts/user/")
            visit(page, found, "/admin/accounts/user/add/")
        logout(page)
    assert found == []


def test_public_report_htmx_works_under_the_policy(page, violations, demo):
    visit(page, violations, "/report/")
    page.get_by_label("자치구").select_option(label="은평구")
    dong_select = page.get_by_role("combobox", name=re.compile(r"^동"))
    expect(dong_select.locator("option", has_text="불광1동")).to_have_count(1)
    violations += page.evaluate("window.__csp")
    assert violations == []
