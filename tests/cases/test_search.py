import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.selectors.households import household_search_by_rrn
from chatdong.audit.models import AccessLog
from tests.factories import HouseholdFactory, ResidentFactory

URL = "/cases/households/"
RRN = "480315-2345678"


def test_search_by_name_address_phone(client, planner, household, resident, dong):
    HouseholdFactory(dong=dong, address="서울특별시 은평구 연서로 9")
    client.force_login(planner)
    for q in ("홍길순", "통일로 123", "2345-6789", "01023456789"):
        body = client.get(URL, {"q": q}).content.decode()
        assert "통일로 123" in body, q
        assert "연서로 9" not in body, q


def test_search_is_scoped_to_the_users_area(client, outsider, household, resident):
    client.force_login(outsider)
    response = client.get(URL, {"q": "홍길순"})
    assert response.status_code == 200
    assert "통일로 123" not in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_search_by_rrn_through_blind_index_is_logged(client, planner, household, resident):
    client.force_login(planner)
    response = client.post(URL, {"rrn": "4803152345678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "통일로 123" in body
    assert "480315-2******" in body
    assert "2345678" not in body
    row = AccessLog.objects.get(subject_type="list", user=planner)
    assert row.action == "view" and "주민등록번호 검색" in row.reason
    assert "2345678" not in row.reason + row.path


def test_rrn_search_other_dong_finds_nothing(client, outsider, household, resident):
    client.force_login(outsider)
    response = client.post(URL, {"rrn": RRN})
    assert response.context["rrn_results"] == []
    assert "일치하는 가구원이 없습니다" in response.content.decode()


def test_malformed_rrn_gives_korean_message_and_no_query(client, planner, household, resident):
    client.force_login(planner)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, {"rrn": "48031-23"})
    assert "주민등록번호 형식이 올바르지 않습니다" in response.content.decode()
    assert not any("rrn_index" in q["sql"] for q in ctx.captured_queries)
    assert not AccessLog.objects.filter(subject_type="list").exists()


def test_selector_rejects_malformed_rrn_before_querying(planner, django_assert_num_queries):
    from django.core.exceptions import ValidationError

    with django_assert_num_queries(0), pytest.raises(ValidationError):
        household_search_by_rrn(user=planner, rrn="12345")


def test_rrn_in_get_query_is_refused(client, planner, household, resident):
    client.force_login(planner)
    response = client.get(URL, {"q": RRN})
    body = response.content.decode()
    assert "주민등록번호로 찾기" in body and "주소창에 남지 않도록" in body
    assert response.context["page"] is None


def test_filters_and_inactive_members(client, planner, dong):
    h = HouseholdFactory(dong=dong, risk_tier="high", address="위험가구 주소")
    ResidentFactory(household=h, name="가구주")
    HouseholdFactory(dong=dong, risk_tier="watch", address="주의가구 주소")
    client.force_login(planner)
    body = client.get(URL, {"tier": "high"}).content.decode()
    assert "위험가구 주소" in body and "주의가구 주소" not in body


def test_too_long_input_gets_a_plain_korean_message(client, planner):
    # Django's stock text ("이 값이 최대 100 개의 글자인지 확인하세요") reads like a machine's.
    client.force_login(planner)
    body = client.get(URL, {"q": "가" * 101}).content.decode()
    assert "검색어는 100자 이내로 입력하세요." in body
    body = client.post(URL, {"rrn": "1" * 21}).content.decode()
    assert "주민등록번호는 숫자 13자리로 입력하세요." in body
    assert "글자인지 확인하세요" not in body
