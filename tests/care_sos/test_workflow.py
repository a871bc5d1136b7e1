"""The Care SOS state machine through its services: every transition is guarded, recorded as an
event (who, when, from, to, comment) and written to the access log. DOMAIN §8."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from cases.care_sos.models import Approval, CareAssessment, CareRequest, CareRequestEvent
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import approvals, assessment, delivery, plans, visits
from cases.care_sos.services.intake import care_request_intake
from cases.models import CrisisReport, Household, ReportChannel, Resident
from chatdong.audit.models import AccessLog
from chatdong.notifications.models import Notification
from chatdong.policy.models import PolicyThreshold
from tests.care_sos.factories import ASSESSMENT, add_line, walk

pytestmark = pytest.mark.django_db


def transitions(care_request) -> list[str]:
    return list(care_request.events.order_by("at", "pk").values_list("transition", flat=True))


def test_intake_creates_household_and_resident_and_fixes_the_deadline(care_manager, care_nurse, team_leader, dong):
    received = timezone.now() - datetime.timedelta(hours=2)
    r = care_request_intake(
        actor=care_manager, channel="call_120", reason_kind="carer_absent", reason="돌보던 아내가 입원함",
        informal_carer="unable", carer_note="아내 입원", urgency="urgent", received_at=received,
        new_household={"address": "시험로 1", "address_detail": "101호", "housing_type": "multi_family",
                       "income_ratio": Decimal("80"), "benefits": []},
        new_resident={"name": "김노인", "birth_date": datetime.date(1940, 1, 2), "sex": "M", "phone": "010-1234-5678"},
        applicant_name="김딸", applicant_relation="딸", applicant_phone="010 9999 8888",
    )
    household = Household.objects.get(address="시험로 1")
    assert r.household == household and r.dong == dong
    assert r.resident == Resident.objects.get(name="김노인", household=household)
    assert r.status == S.RECEIVED and r.applicant_phone == "01099998888"
    deadline = PolicyThreshold.objects.get(key="care_sos.visit_deadline_hours", valid_from=datetime.date(2019, 1, 1))
    assert (r.visit_deadline_hours, r.visit_deadline_policy) == (72, deadline)
    assert r.visit_due_at == received + datetime.timedelta(hours=72)
    assert r.due_soon_at == r.visit_due_at - datetime.timedelta(hours=r.due_soon_hours)
    # Care managers default to the dong's care managers; they and the team leader are told.
    assert set(r.care_managers.all()) == {care_manager, care_nurse}
    assert set(Notification.objects.filter(kind="care_sos.received").values_list("user", flat=True)) == {
        care_nurse.pk, team_leader.pk}
    event = r.events.get()
    assert (event.transition, event.from_status, event.to_status, event.actor) == ("receive", "", S.RECEIVED, care_manager)
    assert AccessLog.objects.filter(subject_type="care_request", subject_id=r.pk, action="create").exists()
    assert r.number == f"SOS-{timezone.localtime(received):%Y}-{r.pk:06d}"


def test_intake_refuses_bad_input_in_korean_and_saves_nothing(care_manager, household, resident, far_dong, coordinator):
    with pytest.raises(ValidationError) as exc:
        care_request_intake(actor=care_manager, household=household, resident=resident, channel="fax",
                            reason_kind="x", reason=" ", informal_carer="?")
    assert set(exc.value.message_dict) == {"channel", "reason_kind", "informal_carer", "reason"}
    assert "신청 경로를 선택하세요." in exc.value.message_dict["channel"]
    with pytest.raises(ValidationError, match="현재 이후"):
        care_request_intake(actor=care_manager, household=household, resident=resident, channel="phone",
                            reason_kind="illness", reason="낙상", informal_carer="none",
                            received_at=timezone.now() + datetime.timedelta(hours=3))
    from tests.factories import HouseholdFactory, ResidentFactory

    elsewhere = HouseholdFactory(dong=far_dong)
    with pytest.raises(ValidationError, match="우리 동 가구만"):
        care_request_intake(actor=care_manager, household=elsewhere, resident=ResidentFactory(household=elsewhere),
                            channel="phone", reason_kind="illness", reason="낙상", informal_carer="none")
    with pytest.raises(PermissionDenied):
        care_request_intake(actor=coordinator, household=household, resident=resident, channel="phone",
                            reason_kind="illness", reason="낙상", informal_carer="none")
    assert not CareRequest.objects.exists()


def test_intake_from_a_crisis_report_links_the_report(care_manager, dong):
    report = CrisisReport.objects.create(dong=dong, channel=ReportChannel.HOTLINE, received_at=timezone.now(),
                                         address="시험로 9", situation="혼자 쓰러져 있었다는 제보", created_by=care_manager)
    r = care_request_intake(
        actor=care_manager, crisis_report=report, channel="phone", reason_kind="illness", reason=report.situation,
        informal_carer="none", new_household={"address": report.address},
        new_resident={"name": "무명씨", "birth_date": datetime.date(1950, 1, 1), "sex": "F"},
    )
    report.refresh_from_db()
    assert r.channel == "crisis_report" and r.crisis_report == report and report.household == r.household


def test_the_whole_path_records_every_transition(make_request, care_manager, coordinator, provider):
    r = make_request()
    visits.care_request_schedule_visit(actor=care_manager, care_request=r,
                                       scheduled_at=timezone.now() + datetime.timedelta(hours=5))
    r = walk(r, to=S.SUBMITTED, actor=care_manager, coordinator=coordinator, provider=provider,
             visited_at=timezone.now())
    approvals.care_plan_return(actor=coordinator, care_request=r, comment="제공 시간을 줄여 주세요")
    r.refresh_from_db()
    assert r.status == S.RETURNED
    plans.care_plan_revise(actor=care_manager, care_request=r)
    plans.care_plan_line_remove(actor=care_manager, care_request=r, line_id=r.plan.lines.get().pk)
    add_line(actor=care_manager, care_request=r, provider=provider, quantity="6")
    plans.care_plan_submit(actor=care_manager, care_request=r)
    r = walk(r, to=S.CLOSED, actor=care_manager, coordinator=coordinator, provider=provider)
    assert transitions(r) == [
        "receive", "schedule_visit", "record_visit", "assess", "draft_plan", "submit", "return_plan", "revise",
        "resubmit", "approve", "start_service", "finish_service", "record_follow_up", "close",
    ]
    events = list(r.events.order_by("at", "pk"))
    assert all(e.actor is not None for e in events)
    assert [(e.from_status, e.to_status) for e in events if e.transition in ("return_plan", "resubmit")] == [
        (S.SUBMITTED, S.RETURNED), (S.REVISED, S.SUBMITTED)]
    assert r.outcome == "needs_met" and r.closed_at is not None
    decisions = list(Approval.objects.filter(request=r).values_list("submission_no", "decision", "total_cost"))
    assert decisions == [(1, "returned", 200_000), (2, "approved", 120_000)]
    assert r.follow_up_due == timezone.localdate() + datetime.timedelta(days=30)
    assert r.follow_up_policy.key == "care_sos.follow_up_days"


def test_guards_refuse_steps_out_of_order_in_korean(make_request, care_manager, coordinator, provider):
    r = make_request()
    with pytest.raises(ValidationError, match="지금 상태\\('접수'\\)에서는 승인 요청할 수 없습니다"):
        plans.care_plan_submit(actor=care_manager, care_request=r)
    with pytest.raises(ValidationError, match="방문을 기록한 뒤"):
        assessment.care_assessment_save(actor=care_manager, care_request=r, **ASSESSMENT)
    with pytest.raises(ValidationError, match="지금 상태"):
        delivery.care_request_finish_service(actor=care_manager, care_request=r)
    r = walk(r, to=S.PLAN_DRAFTED, actor=care_manager, provider=provider)
    plans.care_plan_line_remove(actor=care_manager, care_request=r, line_id=r.plan.lines.get().pk)
    # No submission without a service line.
    with pytest.raises(ValidationError, match="서비스가 1개 이상"):
        plans.care_plan_submit(actor=care_manager, care_request=r)
    r.refresh_from_db()
    assert r.status == S.PLAN_DRAFTED


def test_only_the_requests_gu_coordinator_decides(make_request, care_manager, coordinator, far_coordinator,
                                                 team_leader, provider):
    r = walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    for outsider in (far_coordinator, team_leader, care_manager):
        with pytest.raises(PermissionDenied):
            approvals.care_plan_approve(actor=outsider, care_request=r)
    with pytest.raises(ValidationError, match="의견을 입력해야"):
        approvals.care_plan_return(actor=coordinator, care_request=r, comment="  ")
    r.refresh_from_db()
    assert r.status == S.SUBMITTED and not Approval.objects.exists()


def test_dong_work_is_for_the_dong_staff(make_request, neighbour_staff, coordinator):
    r = make_request()
    for actor in (neighbour_staff, coordinator):
        with pytest.raises(PermissionDenied):
            visits.care_request_record_visit(actor=actor, care_request=r, visited_at=timezone.now(), note="방문")
    assert r.events.count() == 1


def test_assessment_needs_a_kind_and_keeps_kinds_the_plan_uses(make_request, care_manager, provider):
    r = walk(make_request(), to=S.VISITED, actor=care_manager)
    with pytest.raises(ValidationError) as exc:
        assessment.care_assessment_save(actor=care_manager, care_request=r, **{**ASSESSMENT, "care_kinds": []})
    assert "하나 이상" in exc.value.message_dict["care_kinds"][0]
    r = walk(r, to=S.PLAN_DRAFTED, actor=care_manager, provider=provider)
    with pytest.raises(ValidationError, match="이미 있는 돌봄 종류"):
        assessment.care_assessment_save(actor=care_manager, care_request=r, **{**ASSESSMENT, "care_kinds": ["daily"]})
    assessment.care_assessment_save(actor=care_manager, care_request=r, **{**ASSESSMENT, "summary": "수정"})
    assert CareAssessment.objects.get(request=r).summary == "수정"
    assert transitions(r)[-1] == "assess"  # a correction is recorded too


def test_side_exits(make_request, care_manager, neighbour_dong, neighbour_staff):
    r = make_request()
    with pytest.raises(ValidationError, match="사유"):
        visits.care_request_withdraw(actor=care_manager, care_request=r, reason="")
    visits.care_request_transfer(actor=care_manager, care_request=r, dong=neighbour_dong, reason="실거주지가 다라동")
    r.refresh_from_db()
    assert (r.status, r.transferred_to) == (S.TRANSFERRED, neighbour_dong)
    assert Notification.objects.filter(user=neighbour_staff, kind="care_sos.transferred").exists()
    with pytest.raises(ValidationError, match="지금 상태\\('이관'\\)"):
        visits.care_request_withdraw(actor=care_manager, care_request=r, reason="철회")
    other = make_request()
    visits.care_request_mark_ineligible(actor=care_manager, care_request=other, reason="장기요양 재가급여 이용 중")
    other.refresh_from_db()
    assert other.status == S.INELIGIBLE and other.exit_reason == "장기요양 재가급여 이용 중"


def test_close_needs_a_follow_up_check(make_request, care_manager, coordinator, provider):
    r = walk(make_request(), to=S.FOLLOW_UP, actor=care_manager, coordinator=coordinator, provider=provider)
    with pytest.raises(ValidationError, match="사후관리 점검을 기록한 뒤"):
        delivery.care_request_close(actor=care_manager, care_request=r, outcome="needs_met")
    with pytest.raises(ValidationError, match="오늘 이후"):
        delivery.care_request_record_follow_up(actor=care_manager, care_request=r,
                                               checked_on=timezone.localdate() + datetime.timedelta(days=1), note="x")


def test_delivery_rules(make_request, care_manager, coordinator, provider):
    r = walk(make_request(), to=S.APPROVED, actor=care_manager, coordinator=coordinator, provider=provider)
    line = r.plan.lines.get()
    with pytest.raises(ValidationError) as exc:
        delivery.service_delivery_record(actor=care_manager, care_request=r, line=line,
                                         delivered_on=timezone.localdate() + datetime.timedelta(days=2),
                                         quantity=Decimal("0"), result_note="")
    assert "제공 결과" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        delivery.service_delivery_record(actor=care_manager, care_request=r, line=line,
                                         delivered_on=timezone.localdate() + datetime.timedelta(days=2),
                                         quantity=Decimal("0"), result_note="완료")
    assert set(exc.value.message_dict) == {"delivered_on", "quantity"}
    d = delivery.service_delivery_record(actor=care_manager, care_request=r, line=line,
                                         delivered_on=timezone.localdate(), quantity=Decimal("2.5"), result_note="완료")
    assert d.cost == 50_000 and d.provider == provider
    r.refresh_from_db()
    assert r.status == S.IN_SERVICE


def test_events_and_approvals_are_append_only(make_request, care_manager, coordinator, provider):
    r = walk(make_request(), to=S.APPROVED, actor=care_manager, coordinator=coordinator, provider=provider)
    event, approval = r.events.first(), Approval.objects.get(request=r)
    for statement, params in (
        ("UPDATE cases_carerequestevent SET comment = 'x' WHERE id = %s", [event.pk]),
        ("DELETE FROM cases_carerequestevent WHERE id = %s", [event.pk]),
        ("UPDATE cases_approval SET comment = 'x' WHERE id = %s", [approval.pk]),
        ("DELETE FROM cases_approval WHERE id = %s", [approval.pk]),
    ):
        with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:  # noqa: B017
            cursor.execute(statement, params)
    assert CareRequestEvent.objects.filter(pk=event.pk, comment=event.comment).exists()


def test_money_and_states_are_database_constraints(make_request, care_manager, provider):
    r = walk(make_request(), to=S.PLAN_DRAFTED, actor=care_manager, provider=provider)
    for statement in (
        "UPDATE cases_careplanline SET unit_cost = -1",
        "UPDATE cases_careplanline SET amount = -5",
        "UPDATE cases_careplan SET self_pay_amount = 1",  # total ≠ self-pay + public
        "UPDATE cases_carerequest SET status = 'lost'",
        f"UPDATE cases_carerequest SET visited_at = received_at - interval '1 hour' WHERE id = {r.pk}",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


def test_a_stale_instance_cannot_overwrite_a_newer_state(make_request, care_manager):
    """ConcurrentTransitionMixin: a save is conditional on the state the row was read in."""
    r = make_request()
    stale = CareRequest.objects.get(pk=r.pk)
    visits.care_request_record_visit(actor=care_manager, care_request=r, visited_at=timezone.now(), note="방문")
    stale.withdraw()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert CareRequest.objects.get(pk=r.pk).status == S.VISITED
