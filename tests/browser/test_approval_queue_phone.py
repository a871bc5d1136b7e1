"""The gu's care-plan approval queue fits a phone: the comments of earlier returns and
resubmissions (one long unbroken word included) wrap instead of widening the page."""

import pytest

from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import approvals, plans
from chatdong.accounts.roles import Role
from tests.browser.conftest import login
from tests.care_sos.factories import CareProviderFactory, intake, walk
from tests.factories import DongFactory, GuFactory, HouseholdFactory, ResidentFactory, UserFactory

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


def test_approval_queue_fits_a_phone(phone_page):
    gu = GuFactory(name="시험구")
    dong = DongFactory(gu=gu, name="가나동")
    manager = UserFactory(role=Role.CARE_MANAGER, dong=dong, name="김돌봄")
    coordinator = UserFactory(role=Role.GU_COORDINATOR, dong=None, gu=gu, name="정지원단")
    provider = CareProviderFactory(gu=gu, name="한빛재가센터")
    household = HouseholdFactory(dong=dong, income_ratio=120)
    care_request = intake(actor=manager, household=household, resident=ResidentFactory(household=household))
    walk(care_request, to=S.SUBMITTED, actor=manager, provider=provider)
    approvals.care_plan_return(actor=coordinator, care_request=care_request,
                               comment="방문 일정과 서비스 시간을 보완해 주세요. 등급 판정 "
                                       "예정일까지로 줄이고 보건소 연계도 넣어 주세요.")
    plans.care_plan_revise(actor=manager, care_request=care_request)
    plans.care_plan_submit(actor=manager, care_request=care_request,
                           comment="반려의견대로일시재가시간을조정하고보건소연계를추가했습니다_____________끝")

    login(phone_page, coordinator)
    phone_page.goto("/cases/care-plans/approvals/")
    assert phone_page.get_by_test_id("approval-queue").count() == 1
    assert phone_page.get_by_text("보완 후 재요청").count() >= 1
    assert phone_page.evaluate(OVERFLOW_JS) == []
