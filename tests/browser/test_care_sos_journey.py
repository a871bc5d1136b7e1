"""The Care SOS journey in Chromium (DOMAIN §8): the dong takes a request, logs the visit within
the deadline, assesses and plans (htmx lines with live totals) and submits; the gu returns it
with a comment; the dong revises and resubmits; the gu approves; a service is delivered,
followed up and the request closed. The household timeline shows every step."""

import re

import pytest
from playwright.sync_api import expect

from cases.care_sos.models import CareRequest
from cases.care_sos.models import CareRequestStatus as S
from cases.models import Household
from chatdong.accounts.roles import Role
from tests.browser.conftest import login
from tests.care_sos.factories import CareProviderFactory
from tests.factories import DongFactory, GuFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _policy(transactional_db):
    from chatdong.policy.seeds import load_median_income, seed_thresholds

    seed_thresholds()
    load_median_income()


def tick(scope, label: str) -> None:
    """Click a KRDS radio/checkbox by its visible label (the styled label covers the input).
    Only once the page's deferred scripts have run: on a loaded machine a click made earlier
    could be undone when they set the form up."""
    (scope if hasattr(scope, "wait_for_load_state") else scope.page).wait_for_load_state("load")
    scope.locator("label").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()


def logout(page):
    page.get_by_role("button", name="로그아웃").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def open_request(page, number):
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="돌봄SOS").click()
    page.get_by_role("link", name=number).click()


def add_line(page, *, quantity, unit_cost, expect_total):
    page.wait_for_load_state("load")  # htmx (a deferred script) has taken over the line form
    form = page.get_by_test_id("line-form")
    form.get_by_label("돌봄 종류").select_option("emergency")
    form.get_by_label("서비스", exact=False).first.select_option("temporary_home_care")
    form.get_by_label("제공기관").select_option(label="한빛재가센터 (재가요양기관)")
    form.get_by_label("단위").select_option("hour")
    form.get_by_label("단가(원)").fill(str(unit_cost))
    form.get_by_label("수량").fill(str(quantity))
    # The server recomputes the totals while typing (nothing saved yet).
    expect(page.get_by_test_id("total-cost")).to_contain_text(expect_total)
    expect(page.get_by_test_id("plan-totals")).to_contain_text("입력 중인 서비스 포함")
    form.get_by_role("button", name="서비스 추가").click()
    expect(page.get_by_test_id("plan-lines")).to_contain_text("일시재가")
    expect(page.get_by_test_id("plan-totals")).not_to_contain_text("입력 중인 서비스 포함")


