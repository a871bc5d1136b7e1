"""In a real browser: radio/checkbox group labels are seen (KRDS hides bare legends), and the
menu marks exactly one entry on the household registration page."""

import pytest
from playwright.sync_api import expect

from chatdong.accounts.roles import Role
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_group_labels_are_visible_on_the_campaign_form(page, js_errors):
    leader = UserFactory(role=Role.TEAM_LEADER, name="시험팀장")
    login(page, leader)
    page.goto("/outreach/campaigns/new/")
    for label in ("주거 형태", "위험 등급"):
        legend = page.locator("legend.cd-legend", has_text=label)
        expect(legend).to_be_visible()
        box = legend.bounding_box()
        assert box["width"] > 100 and box["height"] > 10, (label, box)  # not KRDS' 1×1 clip
        # The group's legend names the group for assistive technology too.
        expect(page.get_by_role("group", name=label)).to_have_count(1)
    assert js_errors == []


def test_household_registration_marks_one_menu_entry(page):
    planner = UserFactory(role=Role.PLANNER, name="시험플래너")
    login(page, planner)
    page.goto("/cases/households/new/")
    current = page.get_by_role("navigation", name="주 메뉴").locator("[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("가구 등록")
    assert page.locator("nav a.active").count() == 1
