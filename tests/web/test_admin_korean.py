"""The Django admin speaks Korean and carries the chatdong brand."""

import pytest
from django.urls import reverse

from chatdong.accounts.roles import Role


def test_admin_index_is_korean_and_branded(client_for, staff):
    response = client_for(staff[Role.ADMIN]).get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="ko"' in html
    assert "찾동 관리자" in html  # site header and title
    assert "관리 메뉴" in html  # index title
    # Django's own admin strings come out in Korean.
    for korean in ("최근 활동", "비밀번호 변경", "로그아웃", "직원 계정"):
        assert korean in html, korean
    for english in ("Site administration", "Recent actions", "Log out", "Django administration"):
        assert english not in html, english
    # The admin uses the vendored KRDS font (no CDN) and our favicon.
    assert "/static/vendor/krds/fonts/pretendard-gov.css" in html
    assert "/static/css/admin.css" in html


def test_admin_user_list_is_korean(client_for, staff):
    response = client_for(staff[Role.ADMIN]).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    assert "변경할 직원 계정 선택" in response.text
    assert "검색" in response.text


@pytest.mark.django_db
def test_admin_login_page_is_korean(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "사용자 이름" in response.text
    assert "찾동 관리자" in response.text


def test_non_admin_staff_do_not_reach_the_admin(client_for, staff):
    response = client_for(staff[Role.TEAM_LEADER]).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
