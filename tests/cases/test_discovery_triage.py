"""Triage of crisis reports: staff intake, scoped queue, assignment, household link, visit, close."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import CrisisReport, Household, ReportChannel, ReportOutcome, ReportStatus
from cases.selectors import discovery as selectors
from cases.services import discovery as services
from chatdong.accounts.roles import Role
from chatdong.audit.models import AccessLog
from chatdong.policy.models import PolicyThreshold
from tests.factories import (
    CrisisReportFactory,
    DongFactory,
    HouseholdFactory,
    PartnerFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db


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
def report(dong):
    return CrisisReportFactory(dong=dong)


# --- intake ---------------------------------------------------------------------------------

def test_staff_record_from_any_channel(planner, dong):
    partner = PartnerFactory(dong=dong)
    report = services.crisis_report_record(
        actor=planner, dong=dong, channel=ReportChannel.PARTNER, partner=partner,
        address="  은평로 1  ", situation="월세 3개월 체납, 단전 예고",
    )
    assert report.status == ReportStatus.NEW
    assert report.created_by == planner
    assert report.address == "은평로 1"
    assert len(report.reference) == 9
    assert AccessLog.objects.filter(
        subject_type=AccessLog.Subject.REPORT, subject_id=report.pk, action=AccessLog.Action.CREATE, user=planner
    ).exists()


def test_staff_record_refuses_other_dong_partner_and_contact_without_consent(planner, dong, other_dong):
    with pytest.raises(ValidationError) as exc:
        services.crisis_report_record(
            actor=planner, dong=dong, channel=ReportChannel.PARTNER, partner=PartnerFactory(dong=other_dong),
            address="은평로 1", situation="x",
        )
    assert "해당 동 소속이 아닙니다" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.crisis_report_record(
            actor=planner, dong=dong, channel=ReportChannel.HOTLINE, address="은평로 1", situation="x",
            reporter_phone="010-2222-3333", consent=False,
        )
    assert "개인정보 수집·이용 동의가 필요합니다" in str(exc.value)
    with pytest.raises(ValidationError):
        services.crisis_report_record(actor=planner, dong=other_dong, channel=ReportChannel.HOTLINE,
                                      address="은평로 1", situation="x")
    assert not CrisisReport.objects.exists()


def test_staff_intake_form(planner, dong):
    client = _client(planner)
    assert client.get(reverse("cases:report_create")).status_code == 200
    response = client.post(reverse("cases:report_create"), {
        "dong": dong.pk, "channel": ReportChannel.METER_READER, "address": "통일로 5", "situation": "가스 검침 때 악취",
    })
    report = CrisisReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:report_detail", args=[report.pk])
    assert report.channel == ReportChannel.METER_READER


def test_staff_intake_form_offers_only_own_dong(planner, other_dong):
    response = _client(planner).post(reverse("cases:report_create"), {
        "dong": other_dong.pk, "channel": ReportChannel.HOTLINE, "address": "통일로 5", "situation": "x",
    })
    assert response.status_code == 200
    assert not CrisisReport.objects.exists()


# --- scoped queue ------------------------------------------------------------------------------

def test_queue_is_scoped_by_dong_and_gu(planner, dong, make_user):
    same_gu_dong = DongFactory(gu=dong.gu)
    mine = CrisisReportFactory(dong=dong)
    neighbour = CrisisReportFactory(dong=same_gu_dong)
    far = CrisisReportFactory()

    assert set(selectors.report_list_for(planner)) == {mine}
    html = _client(planner).get(reverse("cases:report_list")).content.decode()
    assert mine.reference in html and neighbour.reference not in html and far.reference not in html

    coordinator = make_user(role=Role.GU_COORDINATOR, gu=dong.gu)
    assert set(selectors.report_list_for(coordinator)) == {mine, neighbour}
    assert _client(coordinator).get(reverse("cases:report_detail", args=[neighbour.pk])).status_code == 200
    assert _client(coordinator).get(reverse("cases:report_detail", args=[far.pk])).status_code == 404


def test_other_dong_report_is_404_for_every_action(planner, other_dong):
    other = CrisisReportFactory(dong=other_dong)
    client = _client(planner)
    assert client.get(reverse("cases:report_detail", args=[other.pk])).status_code == 404
    for name in ("report_assign", "report_link_household", "report_create_household", "report_visit",
                 "report_close", "report_reward", "report_transfer"):
        assert client.post(reverse(f"cases:{name}", args=[other.pk]), {}).status_code == 404, name
    assert client.get(reverse("cases:report_household_search", args=[other.pk]), {"q": "은평"}).status_code == 404
    other.refresh_from_db()
    assert other.status == ReportStatus.NEW


def test_city_analyst_sees_no_queue(make_user, report):
    analyst = make_user(role=Role.CITY_ANALYST)
    client = _client(analyst)
    assert client.get(reverse("cases:report_list")).status_code == 404
    assert client.get(reverse("cases:report_detail", args=[report.pk])).status_code == 404


def test_viewing_a_report_is_logged(planner, report):
    response = _client(planner).get(reverse("cases:report_detail", args=[report.pk]))
    assert response.status_code == 200
    log = AccessLog.objects.get(subject_type=AccessLog.Subject.REPORT, subject_id=report.pk, action=AccessLog.Action.VIEW)
    assert log.user == planner
    assert log.ip == "127.0.0.1"


def test_filters_by_status_and_channel(planner, dong):
    hotline = CrisisReportFactory(dong=dong, channel=ReportChannel.HOTLINE)
    iot = CrisisReportFactory(dong=dong, channel=ReportChannel.IOT, status=ReportStatus.ASSIGNED)
    assert list(selectors.report_list_for(planner, channel=ReportChannel.IOT)) == [iot]
    assert list(selectors.report_list_for(planner, status=ReportStatus.NEW)) == [hotline]
    html = _client(planner).get(reverse("cases:report_list"), {"queue": "", "channel": "iot"}).content.decode()
    assert iot.reference in html and hotline.reference not in html


def _ensure_stale_days(days: int) -> int:
    row = PolicyThreshold.objects.filter(key=selectors.STALE_DAYS_KEY).first()
    if row is None:
        PolicyThreshold.objects.create(
            key=selectors.STALE_DAYS_KEY, value=days, unit="일", valid_from=datetime.date(2020, 1, 1), source="테스트",
        )
        return days
    return int(row.value)


def test_team_leader_sees_unassigned_and_stale(leader, planner, dong):
    days = _ensure_stale_days(5)
    assert selectors.stale_days() == days
    old = timezone.now() - datetime.timedelta(days=days + 1)
    stale = CrisisReportFactory(dong=dong, status=ReportStatus.ASSIGNED, assignee=planner, status_changed_at=old)
    fresh_unassigned = CrisisReportFactory(dong=dong)
    closed_old = CrisisReportFactory(
        dong=dong, status=ReportStatus.CLOSED, outcome=ReportOutcome.NOTHING_NEEDED, status_changed_at=old,
    )
    assert list(selectors.report_list_for(leader, queue="stale")) == [stale]
    assert list(selectors.report_list_for(leader, queue="unassigned")) == [fresh_unassigned]
    counts = selectors.report_queue_counts(leader)
    assert counts["stale"] == 1 and counts["unassigned"] == 1 and counts["open"] == 2
    html = _client(leader).get(reverse("cases:report_list"), {"queue": "stale"}).content.decode()
    assert stale.reference in html and closed_old.reference not in html
    assert "지연" in html
    assert "미배정 제보 <strong>1건</strong>" in html


# --- assignment -------------------------------------------------------------------------------

def test_team_leader_assigns_staff_of_the_dong(leader, planner, report, make_user, other_dong):
    services.crisis_report_assign(actor=leader, report=report, assignee=planner)
    report.refresh_from_db()
    assert report.assignee == planner and report.status == ReportStatus.ASSIGNED
    outsider = make_user(role=Role.PLANNER, dong=other_dong)
    with pytest.raises(ValidationError, match="해당 동 직원에게만"):
        services.crisis_report_assign(actor=leader, report=report, assignee=outsider)


def test_planner_may_only_take_it_themselves(planner, report, make_user, dong):
    colleague = make_user(role=Role.NURSE, dong=dong)
    with pytest.raises(ValidationError, match="복지팀장·동장만"):
        services.crisis_report_assign(actor=planner, report=report, assignee=colleague)
    response = _client(planner).post(reverse("cases:report_assign", args=[report.pk]), {"assignee": planner.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == planner


def test_assign_view_refuses_other_dong_staff(leader, report, make_user, other_dong):
    outsider = make_user(role=Role.PLANNER, dong=other_dong)
    _client(leader).post(reverse("cases:report_assign", args=[report.pk]), {"assignee": outsider.pk})
    report.refresh_from_db()
    assert report.assignee is None


def test_transfer_to_another_dong(leader, report, dong):
    target = DongFactory(gu=dong.gu)
    services.crisis_report_transfer(actor=leader, report=report, dong=target)
    report.refresh_from_db()
    assert report.dong == target and report.status == ReportStatus.NEW
    assert not selectors.report_list_for(leader).filter(pk=report.pk).exists()


# --- household link ---------------------------------------------------------------------------

def test_search_and_link_existing_household(planner, report, dong):
    household = HouseholdFactory(dong=dong, address="은평로 99")
    ResidentFactory(household=household, name="박외로")
    HouseholdFactory(address="은평로 99")  # same address in another dong: never offered
    client = _client(planner)
    html = client.get(reverse("cases:report_household_search", args=[report.pk]), {"q": "박외로"}).content.decode()
    assert "은평로 99" in html and "박외로" in html
    assert len(selectors.household_candidates(planner, report=report, q="은평로 99")) == 1

    response = client.post(reverse("cases:report_link_household", args=[report.pk]), {"household": household.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.household == household


def test_household_of_another_dong_cannot_be_linked(planner, report, other_dong):
    foreign = HouseholdFactory(dong=other_dong)
    _client(planner).post(reverse("cases:report_link_household", args=[report.pk]), {"household": foreign.pk})
    report.refresh_from_db()
    assert report.household is None
    with pytest.raises(ValidationError, match="같은 동의 가구만"):
        services.crisis_report_link_household(actor=planner, report=report, household=foreign)


def test_create_household_from_report(planner, report):
    response = _client(planner).post(
        reverse("cases:report_create_household", args=[report.pk]), {"address_detail": "지하 1호",
                                                                     "housing_type": "semi_basement"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    household = report.household
    assert household.dong_id == report.dong_id
    assert household.address == report.address and household.address_detail == "지하 1호"
    assert AccessLog.objects.filter(
        subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk, action=AccessLog.Action.CREATE
    ).exists()
    with pytest.raises(ValidationError, match="이미 가구가 연결된"):
        services.crisis_report_create_household(actor=planner, report=report)
    assert Household.objects.count() == 1


# --- visit and close --------------------------------------------------------------------------

def test_visit_then_close_with_outcome(planner, report):
    client = _client(planner)
    client.post(reverse("cases:report_visit", args=[report.pk]), {"note": "집주인과 방문, 건강 악화 확인"})
    report.refresh_from_db()
    assert report.status == ReportStatus.VISITED
    assert report.visited_at is not None and report.assignee == planner
    client.post(reverse("cases:report_close", args=[report.pk]),
                {"outcome": ReportOutcome.EMERGENCY_AID, "note": "서울형 긴급복지 생계비"})
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.outcome == ReportOutcome.EMERGENCY_AID
    assert report.closed_at is not None
    with pytest.raises(ValidationError, match="이미 처리 완료된"):
        services.crisis_report_record_visit(actor=planner, report=report, note="다시")


def test_visit_requires_a_note_and_no_future_time(planner, report):
    with pytest.raises(ValidationError, match="방문 확인 내용"):
        services.crisis_report_record_visit(actor=planner, report=report, note=" ")
    with pytest.raises(ValidationError, match="현재 이후"):
        services.crisis_report_record_visit(
            actor=planner, report=report, note="x", visited_at=timezone.now() + datetime.timedelta(hours=2)
        )


def test_close_requires_outcome(planner, report):
    response = _client(planner).post(reverse("cases:report_close", args=[report.pk]), {"outcome": "", "note": "끝"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW
    with pytest.raises(ValidationError, match="처리 결과를 선택해야"):
        services.crisis_report_close(actor=planner, report=report, outcome="")
    # …and the database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        CrisisReport.objects.filter(pk=report.pk).update(status=ReportStatus.CLOSED, outcome="")


def test_close_error_is_shown_in_korean(planner, report):
    response = _client(planner).post(reverse("cases:report_close", args=[report.pk]), {"outcome": ""}, follow=True)
    assert "처리 결과를 선택해야 종료할 수 있습니다." in response.content.decode()


def test_status_change_moves_status_changed_at(leader, planner, report):
    before = report.status_changed_at
    services.crisis_report_assign(actor=leader, report=report, assignee=planner)
    report.refresh_from_db()
    assert report.status_changed_at > before


def test_actions_record_history_with_actor(leader, planner, report):
    services.crisis_report_assign(actor=leader, report=report, assignee=planner)
    event = report.events.order_by("-pgh_id").first()
    assert event.status == ReportStatus.ASSIGNED
    assert event.pgh_context.metadata["user"] == leader.pk
