"""The Korean UI shell in a real browser: login per role, menus, logout, errors, assets."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from chatdong.accounts.roles import Role
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

# Menu entries of the screens that exist so far, and the roles that must (and only they) see them.
EXPECTED_MENU = {
    "홈": set(Role),
    "정책 기준값": {Role.ADMIN, Role.GU_COORDINATOR, Role.CITY_ANALYST, Role.TEAM_LEADER},
    "열람기록": {Role.ADMIN},
    "직원 관리": {Role.ADMIN},
    "API 문서": {Role.ADMIN, Role.CITY_ANALYST},
}


def menu_labels(page) -> list[str]:
    menu = page.get_by_role("navigation", name="주 메뉴")
    return [text.strip() for text in menu.get_by_role("link").all_inner_texts()]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_logs_in_and_sees_its_own_menu(page, js_errors, role):
    user = UserFactory(role=role, name=f"시험{role.label[:4]}")
    login(page, user)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{user.display_name}님, 안녕하세요")
    badge = page.get_by_test_id("user-badge")
    expect(badge).to_contain_text(user.display_name)
    expect(badge).to_contain_text(role.label)
    expect(badge).to_contain_text(user.scope_label)

    labels = menu_labels(page)
    for label, roles in EXPECTED_MENU.items():
        if role in roles:
            assert label in labels, f"{role.label} should see {label}: {labels}"
        else:
            assert label not in labels, f"{role.label} must not see {label}: {labels}"
    # The current page is marked in the menu.
    current = page.get_by_role("navigation", name="주 메뉴").locator("[aria-current=page]")
    expect(current).to_have_text("홈")
    assert js_errors == []


def test_menu_links_open_their_screens(page, js_errors):
    admin = UserFactory(role=Role.ADMIN, name="관리자")
    login(page, admin)
    menu = page.get_by_role("navigation", name="주 메뉴")
    menu.get_by_role("link", name="정책 기준값").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("정책 기준값")
    expect(menu.locator("[aria-current=page]")).to_have_text("정책 기준값")
    menu.get_by_role("link", name="열람기록").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("열람기록")
    menu.get_by_role("link", name="직원 관리").click()
    expect(page).to_have_title(re.compile("찾동 관리자"))
    expect(page.locator("#content h1")).to_have_text("변경할 직원 계정 선택")
    assert js_errors == []


def test_logout_ends_the_session(page):
    user = UserFactory(role=Role.PLANNER)
    login(page, user)
    page.get_by_role("button", name="로그아웃").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="찾동 로그인")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert page.get_by_test_id("user-badge").count() == 0


def test_wrong_password_shows_the_korean_error(page):
    user = UserFactory(role=Role.NURSE)
    login(page, user, password="틀린-비밀번호-123")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("아이디 또는 비밀번호가 올바르지 않습니다")
    expect(page.get_by_label("아이디")).to_have_value(user.username)


def test_the_404_page_is_korean(page):
    response = page.goto("/이런-주소는-없습니다/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text("페이지를 찾을 수 없습니다")
    expect(page.get_by_role("link", name="홈으로")).to_be_visible()


def test_assets_are_served_locally_and_applied(page, live_server, js_errors):
    """Static files come from the live server (WhiteNoise), never another host, and KRDS,
    the Pretendard GOV font and htmx are really in effect."""
    own_host = urlsplit(live_server.url).netloc
    requests, failures = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.goto("/accounts/login/")
    page.evaluate("document.fonts.ready")

    foreign = [url for url in requests if urlsplit(url).netloc not in (own_host, "")]
    assert foreign == []
    assert failures == []
    assert any(url.endswith("/static/vendor/krds/css/krds.min.css") for url in requests)
    assert "Pretendard GOV" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("document.fonts.check('17px \"Pretendard GOV\"')")
    # KRDS primary button colour (#256ef4) reaches the login button.
    button = page.get_by_role("button", name="로그인")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(37, 110, 244)"
    assert page.evaluate("window.htmx && window.htmx.version").startswith("2.")
    assert js_errors == []


def test_htmx_requests_send_the_csrf_token(page):
    """A POST through htmx passes Django's CSRF check thanks to <body hx-headers>; an htmx
    response that lands on the login page takes the whole window there (chatdong.js)."""
    user = UserFactory(role=Role.PLANNER)
    login(page, user)
    with page.expect_response(re.compile(r"/accounts/logout/$")) as logout:
        page.evaluate("htmx.ajax('POST', '/accounts/logout/', {target: '#main', swap: 'none'})")
    assert logout.value.status == 302  # 403 if the CSRF header were missing
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", name="찾동 로그인")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def _screenshot_dir(tmp_path) -> Path:
    target = os.environ.get("CHATDONG_SCREENSHOT_DIR")
    directory = Path(target) if target else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_home_fits_a_phone_and_a_desktop(page, phone_page, tmp_path):
    """Screenshots of the admin home (the fullest one) on a 390x844 phone and a desktop;
    on the phone nothing overflows sideways and the controls are big enough to tap."""
    admin = UserFactory(role=Role.ADMIN, name="김관리")
    shots = _screenshot_dir(tmp_path)
    for target, name in ((phone_page, "phone"), (page, "desktop")):
        login(target, admin)
        expect(target.get_by_role("heading", level=1)).to_be_visible()
        target.evaluate("document.fonts.ready")
        path = shots / f"home-{name}.png"
        target.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000

    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the phone page scrolls sideways by {overflow}px"
    small = phone_page.evaluate(
        """() => [...document.querySelectorAll('.cd-main-menu a, .cd-logout button, .cd-shortcut')]
              .filter(el => el.getBoundingClientRect().height < 44)
              .map(el => el.textContent.trim())"""
    )
    assert small == [], f"tap targets under 44px: {small}"
    # On the phone the user badge and logout sit below the brand, inside the viewport.
    box = phone_page.get_by_role("button", name="로그아웃").bounding_box()
    assert box["x"] + box["width"] <= 390
