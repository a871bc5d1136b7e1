"""Policy and access-log pages: KRDS tables with the values, units, versions and filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chatdong.accounts.roles import Role
from chatdong.audit.services import log_access
from chatdong.policy.models import MedianIncome, PolicyThreshold


@pytest.fixture
def thresholds(db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    old = PolicyThreshold.objects.create(
        key="test.ui.grant", label="시험 지원 한도", value=1_000_000, unit="원",
        valid_from=today - 400 * day, valid_to=today - 31 * day, source="시험 고시 2024-1")
    now = PolicyThreshold.objects.create(
        key="test.ui.grant", label="시험 지원 한도", value=1_234_000, unit="원",
        valid_from=today - 30 * day, valid_to=today + 59 * day, source="시험 고시 2025-7")
    future = PolicyThreshold.objects.create(
        key="test.ui.grant", label="시험 지원 한도", value=1_500_000, unit="원",
        valid_from=today + 60 * day, source="시험 고시 2026-1")
    new_key = PolicyThreshold.objects.create(
        key="test.ui.newrule", label="시험 신설 기준", value=[65, 70], unit="세",
        valid_from=today + 10 * day, source="시험 신설 고시")
    return {"old": old, "now": now, "future": future, "new_key": new_key, "today": today}


def test_policy_list_shows_values_with_units_sources_and_scheduled_versions(client_for, staff, thresholds):
    response = client_for(staff[Role.TEAM_LEADER]).get(reverse("policy:list"))
    assert response.status_code == 200
    html = response.text
    label_at = html.index("시험 지원 한도")
    row = html[html.rindex("<tr", 0, label_at) : html.index("</tr>", label_at)]
    assert "1,234,000원" in row
    assert "시험 고시 2025-7" in row
    future_day = thresholds["future"].valid_from.isoformat()
    assert future_day in row and "1,500,000원" in row
    assert ">1,000,000원<" not in html  # the ended version is only in the history
    assert reverse("policy:history", args=["test.ui.grant"]) in row
    # A key with only a scheduled version is announced separately.
    assert "새로 적용될 기준" in html and "시험 신설 기준" in html and "65세, 70세" in html
    assert 'class="krds-table-wrap cd-table cd-table--stack"' in html
    assert 'data-label="현재 값"' in html


def test_policy_list_shows_the_median_income_table_by_year(client_for, staff, db):
    year = 2091
    MedianIncome.objects.create(year=year, household_size=1, monthly_krw=3_000_000, source="시험 고시")
    MedianIncome.objects.create(year=year, household_size=2, monthly_krw=4_500_000, source="시험 고시")
    html = client_for(staff[Role.ADMIN]).get(reverse("policy:list")).text
    assert f'data-testid="median-{year}"' in html
    assert f"{year}년" in html and "2,091" not in html
    assert "3,000,000원" in html and "4,500,000원" in html


def test_admin_gets_a_link_to_change_thresholds(client_for, staff, thresholds):
    admin_html = client_for(staff[Role.ADMIN]).get(reverse("policy:list")).text
    assert reverse("admin:policy_policythreshold_changelist") in admin_html


def test_team_leader_gets_no_change_link(client_for, staff, thresholds):
    html = client_for(staff[Role.TEAM_LEADER]).get(reverse("policy:list")).text
    assert reverse("admin:policy_policythreshold_changelist") not in html


def test_history_lists_every_version_with_its_state(client_for, staff, thresholds):
    response = client_for(staff[Role.ADMIN]).get(reverse("policy:history", args=["test.ui.grant"]))
    assert response.status_code == 200
    html = response.text
    assert "<h1>시험 지원 한도</h1>" in html
    for value, state in (("1,500,000원", "적용 예정"), ("1,234,000원", "적용 중"), ("1,000,000원", "종료")):
        row = html[html.index(value) - 400 : html.index(value)]
        assert state in row, (value, state)
    assert "krds-breadcrumb-wrap" in html


def test_access_log_filters_and_paginates_keeping_the_filter(client_for, staff):
    planner, nurse = staff[Role.PLANNER], staff[Role.NURSE]
    for n in range(60):
        log_access(user=planner, subject_type="household", subject_id=1000 + n, reason=f"방문 {n}")
    log_access(user=nurse, subject_type="resident", subject_id=5, household_id=77, action="reveal", reason="긴급지원")
    client = client_for(staff[Role.ADMIN])

    page1 = client.get(reverse("audit:list"), {"user": planner.username})
    assert page1.status_code == 200
    html = page1.text
    assert f'value="{planner.username}"' in html  # the form keeps the filter
    assert "조회 결과" in html and "60건" in html
    assert "긴급지원" not in html  # the nurse's row is filtered out
    assert f"?user={planner.username}&amp;page=2" in html
    page2 = client.get(reverse("audit:list"), {"user": planner.username, "page": 2})
    assert page2.context["page"].number == 2
    assert 'aria-current="page"' in page2.text

    by_household = client.get(reverse("audit:list"), {"household": "77"}).text
    assert "주민등록번호 전체 열람" in by_household and "긴급지원" in by_household
    assert "krds-badge bg-light-danger" in by_household  # disclosures stand out


def test_access_log_empty_result_offers_a_reset(client_for, staff):
    html = client_for(staff[Role.ADMIN]).get(reverse("audit:list"), {"user": "nobody"}).text
    assert "조건에 맞는 열람기록이 없습니다" in html
    assert "조건 초기화" in html
