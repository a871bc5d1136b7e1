"""Lifecycles of the crisis report and the no-response procedure: named transitions with
guards, one append-only event per transition, allowed states in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse
from django_fsm import can_proceed

from cases.models import (
    CrisisReport,
    CrisisReportTransition,
    NoResponseEvent,
    NoResponseProcedure,
    ReportChannel,
    ReportOutcome,
    ReportStatus,
)
from cases.services import discovery
from cases.services import no_response as procedures
from chatdong.accounts.roles import Role
from chatdong.lifecycle import apply_transition
from tests.factories import CrisisReportFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(make_user, dong):
    return make_user(role=Role.PLANNER, dong=dong)


@pytest.fixture
def leader(make_user, dong):
    return make_user(role=Role.TEAM_LEADER, dong=dong)


def _history(events) -> list[tuple[str, str, str]]:
    return [(e.transition, e.from_status, e.to_status) for e in events.all()]


# --- crisis report ---------------------------------------------------------------------------

def test_a_report_records_every_transition(planner, leader, dong):
    report = discovery.crisis_report_record(
        actor=planner, dong=dong, channel=ReportChannel.HOTLINE, address="은평로 1", situation="단전 예고",
    )
    discovery.crisis_report_assign(actor=leader, report=report, assignee=planner)
    discovery.crisis_report_record_visit(actor=planner, report=report, note="집에 계심, 월세 체납")
    discovery.crisis_report_close(actor=planner, report=report, outcome=ReportOutcome.EMERGENCY_AID, note="긴급지원")

    assert _history(report.transitions) == [
        ("receive", "", ReportStatus.NEW),
        ("assign", ReportStatus.NEW, ReportStatus.ASSIGNED),
        ("record_visit", ReportStatus.ASSIGNED, ReportStatus.VISITED),
        ("close", ReportStatus.VISITED, ReportStatus.CLOSED),
    ]
    events = list(report.transitions.all())
    assert [e.actor for e in events] == [planner, leader, planner, planner]
    assert events[1].comment == f"담당: {planner.display_name}" and events[3].comment == "긴급지원"
    assert events[3].transition_label == "처리 완료"
    # closed is final: no transition leaves it
    report.refresh_from_db()
    for name in ("assign", "transfer", "record_visit", "close"):
        assert not can_proceed(getattr(report, name), check_conditions=False)


def test_public_report_starts_with_an_anonymous_receive_event(dong):
    report = discovery.public_report_submit(dong=dong, address="은평로 2", situation="연락 두절", consent=True)
    assert _history(report.transitions) == [("receive", "", ReportStatus.NEW)]
    assert report.transitions.get().actor is None


def test_reassignment_is_an_event_but_keeps_the_state_and_its_clock(planner, leader, make_user, dong):
    other = make_user(role=Role.PLANNER, dong=dong)
    report = CrisisReportFactory(dong=dong)
    discovery.crisis_report_record_visit(actor=planner, report=report, note="확인")
    report.refresh_from_db()
    changed = report.status_changed_at
    discovery.crisis_report_assign(actor=leader, report=report, assignee=other)
    report.refresh_from_db()
    assert report.status == ReportStatus.VISITED and report.assignee == other
    assert report.status_changed_at == changed  # the stale-report clock only moves with the state
    assert _history(report.transitions)[-1] == ("assign", ReportStatus.VISITED, ReportStatus.VISITED)


def test_report_guards_check_the_data(planner, dong):
    report = CrisisReportFactory(dong=dong)
    # closing needs an outcome, a visit needs its note, a transfer needs no linked household
    assert not can_proceed(report.close) and not can_proceed(report.record_visit)
    with pytest.raises(ValidationError, match="처리 결과"):
        apply_transition(report, "close", actor=planner, event_model=CrisisReportTransition,
                         guard_message="처리 결과를 선택해야 종료할 수 있습니다.")
    report.household = HouseholdFactory(dong=dong)
    assert not can_proceed(report.transfer) and can_proceed(report.assign)
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW and not report.transitions.exists()


def test_report_events_are_append_only_and_states_are_constrained(planner, dong):
    report = discovery.crisis_report_record(
        actor=planner, dong=dong, channel=ReportChannel.HOTLINE, address="은평로 3", situation="체납",
    )
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        CrisisReportTransition.objects.filter(report=report).update(comment="고침")
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        CrisisReportTransition.objects.filter(report=report).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        CrisisReport.objects.filter(pk=report.pk).update(status="lost")


def test_a_concurrent_close_is_refused_after_the_first(planner, dong):
    """Two screens hold the same open report: the second close sees it closed (row lock + re-read)."""
    report = CrisisReportFactory(dong=dong)
    stale = CrisisReport.objects.get(pk=report.pk)
    discovery.crisis_report_close(actor=planner, report=report, outcome=ReportOutcome.NOTHING_NEEDED)
    with pytest.raises(ValidationError, match="이미 처리 완료"):
        discovery.crisis_report_close(actor=planner, report=stale, outcome=ReportOutcome.PUBLIC_BENEFIT)
    assert report.transitions.filter(transition="close").count() == 1


# --- no-response procedure -------------------------------------------------------------------

def test_procedure_records_start_steps_and_close(planner, dong):
    household = HouseholdFactory(dong=dong)
    procedure = procedures.no_response_start(actor=planner, household=household, trigger="안부전화 미응답")
    step = procedure.steps.order_by("day", "pk").first()
    procedures.no_response_step_done(actor=planner, step=step, note="문자 발송")
    procedures.no_response_close(
        actor=planner, procedure=procedure, status=NoResponseProcedure.Status.RESOLVED, note="병원 입원 확인"
    )
    op, ok = NoResponseProcedure.Status.OPEN, NoResponseProcedure.Status.RESOLVED
    assert _history(procedure.events) == [("start", "", op), ("record_step", op, op), ("resolve", op, ok)]
    events = list(procedure.events.all())
    assert events[0].comment == "안부전화 미응답" and events[1].comment == f"{step.label}: 문자 발송"
    assert events[2].comment == "병원 입원 확인" and {e.actor for e in events} == {planner}
    # a second start for the same household while none is open creates a new procedure and event
    again = procedures.no_response_start(actor=planner, household=household, trigger="재차 미응답")
    assert again.pk != procedure.pk and _history(again.events) == [("start", "", op)]
    # joining the open one records nothing more
    assert procedures.no_response_start(actor=planner, household=household, trigger="또").pk == again.pk
    assert again.events.count() == 1


def test_escalation_needs_the_missing_person_report_on_record(planner, dong):
    procedure = procedures.no_response_start(actor=planner, household=HouseholdFactory(dong=dong), trigger="미응답")
    procedure.outcome_note = "실종 신고"
    assert can_proceed(procedure.resolve) and not can_proceed(procedure.escalate)
    procedures.no_response_close(
        actor=planner, procedure=procedure, status=NoResponseProcedure.Status.ESCALATED, note="112 실종 신고"
    )
    procedure.refresh_from_db()
    assert procedure.status == NoResponseProcedure.Status.ESCALATED
    assert procedure.steps.get(code="d2_missing_report").done_at is not None
    assert _history(procedure.events)[-1] == ("escalate", "open", "escalated")
    with pytest.raises(ValidationError, match="이미 종료"):
        procedures.no_response_step_done(actor=planner, step=procedure.steps.filter(done_at__isnull=True).first())
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        NoResponseEvent.objects.filter(procedure=procedure).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        NoResponseProcedure.objects.filter(pk=procedure.pk).update(status="lost")


# --- the history on the pages ----------------------------------------------------------------

def _transitions_html(body: str) -> str:
    start = body.index('data-testid="transitions"')
    return body[start:body.index("</ol>", start)]


def test_report_and_procedure_pages_show_their_history(client, planner, leader, dong):
    report = discovery.crisis_report_record(
        actor=planner, dong=dong, channel=ReportChannel.HOTLINE, address="은평로 4", situation="고립",
    )
    discovery.crisis_report_assign(actor=leader, report=report, assignee=planner)
    procedure = procedures.no_response_start(actor=planner, household=HouseholdFactory(dong=dong), trigger="미응답")
    client.force_login(planner)

    history = _transitions_html(client.get(reverse("cases:report_detail", args=[report.pk])).content.decode())
    assert "접수" in history and "담당 배정 (접수 → 담당 배정)" in history
    assert leader.display_name in history and f"담당: {planner.display_name}" in history
    history = _transitions_html(client.get(reverse("cases:no_response_detail", args=[procedure.pk])).content.decode())
    assert "무응답 대응 시작" in history and "미응답" in history
