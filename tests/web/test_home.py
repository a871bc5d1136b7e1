"""The home page per role: who you are, your area, your shortcuts, figures in your scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chatdong.accounts.roles import Role
from chatdong.audit.services import log_access
from chatdong.policy.models import PolicyThreshold
from chatdong.web import selectors
from tests.factories import UserFactory


def home(client_for, user):
    response = client_for(user).get(reverse("web:home"))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_planner_sees_own_dong_tongs_and_team(client_for, staff, area):
    planner = staff[Role.PLANNER]
    planner.tongs.set(area.tongs[:2])
    html = home(client_for, planner).text
    assert f"{planner.display_name}님, 안녕하세요" in html
    assert "복지플래너" in html
    assert "담당 동" in html and "가나구 가동" in html
    assert "1통" in html and "2통" in html and "3통" not in html
    # Colleagues of the same dong are listed; staff of other dongs are not.
    assert staff[Role.NURSE].display_name in html
    assert staff[Role.DONG_HEAD].display_name in html
    assert "나동플래너" not in html and "다동플래너" not in html
    # Planners have no policy/audit screens in their menu, so no such cards or shortcuts.
    assert f'class="cd-shortcut" href="{reverse("policy:list")}"' not in html
    assert f'class="cd-shortcut" href="{reverse("audit:list")}"' not in html
    assert "최근 열람기록" not in html
    assert 'data-testid="policy-in-force"' not in html


def test_planner_without_tongs_is_told_what_to_do(client_for, staff):
    html = home(client_for, staff[Role.PLANNER]).text
    assert "배정된 통이 없습니다" in html


def test_gu_coordinator_sees_figures_for_the_gu_only(client_for, staff, area):
    response = home(client_for, staff[Role.GU_COORDINATOR])
    html = response.text
    assert "가나구 현황" in html
    assert response.context["dong_count"] == 2
    # Gu A: seven dong-role users in A1, the A2 planner, and the coordinator; not gu B's planner.
    assert response.context["staff_total"] == 9
    counts = {row.role: row.count for row in response.context["staff_counts"]}
    assert counts[Role.PLANNER] == 2
    assert counts[Role.GU_COORDINATOR] == 1
    assert Role.ADMIN not in counts
    assert 'data-testid="policy-in-force"' in html  # policy list is in their menu
    assert "최근 열람기록" not in html


def test_admin_sees_city_figures_shortcuts_and_recent_access(client_for, staff):
    log_access(user=staff[Role.PLANNER], subject_type="household", subject_id=4242, reason="정기 방문")
    response = home(client_for, staff[Role.ADMIN])
    html = response.text
    assert "서울특별시 현황" in html
    assert "업무 범위" in html and "서울특별시 전체" in html
    assert "최근 열람기록" in html and "#4242" in html and "정기 방문" in html
    shortcuts = {item["url"] for item in response.context["shortcuts"]}
    screens = {reverse("policy:list"), reverse("audit:list"), reverse("admin:accounts_user_changelist"), reverse("api-docs")}
    assert screens <= shortcuts
    for url in screens:
        assert f'class="cd-shortcut" href="{url}"' in html
    assert reverse("web:home") not in shortcuts  # the page itself is not a shortcut


def test_city_analyst_sees_policy_but_no_access_log(client_for, staff):
    html = home(client_for, staff[Role.CITY_ANALYST]).text
    assert 'data-testid="policy-in-force"' in html
    assert "최근 열람기록" not in html
    assert reverse("api-docs") in html


def test_policy_figures_count_versions_in_force_and_scheduled(db):
    today = timezone.localdate()
    before = selectors.policy_overview(on=today)
    PolicyThreshold.objects.create(key="test.home.a", label="시험 기준 A", value=3, unit="일",
                                   valid_from=today - datetime.timedelta(days=10),
                                   valid_to=today + datetime.timedelta(days=399), source="시험")
    PolicyThreshold.objects.create(key="test.home.a", label="시험 기준 A", value=5, unit="일",
                                   valid_from=today + datetime.timedelta(days=400), source="시험")
    PolicyThreshold.objects.create(key="test.home.b", label="시험 기준 B", value=1, unit="회",
                                   valid_from=today - datetime.timedelta(days=30),
                                   valid_to=today - datetime.timedelta(days=1), source="시험")
    after = selectors.policy_overview(on=today, upcoming_limit=1000)
    assert after.in_force == before.in_force + 1  # B has ended
    assert after.upcoming_count == before.upcoming_count + 1
    assert [t.value for t in after.upcoming if t.key == "test.home.a"] == [5]


def test_staff_scope_per_role(staff, area):
    def names(user):
        return set(selectors.staff_in_scope(user).values_list("pk", flat=True))

    everyone = {u.pk for u in staff.values()}
    a1 = {u.pk for u in staff.values() if u.dong_id == area.a1.pk}
    assert names(staff[Role.ADMIN]) >= everyone
    assert names(staff[Role.CITY_ANALYST]) >= everyone  # counts only: no personal data involved
    assert names(staff[Role.PLANNER]) == a1
    gu_a = a1 | {staff["planner_a2"].pk, staff[Role.GU_COORDINATOR].pk}
    assert names(staff[Role.GU_COORDINATOR]) == gu_a
    inactive = UserFactory(role=Role.NURSE, dong=area.a1, is_active=False)
    assert inactive.pk not in names(staff[Role.PLANNER])
    assert selectors.team_members(staff[Role.GU_COORDINATOR]) == []
    assert staff[Role.PLANNER] not in selectors.team_members(staff[Role.PLANNER])
