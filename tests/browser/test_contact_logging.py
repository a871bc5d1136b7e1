"""Logging contacts on a phone: the one-tap 부재 visit, the two-tap 거부 plan, the full form."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Contact, NoResponseProcedure, RiskTier
from cases.services.residents import resident_set_rrn
from chatdong.accounts.roles import Role
from chatdong.policy.seeds import seed_thresholds
from tests.browser.conftest import login
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.browser


class Taps:
    """Counts the taps a person makes (each `tap` is one touch on the screen)."""

    def __init__(self):
        self.count = 0

    def tap(self, locator):
        self.count += 1
        locator.tap()


@pytest.fixture
def setting():
    seed_thresholds()  # live_server tests flush the database between tests
    dong = DongFactory(name="갈현1동")
    planner = UserFactory(role=Role.PLANNER, dong=dong, name="김복지")
    nurse = UserFactory(role=Role.NURSE, dong=dong, name="이간호")
    household = HouseholdFactory(
        dong=dong, planner=planner, nurse=nurse, risk_tier=RiskTier.HIGH,
        address="서울특별시 은평구 통일로 123", address_detail="반지하 1호",
    )
    resident = ResidentFactory(household=household, name="홍길순", birth_date=datetime.date(1948, 3, 15))
    resident_set_rrn(resident=resident, rrn="480315-2345678")
    return planner, nurse, household


def _no_wider_than_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_not_home_in_one_tap_and_refusal_in_two(phone_page, setting):
    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    planner, _nurse, household = setting
    login(page, planner)
    page.goto(f"/cases/households/{household.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("통일로 123")
    expect(page.get_by_test_id("rrn-masked")).to_have_text("480315-2******")
    assert _no_wider_than_phone(page)
    url = page.url

    taps = Taps()
    taps.tap(page.get_by_test_id("quick-not-home"))
    expect(page.get_by_test_id("quick-message")).to_contain_text("부재(스티커 부착)를 기록했습니다")
    assert taps.count == 1
    # Swapped in place by htmx: same page, the timeline shows the visit.
    assert page.url == url
    expect(page.locator('#timeline li[data-kind="contact"]')).to_have_count(1)
    expect(page.locator("#timeline")).to_contain_text("방문 · 부재(스티커 부착)")
    contact = Contact.objects.get()
    assert (contact.outcome, contact.next_action_on) == ("not_home", timezone.localdate() + datetime.timedelta(days=2))
    # A high-risk household that does not answer starts the no-response procedure.
    assert NoResponseProcedure.objects.filter(household=household, status="open").exists()

    taps = Taps()
    taps.tap(page.get_by_test_id("quick-refused-open"))
    taps.tap(page.get_by_test_id("quick-refused-family"))
    expect(page.get_by_test_id("quick-message")).to_contain_text("동행 재방문 (가족)")
    assert taps.count == 2
    expect(page.locator('#timeline li[data-kind="contact"]')).to_have_count(2)
    assert Contact.objects.filter(outcome="refused", next_action="동행 재방문 (가족)").count() == 1
    assert errors == []


def test_full_contact_through_the_form(phone_page, setting):
    page = phone_page
    planner, nurse, household = setting
    login(page, planner)
    page.goto(f"/cases/households/{household.pk}/")
    page.get_by_test_id("log-contact").tap()
    expect(page).to_have_url(re.compile(rf"/cases/households/{household.pk}/contacts/new/$"))
    assert _no_wider_than_phone(page)
    # Date/time defaults to now; the current user is implied; mode defaults to a visit.
    assert page.get_by_label("상담 일시").input_value().startswith(timezone.localdate().isoformat())
    expect(page.get_by_label("방문", exact=True)).to_be_checked()

    page.get_by_text("만남", exact=True).tap()
    page.locator("label", has_text="이간호 (방문간호사)").tap()
    page.locator('[data-field="companions"] label', has_text="통장").tap()
    expect(page.get_by_label("이간호 (방문간호사)")).to_be_checked()
    page.locator('[data-field="check_safety"]').get_by_text("양호").tap()
    page.locator('[data-field="check_health"]').get_by_text("문제 있음").tap()
    page.get_by_label("발견된 욕구").fill("난방비 부담")
    page.get_by_label("상담 내용").fill("보일러 고장으로 난방을 못 하고 계심")
    page.get_by_label("다음 조치", exact=True).fill("에너지 바우처 신청")
    next_day = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("다음 조치일").fill(next_day.isoformat())
    page.get_by_test_id("contact-submit").tap()

    expect(page).to_have_url(re.compile(rf"/cases/households/{household.pk}/$"))
    expect(page.get_by_text("상담을 기록했습니다")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("보일러 고장으로 난방을 못 하고 계심")
    expect(page.locator("#timeline")).to_contain_text("보건·복지 동행")
    contact = Contact.objects.get()
    assert set(contact.staff.all()) == {planner, nurse}
    assert contact.checklist == {"safety": "ok", "health": "problem"}
    assert (contact.outcome, contact.companions, contact.next_action_on) == ("met", ["tong_leader"], next_day)
    household.refresh_from_db()
    assert household.next_contact_due == next_day
