"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Fixtures: `browser` (one per test module), `page` (a fresh context per test, desktop size, Korean
locale, base_url = live_server.url), `phone_page` (390x844 touch viewport), `js_errors` (uncaught
page errors and console errors of `page`), `login` (log a user in through the login form).

Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls
from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set, which the
`browser` fixture does while it lives (tests create users and rows between page steps). The
fixture is module-scoped so that the loop, and the variable, end with the browser tests and
never reach other tests of the session.

Without /usr/bin/chromium the browser tests are skipped with the reason, except in CI
(`CI` set), where a missing browser is an error.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
# Assertions wait as long as actions: on a loaded two-core machine one POST + redirect of the
# live server can take more than Playwright's 5 s default (seen as a flaky journey test).
expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    # Everything under tests/browser drives Chromium.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _require_chromium() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    reason = f"{CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    executable = _require_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, locale="ko-KR", timezone_id="Asia/Seoul", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context, page = _new_page(browser, live_server, viewport=DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, transactional_db):
    context, page = _new_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    context.close()


@pytest.fixture
def js_errors(page):
    """Uncaught exceptions and console errors on `page` (request it before navigating)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    return errors


def login(page, user, *, password: str = TEST_PASSWORD) -> None:
    """Log `user` in through the Korean login form and wait for the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill(user.username)
    page.get_by_label("비밀번호").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="로그인").click()


@pytest.fixture(name="login")
def login_fixture():
    """`login(page, user)` as a fixture, for tests that prefer not to import it."""
    return login
