"""The public report page on a phone, and the no-response checklist tick-off, in Chromium."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from cases.models import CrisisReport, NoResponseStep, ReportChannel
from cases.services.no_response import no_response_start
from chatdong.accounts.roles import Role
from tests.browser.conftest import login
from tests.factories import DongFactory, GuFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def test_resident_reports_from_a_phone(phone_page):
    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    gu = GuFactory(name="시험구")
    target = DongFactory(gu=gu, name="가나동")
    DongFactory(gu=gu, name="다라동")
    DongFactory(name="다른구동")

    page.goto("/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("도움이 필요한 이웃을 알려 주세요")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("#consent-text")).to_contain_text("보유·이용 기간")

    page.get_by_label("자치구").select_option(label="시험구")
    # htmx narrows the dong list to the chosen gu.
    dong_select = page.get_by_role("combobox", name=re.compile(r"^동"))
    expect(dong_select.locator("option")).to_have_count(3)
    expect(dong_select).not_to_contain_text("다른구동")
    dong_select.select_option(label="가나동")
    page.get_by_label("어디인가요? (주소나 위치)").fill("가나로 7 반지하")
    page.get_by_label("어떤 어려움이 있나요?").fill("할머니 혼자 사시는데 일주일째 불이 꺼져 있어요.")
    page.get_by_label("제보자 연락처 (선택)").fill("010-9876-5432")

    # Without consent: a Korean error, nothing stored.
    page.get_by_role("button", name="제보하기").click()
    expect(page.get_by_text("개인정보 수집·이용에 동의해야 제보할 수 있습니다.")).to_be_visible()
    assert not CrisisReport.objects.exists()

    # KRDS draws the checkbox on its label: tap the label, as a person would.
    page.locator("label[for=id_consent]").click()
    expect(page.get_by_label("위 개인정보 수집·이용에 동의합니다. (필수)")).to_be_checked()
    page.get_by_role("button", name="제보하기").click()
    expect(page).to_have_url(re.compile(r"/report/done/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("제보해 주셔서 고맙습니다")

    report = CrisisReport.objects.get()
    assert report.dong == target and report.channel == ReportChannel.PUBLIC_WEB
    assert report.reporter_phone == "01098765432"
    expect(page.get_by_test_id("report-reference")).to_have_text(report.reference)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []


def test_team_leader_ticks_off_a_step_without_reload(page, js_errors):
    dong = DongFactory()
    leader = UserFactory(role=Role.TEAM_LEADER, dong=dong, name="팀장")
    household = HouseholdFactory(dong=dong)
    procedure = no_response_start(actor=leader, household=household, trigger="안부전화 미응답")
    step = procedure.steps.get(code="d1_text_or_sticker")

    login(page, leader)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="무응답 대응").click()
    page.get_by_role("link", name=str(household)).click()
    row = page.get_by_test_id("step-d1_text_or_sticker")
    row.get_by_placeholder("메모(선택)").fill("문자 발송")
    page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded
    row.get_by_role("button", name="완료").click()
    expect(page.get_by_test_id("step-d1_text_or_sticker").get_by_test_id("step-done")).to_contain_text("팀장")
    assert page.evaluate("window.__marker") == 1
    step.refresh_from_db()
    assert step.done_by == leader and step.note == "문자 발송"
    assert NoResponseStep.objects.filter(procedure=procedure, done_at__isnull=False).count() == 1
    assert js_errors == []
