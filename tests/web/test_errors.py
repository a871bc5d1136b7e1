"""403/404/500 and the CSRF failure page are Korean, with the right status."""

import pytest
from django.test import Client
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.web.views import error_500


@pytest.mark.django_db
def test_404_is_korean(client):
    response = client.get("/없는-주소/")
    assert response.status_code == 404
    assert '<html lang="ko">' in response.text
    assert "페이지를 찾을 수 없습니다" in response.text
    assert "담당 구역 밖의 정보" in response.text
    assert "Not Found" not in response.text


def test_404_for_a_signed_in_user_keeps_the_navigation(client_for, staff):
    response = client_for(staff[Role.ADMIN]).get("/policy/no.such.key/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text
    assert 'aria-label="주 메뉴"' in response.text


def test_403_is_korean(client_for, staff):
    response = client_for(staff[Role.PLANNER]).get(reverse("audit:list"))
    assert response.status_code == 403
    assert "이 화면을 볼 권한이 없습니다" in response.text
    assert "Forbidden" not in response.text


@pytest.mark.urls("tests.web.urls_boom")
@pytest.mark.django_db
def test_500_through_the_handler_is_korean(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "일시적인 오류가 발생했습니다" in response.text
    assert "Server Error" not in response.text


def test_500_page_needs_no_database_or_context_processors(rf):
    # No database access is allowed in this test (no db fixture), and the request has no
    # user or session: a context processor or query would raise.
    request = rf.get("/")
    response = error_500(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "일시적인 오류가 발생했습니다" in html
    assert "/static/css/chatdong.css" in html


@pytest.mark.django_db
def test_csrf_failure_is_korean():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "화면이 오래되어 요청을 처리하지 못했습니다" in response.text
    assert "CSRF verification failed" not in response.text