def test_care_sos_journey(page, js_errors):
    gu = GuFactory(name="시험구")
    dong = DongFactory(gu=gu, name="가나동")
    manager = UserFactory(role=Role.CARE_MANAGER, dong=dong, name="김돌봄")
    UserFactory(role=Role.CARE_MANAGER, dong=dong, name="이간호")
    coordinator = UserFactory(role=Role.GU_COORDINATOR, dong=None, gu=gu, name="정지원단")
    CareProviderFactory(gu=gu, name="한빛재가센터")

    # --- the dong: intake -------------------------------------------------------------------
    login(page, manager)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="돌봄SOS").click()
    page.get_by_test_id("intake-link").click()
    form = page.get_by_test_id("intake-form")
    form.get_by_label("주소(실거주지)").fill("서울특별시 시험구 통일로 7")
    form.get_by_label("상세 주소").fill("반지하 1호")
    form.get_by_label("소득(기준중위소득 대비 %)").fill("130")
    form.get_by_label("이름", exact=True).fill("홍길순")
    form.get_by_label("생년월일").fill("1944-05-01")
    form.get_by_label("성별").select_option("F")
    form.get_by_label("신청 경로").select_option("phone")
    form.get_by_label("돌봄 필요 사유").select_option("discharge")
    form.get_by_role("textbox", name=re.compile(r"^상황")).fill("고관절 수술 후 퇴원, 혼자 거동이 어려움")
    tick(form, "긴급")
    form.get_by_label("비공식 돌봄자", exact=False).first.select_option("none")
    form.get_by_role("button", name="접수").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("돌봄SOS SOS-")
    expect(page.locator(".cd-messages")).to_contain_text("방문 기한은")
    expect(page.get_by_test_id("sla-text").first).to_have_text(re.compile(r"^(72|71)시간 남음$"))
    request = CareRequest.objects.get()
    number = request.number

    # --- the visit, within the deadline -------------------------------------------------------
    visit = page.get_by_test_id("visit-form")
    visit.get_by_label("방문해서 확인한 내용").fill("집에서 만남. 식사·세면 도움이 필요함")
    visit.get_by_role("button", name="방문 기록").click()
    expect(page.get_by_test_id("request-status")).to_have_text("방문 완료")
    expect(page.get_by_test_id("sla").first).to_contain_text("기한 내 방문")

    # --- assessment and plan ----------------------------------------------------------------------
    page.get_by_test_id("assessment-link").click()
    tick(page.locator('[data-domain="health_level"]'), "시급")
    page.get_by_label("건강 욕구 내용").fill("수술 부위 통증, 보행 불가")
    tick(page, "긴급돌봄")
    tick(page, "목욕하기")
    page.get_by_role("button", name="욕구 사정 저장").click()
    expect(page.get_by_test_id("request-status")).to_have_text("욕구 사정 완료")
    page.get_by_role("button", name="케어플랜 작성 시작").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("케어플랜")
    page.wait_for_load_state("load")
    page.evaluate("window.__marker = 1")
    add_line(page, quantity=10, unit_cost=20000, expect_total="200,000")
    assert page.evaluate("window.__marker") == 1  # htmx: no reload
    # 130 % of the median: above the free ratio, the seeded self-pay share applies.
    expect(page.get_by_test_id("self-pay-basis")).to_contain_text("130")
    page.get_by_role("button", name="구 돌봄지원단에 승인 요청").click()
    expect(page.get_by_test_id("request-status")).to_have_text("승인 요청")
    logout(page)

    # --- the gu returns it with a comment ---------------------------------------------------------
    login(page, coordinator)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="케어플랜 승인").click()
    item = page.locator(f'[data-request="{request.pk}"]')
    expect(item).to_contain_text(number)
    expect(item.get_by_test_id("sla-history")).to_contain_text("기한 내 방문")
    item.get_by_label("보완 요청 의견").fill("방문 시간을 하루 4시간 이내로 줄여 주세요")
    item.get_by_role("button", name=re.compile("^반려")).click()
    expect(page.locator(".cd-messages")).to_contain_text("반려했습니다")
    logout(page)

    # --- the dong revises and resubmits ----------------------------------------------------------
    login(page, manager)
    open_request(page, number)
    expect(page.get_by_test_id("return-comment")).to_have_text("방문 시간을 하루 4시간 이내로 줄여 주세요")
    page.get_by_role("button", name="보완 시작").click()
    expect(page.locator(".cd-messages")).to_contain_text("케어플랜 보완을 시작했습니다")
    page.wait_for_load_state("load")  # htmx (a deferred script) has taken over the plan's forms
    page.get_by_test_id("plan-lines").get_by_role("button", name=re.compile("^삭제")).click()
    expect(page.get_by_test_id("plan-empty")).to_be_visible()
    add_line(page, quantity=8, unit_cost=20000, expect_total="160,000")
    page.get_by_role("button", name="보완 후 재요청").click()
    expect(page.get_by_test_id("request-status")).to_have_text("승인 요청")
    logout(page)

    # --- the gu approves ------------------------------------------------------------------------
    login(page, coordinator)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="케어플랜 승인").click()
    item = page.locator(f'[data-request="{request.pk}"]')
    expect(item).to_contain_text("재요청")
    item.get_by_role("button", name=re.compile("^승인")).click()
    expect(page.locator(".cd-messages")).to_contain_text("승인했습니다")
    expect(page.get_by_text("승인을 기다리는 케어플랜이 없습니다")).to_be_visible()
    logout(page)

    # --- delivery, follow-up, closure -------------------------------------------------------------
    login(page, manager)
    open_request(page, number)
    delivery = page.get_by_test_id("delivery-form")
    delivery.get_by_label("서비스").select_option(index=1)
    delivery.get_by_label("수량").fill("4")
    delivery.get_by_label("제공 결과(기관 의견)").fill("요양보호사 4시간 방문, 식사·세면 도움")
    delivery.get_by_role("button", name="제공 기록").click()
    expect(page.get_by_test_id("request-status")).to_have_text("서비스 제공 중")
    expect(page.get_by_test_id("deliveries")).to_contain_text("80,000원")
    page.get_by_role("button", name="서비스 종료·사후관리로").click()
    expect(page.get_by_test_id("request-status")).to_have_text("사후관리")
    follow = page.get_by_test_id("follow-up-form")
    follow.get_by_label("점검 내용").fill("통증 줄고 혼자 식사 가능")
    follow.get_by_role("button", name="점검 기록").click()
    close = page.get_by_test_id("close-form")
    close.get_by_label("종결 결과").select_option("needs_met")
    close.get_by_role("button", name="종결").click()
    expect(page.get_by_test_id("request-status")).to_have_text("종결")
    expect(page.get_by_test_id("outcome")).to_contain_text("돌봄 욕구 해소")

    # --- the household timeline shows every step ------------------------------------------------------
    page.get_by_role("link", name="가구 보기").click()
    timeline = page.get_by_test_id("timeline")
    for step in ("접수", "방문 기록", "욕구 사정", "케어플랜 작성", "승인 요청", "반려(보완 요청)", "케어플랜 보완",
                 "보완 후 재요청", "승인", "서비스 제공 시작", "서비스 제공 종료", "사후관리 점검", "종결"):
        expect(timeline.get_by_text(f"{number} · {step}", exact=True)).to_have_count(1)
    expect(timeline).to_contain_text("요양보호사 4시간 방문")

    request.refresh_from_db()
    assert request.status == S.CLOSED
    assert Household.objects.get().address == "서울특별시 시험구 통일로 7"
    assert list(request.approvals.values_list("decision", flat=True)) == ["returned", "approved"]
    assert js_errors == []
