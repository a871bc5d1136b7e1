"""The lonely-death no-response procedure (DOMAIN §4): steps and deadlines, idempotent start,
attributed tick-off, closing, and the team leader's overdue list."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import NO_RESPONSE_STEPS, NoResponseProcedure, NoResponseStep
from cases.selectors import no_response as selectors
from cases.services import no_response as services
from chatdong.accounts.roles import Role
from chatdong.audit.models import AccessLog
from tests.factories import HouseholdFactory

SEOUL = datetime.timezone(datetime.timedelta(hours=9))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def planner(make_user, dong):
    return make_user(role=Role.PLANNER, dong=dong)


@pytest.fixture
def leader(make_user, dong):
    return make_user(role=Role.TEAM_LEADER, dong=dong)


@pytest.fixture
def household(dong):
    return HouseholdFactory(dong=dong)


def test_step_deadlines_follow_the_manual():
    started = datetime.datetime(2025, 3, 10, 15, 30, tzinfo=SEOUL)
    assert services.step_due_at("d1_text_or_sticker", 1, started) == datetime.datetime(2025, 3, 10, 23, 59, 59, tzinfo=SEOUL)
    assert services.step_due_at("d2_joint_visit", 2, started) == datetime.datetime(2025, 3, 11, 12, 0, tzinfo=SEOUL)
    assert services.step_due_at("d2_police_entry", 2, started) == datetime.datetime(2025, 3, 11, 12, 0, tzinfo=SEOUL)
    assert services.step_due_at("d2_missing_report", 2, started) == datetime.datetime(2025, 3, 11, 18, 0, tzinfo=SEOUL)
    # Started late in the evening (UTC is already the next day): day 1 is still the Seoul day.
    late = datetime.datetime(2025, 3, 10, 23, 30, tzinfo=SEOUL)
    assert services.step_due_at("d1_text_or_sticker", 1, late).date() == datetime.date(2025, 3, 10)


@pytest.mark.django_db
def test_start_creates_all_steps(planner, household):
    procedure = services.no_response_start(actor=planner, household=household, trigger="안부전화 3회 미응답")
    steps = list(procedure.steps.order_by("id"))
    assert [s.code for s in steps] == [code for code, _day, _label in NO_RESPONSE_STEPS]
    today = timezone.localdate()
    day1 = [s for s in steps if s.day == 1]
    day2 = [s for s in steps if s.day == 2]
    assert all(timezone.localtime(s.due_at).date() == today for s in day1)
    assert all(timezone.localtime(s.due_at).date() == today + datetime.timedelta(days=1) for s in day2)
    assert procedure.started_by == planner and procedure.status == NoResponseProcedure.Status.OPEN
    assert AccessLog.objects.filter(household_id=household.pk, action=AccessLog.Action.CREATE).exists()


@pytest.mark.django_db
def test_start_is_idempotent(planner, leader, household):
    first = services.no_response_start(actor=planner, household=household, trigger="IoT 미감지")
    second = services.no_response_start(actor=leader, household=household, trigger="다시 시작")
    assert first.pk == second.pk
    assert NoResponseProcedure.objects.filter(household=household).count() == 1
    assert NoResponseStep.objects.filter(procedure=first).count() == len(NO_RESPONSE_STEPS)
    second.refresh_from_db()
    assert second.trigger == "IoT 미감지"


@pytest.mark.django_db
def test_start_requires_a_reason(planner, household):
    with pytest.raises(ValidationError, match="사유"):
        services.no_response_start(actor=planner, household=household, trigger="  ")
    assert not NoResponseProcedure.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_procedure(make_user, dong):
    household = HouseholdFactory(dong=dong)
    users = [make_user(role=Role.PLANNER, dong=dong) for _ in range(4)]
    barrier = threading.Barrier(4)
    results = [None] * 4

    def start(i):
        try:
            barrier.wait()
            results[i] = services.no_response_start(actor=users[i], household=household, trigger=f"시작 {i}").pk
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(set(results)) == 1, results
    assert NoResponseProcedure.objects.filter(household=household).count() == 1
    assert NoResponseStep.objects.count() == len(NO_RESPONSE_STEPS)


@pytest.mark.django_db
def test_step_done_is_attributed(planner, household):
    procedure = services.no_response_start(actor=planner, household=household, trigger="x")
    step = procedure.steps.get(code="d1_text_or_sticker")
    before = timezone.now()
    services.no_response_step_done(actor=planner, step=step, note="문자 발송, 스티커 부착")
    step.refresh_from_db()
    assert step.done_by == planner and step.done_at >= before
    assert step.note == "문자 발송, 스티커 부착"
    with pytest.raises(ValidationError, match="이미 완료된"):
        services.no_response_step_done(actor=planner, step=step)


@pytest.mark.django_db
def test_htmx_tick_off_returns_the_row(planner, household):
    procedure = services.no_response_start(actor=planner, household=household, trigger="x")
    step = procedure.steps.get(code="d2_family_contact")
    client = _client(planner)
    page = client.get(reverse("cases:no_response_detail", args=[procedure.pk])).content.decode()
    assert f'hx-post="{reverse("cases:no_response_step_done", args=[step.pk])}"' in page
    response = client.post(
        reverse("cases:no_response_step_done", args=[step.pk]), {"note": "딸과 통화"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="step-{step.pk}"' in html and "완료" in html and planner.display_name in html
    assert "<html" not in html
    step.refresh_from_db()
    assert step.done_by == planner


@pytest.mark.django_db
def test_close_resolved_and_escalated(planner, household, dong):
    procedure = services.no_response_start(actor=planner, household=household, trigger="x")
    with pytest.raises(ValidationError, match="결과 내용"):
        services.no_response_close(actor=planner, procedure=procedure, status="resolved", note="")
    with pytest.raises(ValidationError, match="종료 결과"):
        services.no_response_close(actor=planner, procedure=procedure, status="open", note="x")
    services.no_response_close(actor=planner, procedure=procedure, status="resolved", note="병원 입원 확인")
    procedure.refresh_from_db()
    assert procedure.status == "resolved" and procedure.closed_at is not None
    with pytest.raises(ValidationError, match="이미 종료된"):
        services.no_response_step_done(actor=planner, step=procedure.steps.first())

    # A new trigger after closing opens a new procedure.
    second = services.no_response_start(actor=planner, household=household, trigger="다시 무응답")
    assert second.pk != procedure.pk
    services.no_response_close(actor=planner, procedure=second, status="escalated", note="오후 실종 신고 접수")
    missing = second.steps.get(code="d2_missing_report")
    assert missing.done_at is not None and missing.done_by == planner


@pytest.mark.django_db
def test_overdue_steps_visible_to_team_leader(leader, planner, household, make_user, other_dong):
    procedure = services.no_response_start(actor=planner, household=household, trigger="IoT 48시간 미감지")
    past = timezone.now() - datetime.timedelta(hours=3)
    procedure.steps.filter(day=1).update(due_at=past)
    done_step = procedure.steps.get(code="d2_joint_visit")
    done_step.due_at = past
    done_step.save()
    services.no_response_step_done(actor=planner, step=done_step)

    overdue = list(selectors.overdue_steps_for(leader))
    assert [s.code for s in overdue] == ["d1_text_or_sticker"]

    html = _client(leader).get(reverse("cases:no_response_overview")).content.decode()
    assert 'data-testid="overdue-steps"' in html
    assert "cd-overdue" in html
    assert "문자 발송 또는 방문 후 스티커 부착·기록" in html

    other_leader = make_user(role=Role.TEAM_LEADER, dong=other_dong)
    assert list(selectors.overdue_steps_for(other_leader)) == []
    page = _client(other_leader).get(reverse("cases:no_response_overview"))
    assert "문자 발송 또는 방문 후 스티커" not in page.content.decode()


@pytest.mark.django_db
def test_closed_procedures_have_no_overdue_steps(leader, planner, household):
    procedure = services.no_response_start(actor=planner, household=household, trigger="x")
    procedure.steps.update(due_at=timezone.now() - datetime.timedelta(days=1))
    services.no_response_close(actor=planner, procedure=procedure, status="resolved", note="안전 확인")
    assert not selectors.overdue_steps_for(leader).exists()


@pytest.mark.django_db
def test_screens_are_scoped(planner, household, make_user, other_dong):
    procedure = services.no_response_start(actor=planner, household=household, trigger="x")
    step = procedure.steps.first()
    outsider = _client(make_user(role=Role.TEAM_LEADER, dong=other_dong))
    assert outsider.get(reverse("cases:no_response_detail", args=[procedure.pk])).status_code == 404
    assert outsider.post(reverse("cases:no_response_step_done", args=[step.pk])).status_code == 404
    assert outsider.post(reverse("cases:no_response_close", args=[procedure.pk]),
                         {"status": "resolved", "note": "x"}).status_code == 404
    assert outsider.post(reverse("cases:no_response_start", args=[household.pk]), {"trigger": "x"}).status_code == 404
    step.refresh_from_db()
    assert step.done_at is None


@pytest.mark.django_db
def test_detail_view_logs_access(planner, household):
    procedure = services.no_response_start(actor=planner, household=household, trigger="x")
    assert _client(planner).get(reverse("cases:no_response_detail", args=[procedure.pk])).status_code == 200
    assert AccessLog.objects.filter(household_id=household.pk, action=AccessLog.Action.VIEW, user=planner).exists()


@pytest.mark.django_db
def test_start_and_close_views(planner, household):
    client = _client(planner)
    response = client.post(reverse("cases:no_response_start", args=[household.pk]), {"trigger": "안부전화 미응답"})
    procedure = NoResponseProcedure.objects.get(household=household)
    assert response["Location"] == reverse("cases:no_response_detail", args=[procedure.pk])
    client.post(reverse("cases:no_response_start", args=[household.pk]), {"trigger": "또"})
    assert NoResponseProcedure.objects.filter(household=household).count() == 1
    response = client.post(reverse("cases:no_response_close", args=[procedure.pk]), {"status": "escalated", "note": ""},
                           follow=True)
    assert "결과 내용을 입력하세요." in response.content.decode()
    client.post(reverse("cases:no_response_close", args=[procedure.pk]), {"status": "escalated", "note": "실종 신고"})
    procedure.refresh_from_db()
    assert procedure.status == "escalated"
