"""Care SOS screens: Korean pages for each step, htmx plan editor, scope (404 outside the area and
for the city analyst), access logging, printable plan, the gu's queue and SLA board."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.care_sos.models import CareRequest
from cases.care_sos.models import CareRequestStatus as S
from chatdong.audit.models import AccessLog
from chatdong.notifications.models import Notification
from tests.care_sos.factories import walk

pytestmark = pytest.mark.django_db


def detail(r):
    return reverse("cases:care_request_detail", args=[r.pk])


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_list_shows_time_left_in_korean_and_the_most_urgent_first(as_user, make_request, care_manager):
    now = timezone.now()
    calm = make_request(received_at=now - datetime.timedelta(hours=31))  # 41 h left
    late = make_request(received_at=now - datetime.timedelta(hours=75))  # 3 h past
    client = as_user(care_manager)
    response = client.get(reverse("cases:care_request_list"))
    body = text(response)
    assert response.status_code == 200
    assert "41시간 남음" in body and "3시간 지남" in body
    assert body.index(late.number) < body.index(calm.number)
    assert 'data-sla="overdue"' in body and 'data-sla="on_track"' in body
    overdue_only = client.get(reverse("cases:care_request_list"), {"sla": "overdue"})
    assert late.number in text(overdue_only) and calm.number not in text(overdue_only)
    assert AccessLog.objects.filter(user=care_manager, subject_type="list").exists()


def test_intake_form_registers_a_new_household_and_shows_the_deadline(as_user, care_manager, dong):
    client = as_user(care_manager)
    assert client.get(reverse("cases:care_request_intake")).status_code == 200
    data = {
        "address": "시험로 77", "address_detail": "지하 1호", "housing_type": "semi_basement", "income_ratio": "95",
        "person_name": "이할머니", "person_birth_date": "1941-02-03", "person_sex": "F",
        "person_disability": "none", "person_care_grade": "none",
        "channel": "dong_visit", "reason_kind": "illness", "reason": "낙상 후 거동 불가", "urgency": "urgent",
        "informal_carer": "none", "care_managers": [care_manager.pk],
    }
    response = client.post(reverse("cases:care_request_intake"), data)
    r = CareRequest.objects.get()
    assert response.status_code == 302 and response.url == detail(r)
    page = text(client.get(detail(r)))
    assert "72시간 남음" in page or "71시간 남음" in page
    assert r.household.address == "시험로 77" and r.resident.name == "이할머니"


def test_intake_errors_are_korean_and_nothing_is_saved(as_user, care_manager):
    response = as_user(care_manager).post(reverse("cases:care_request_intake"), {"channel": "phone"})
    body = text(response)
    assert response.status_code == 400
    for message in ("새 가구의 주소를 입력하세요.", "돌봄이 필요한 분의 이름을 입력하세요.",
                    "어떤 돌봄이 왜 필요한지 상황을 입력하세요."):
        assert message in body
    assert not CareRequest.objects.exists()


@time_machine.travel(datetime.datetime(2026, 3, 2, 0, 20, tzinfo=datetime.UTC), tick=False)
def test_intake_deadline_is_written_as_korean_dates_are(as_user, care_manager, team_leader, dong):
    # "03월 05일" (zero-padded) in the message and the team's notification; Korean writes "3월 5일".
    data = {
        "address": "시험로 78", "person_name": "박할아버지", "person_birth_date": "1939-05-06", "person_sex": "M",
        "person_disability": "none", "person_care_grade": "none", "housing_type": "other",
        "channel": "phone", "reason_kind": "illness", "reason": "혼자 식사 준비가 어려움", "urgency": "normal",
        "informal_carer": "none", "care_managers": [care_manager.pk],
    }
    client = as_user(care_manager)
    body = text(client.post(reverse("cases:care_request_intake"), data, follow=True))
    assert "돌봄매니저 방문 기한은 3월 5일 09:20" in body
    assert "(으)로" not in body and "03월" not in body
    assert Notification.objects.filter(user=team_leader, title__contains="3월 5일 09:20까지 방문").exists()


def test_choice_errors_use_the_right_particle(as_user, care_manager):
    # "신청 경로을(를) 선택하세요" left the particle to the reader.
    body = text(as_user(care_manager).post(reverse("cases:care_request_intake"), {"reason": "혼자 지내기 어려움"}))
    assert "신청 경로를 선택하세요." in body
    assert "돌봄 필요 사유를 선택하세요." in body
    assert "(를)" not in body


def test_intake_for_an_existing_household(as_user, care_manager, household, resident, far_dong):
    client = as_user(care_manager)
    from tests.factories import HouseholdFactory

    elsewhere = HouseholdFactory(dong=far_dong)
    for bad in ("abc", "9999999", str(elsewhere.pk)):
        assert client.get(reverse("cases:care_request_intake"), {"household": bad}).status_code == 404
        assert client.get(reverse("cases:care_request_intake"), {"report": bad}).status_code == 404
    page = client.get(reverse("cases:care_request_intake"), {"household": household.pk})
    assert resident.name in text(page)
    found = client.get(reverse("cases:care_request_household_search"), {"q": "통일로"})
    assert f"?household={household.pk}" in text(found)
    response = client.post(reverse("cases:care_request_intake"), {
        "household": household.pk, "resident": resident.pk, "channel": "phone", "reason_kind": "discharge",
        "reason": "퇴원", "urgency": "normal", "informal_carer": "family_apart",
    })
    assert response.status_code == 302
    assert CareRequest.objects.get().resident == resident


def test_the_dong_works_a_request_through_the_screens(as_user, make_request, care_manager, coordinator, provider):
    r = make_request()
    client = as_user(care_manager)
    assert "방문 기록" in text(client.get(detail(r)))
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("cases:care_request_visit", args=[r.pk]), {"visited_at": now, "note": "집에서 만남",
                                                                     "visitors": [care_manager.pk]})
    r.refresh_from_db()
    assert r.status == S.VISITED
    response = client.post(reverse("cases:care_assessment", args=[r.pk]), {
        "housing_level": "none", "health_level": "urgent", "health_note": "수술 후", "care_level": "some",
        "daily_life_level": "none", "safety_level": "none", "care_kinds": ["emergency"], "adl_difficulties": ["walking"],
    })
    assert response.status_code == 302
    client.post(reverse("cases:care_plan_start", args=[r.pk]))
    r.refresh_from_db()
    assert r.status == S.PLAN_DRAFTED
    editor = client.get(reverse("cases:care_plan", args=[r.pk]))
    assert editor.status_code == 200 and provider.name in text(editor)
    plan = r.plan
    line = {"kind": "emergency", "service": "temporary_home_care", "provider": provider.pk, "quantity": "8",
            "unit": "hour", "unit_cost": "18000", "start_on": plan.period_start.isoformat(),
            "end_on": plan.period_end.isoformat()}
    preview = client.get(reverse("cases:care_plan_preview", args=[r.pk]), {"quantity": "8", "unit_cost": "18000"},
                         HTTP_HX_REQUEST="true")
    assert "144,000" in text(preview) and "입력 중인 서비스 포함" in text(preview)
    added = client.post(reverse("cases:care_plan_line_add", args=[r.pk]), line, HTTP_HX_REQUEST="true")
    assert added.status_code == 200 and 'id="plan-editor"' in text(added)
    assert "144,000" in text(added) and "<html" not in text(added)
    # Income 120 % of the median > 100 %: the seeded self-pay share (100 %) applies.
    assert re.search(r'data-testid="self-pay">144,000', text(added))
    bad = client.post(reverse("cases:care_plan_line_add", args=[r.pk]), {**line, "kind": "daily", "service": "escort"},
                      HTTP_HX_REQUEST="true")
    assert "욕구 사정에서 정한 돌봄 종류가 아닙니다" in text(bad)
    client.post(reverse("cases:care_plan_submit", args=[r.pk]), {})
    r.refresh_from_db()
    assert r.status == S.SUBMITTED


def test_gu_returns_with_a_required_comment_and_approves(as_user, make_request, care_manager, coordinator, provider):
    r = walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    client = as_user(coordinator)
    queue = client.get(reverse("cases:care_plan_approvals"))
    assert r.number in text(queue) and "기한 내 방문" in text(queue)
    response = client.post(reverse("cases:care_plan_return", args=[r.pk]), {"comment": ""}, follow=True)
    assert "반려할 때는 무엇을 보완해야 하는지 의견을 입력해야 합니다." in text(response)
    r.refresh_from_db()
    assert r.status == S.SUBMITTED
    client.post(reverse("cases:care_plan_approve", args=[r.pk]), {"comment": "적정",
                                                                  "next": reverse("cases:care_plan_approvals")})
    r.refresh_from_db()
    assert r.status == S.APPROVED
    again = client.post(reverse("cases:care_plan_approve", args=[r.pk]), {}, follow=True)
    assert "이미 처리되었거나" in text(again)
    # A dong member cannot approve (403), whatever they post.
    assert as_user(care_manager).post(reverse("cases:care_plan_approve", args=[r.pk]), {}).status_code == 403


def test_scope(client, make_request, neighbour_staff, far_coordinator, coordinator, analyst):
    r = make_request()
    urls = [detail(r), reverse("cases:care_assessment", args=[r.pk]), reverse("cases:care_plan", args=[r.pk]),
            reverse("cases:care_plan_print", args=[r.pk])]
    for outsider in (neighbour_staff, far_coordinator):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(reverse("cases:care_request_visit", args=[r.pk]), {}).status_code == 404
    client.force_login(coordinator)
    assert client.get(detail(r)).status_code == 200
    assert client.get(reverse("cases:care_assessment", args=[r.pk])).status_code == 403
    client.force_login(analyst)
    for url in [*urls, reverse("cases:care_request_list"), reverse("cases:care_plan_approvals")]:
        response = client.get(url)
        assert response.status_code == 404
        assert r.resident.name not in text(response)
    board = client.get(reverse("cases:care_sos_sla"))
    assert board.status_code == 200 and r.resident.name not in text(board)


def test_print_is_logged(as_user, make_request, care_manager, provider):
    r = walk(make_request(), to=S.PLAN_DRAFTED, actor=care_manager, provider=provider)
    response = as_user(care_manager).get(reverse("cases:care_plan_print", args=[r.pk]))
    body = text(response)
    assert response.status_code == 200 and "@media print" in body and "대상자(또는 보호자) 성명·서명" in body
    assert r.resident.name in body and "200,000원" in body
    assert AccessLog.objects.filter(subject_type="care_request", subject_id=r.pk, action="print").exists()


def test_household_timeline_shows_care_sos_steps(as_user, make_request, care_manager, coordinator, provider):
    r = walk(make_request(), to=S.IN_SERVICE, actor=care_manager, coordinator=coordinator, provider=provider)
    page = text(as_user(care_manager).get(reverse("cases:household_detail", args=[r.household_id])))
    for label in ("접수", "방문 기록", "욕구 사정", "케어플랜 작성", "승인 요청", "승인", "서비스 제공 시작"):
        assert f"{r.number} · {label}" in page, label
    assert "요양보호사 4시간 방문" in page  # the delivery and its result note


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_and_board_take_a_constant_number_of_queries(as_user, make_request, care_manager, coordinator, provider,
                                                           neighbour_dong):
    walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    client = as_user(coordinator)
    queue, board = reverse("cases:care_plan_approvals"), reverse("cases:care_sos_sla")
    first = (_queries(client, queue), _queries(client, board))
    for _ in range(4):
        walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    make_request(received_at=timezone.now() - datetime.timedelta(hours=80))
    from tests.factories import DongFactory

    DongFactory(gu=coordinator.gu)
    assert (_queries(client, queue), _queries(client, board)) == first


def test_sla_board_counts(as_user, make_request, care_manager, coordinator, provider, dong):
    now = timezone.now()
    make_request(received_at=now - datetime.timedelta(hours=10))  # on track
    make_request(received_at=now - datetime.timedelta(hours=60))  # due soon (24 h before the deadline)
    make_request(received_at=now - datetime.timedelta(hours=80))  # overdue
    visited = make_request(received_at=now - datetime.timedelta(hours=30))
    walk(visited, to=S.VISITED, actor=care_manager, visited_at=now - datetime.timedelta(hours=20))  # 10 h to visit
    response = as_user(coordinator).get(reverse("cases:care_sos_sla"))
    row = response.context["board"][0]
    assert row.dong == dong
    assert (row.on_track, row.due_soon, row.overdue, row.visited, row.visited_on_time) == (1, 1, 1, 1, 1)
    assert row.median_hours == 10.0 and row.compliance == 100.0
    assert 'data-testid="total-overdue">1' in text(response)


def test_providers_list(as_user, provider, helper_provider, care_manager, far_dong):
    from tests.care_sos.factories import CareProviderFactory

    far = CareProviderFactory(gu=far_dong.gu, name="먼구기관")
    body = text(as_user(care_manager).get(reverse("cases:care_sos_providers")))
    assert provider.name in body and helper_provider.name in body and far.name not in body
