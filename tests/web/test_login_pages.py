"""Login, lockout and logged-out notices in Korean, on the KRDS layout."""

import pytest
from django.urls import reverse

from chatdong.accounts.roles import Role
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_login_page_is_korean_and_states_the_rules(client):
    html = client.get(reverse("accounts:login")).text
    assert "찾동 로그인" in html
    assert 'for="id_username"' in html and "아이디" in html and "비밀번호" in html
    assert "5회 잘못 입력하면 계정이 1시간 동안 잠깁니다" in html
    assert "30분 동안 활동이 없으면" in html
    assert 'class="krds-input"' in html
    assert "찾아가는 동주민센터" in html


def test_wrong_password_shows_the_korean_error_in_an_alert(client, staff):
    response = client.post(reverse("accounts:login"), {"username": staff[Role.PLANNER].username, "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in response.text


@pytest.mark.django_db
def test_empty_fields_get_korean_field_errors(client):
    html = client.post(reverse("accounts:login"), {"username": "", "password": ""}).text
    assert html.count("필수 항목입니다.") == 2
    assert 'aria-invalid="true"' in html


def test_lockout_page_is_korean(client, staff):
    user = staff[Role.PLANNER]
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "로그인이 잠시 제한되었습니다" in response.text
    assert "5회" in response.text and "1시간 동안 제한됩니다" in response.text
    assert user.username in response.text


def test_logged_out_for_inactivity_notice_is_shown_as_an_alert(client, staff):
    from chatdong.accounts.middleware import SESSION_KEY

    client.force_login(staff[Role.PLANNER])
    session = client.session
    session[SESSION_KEY] = 0
    session.save()
    response = client.get(reverse("web:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert 'class="cd-alert cd-alert--info"' in response.text
    assert "활동이 없어 안전을 위해 로그아웃되었습니다" in response.text
