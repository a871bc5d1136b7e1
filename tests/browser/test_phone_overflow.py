"""On a phone (390px) nothing in the page body runs past the screen's right edge: a long
checkbox group (the staff who visited a Care SOS request) wraps, and long values in the
label/value rows (the visit-deadline policy note) wrap instead of widening the page."""

import pytest

from chatdong.accounts.roles import Role
from tests.browser.conftest import login
from tests.care_sos.factories import intake
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.browser

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main *')]
    .filter(el => { const box = el.getBoundingClientRect(); return box.width > 0 && box.right > width + 1; })
    .map(el => el.tagName + '.' + el.className);
}"""


@pytest.fixture(autouse=True)
def _policy(transactional_db):
    from chatdong.policy.seeds import load_median_income, seed_thresholds

    seed_thresholds()
    load_median_income()


def test_care_request_page_fits_a_phone(phone_page):
    dong = DongFactory()
    manager = UserFactory(role=Role.CARE_MANAGER, dong=dong, name="시험돌봄매니저")
    for n, role in enumerate([Role.PLANNER, Role.NURSE, Role.NEIGHBOURHOOD_OFFICER, Role.COUNSELLOR,
                              Role.TEAM_LEADER, Role.DONG_HEAD, Role.PLANNER, Role.PLANNER]):
        UserFactory(role=role, dong=dong, name=f"직원{n}번")  # many names in 방문한 직원
    household = HouseholdFactory(dong=dong)
    resident = ResidentFactory(household=household, name="김돌봄")
    care_request = intake(actor=manager, household=household, resident=resident)

    login(phone_page, manager)
    phone_page.goto(f"/cases/care-requests/{care_request.pk}/")
    assert phone_page.get_by_text("방문한 직원").count() >= 1
    assert phone_page.evaluate(OVERFLOW_JS) == []
