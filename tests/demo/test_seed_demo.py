"""manage.py seed_demo: deterministic, idempotent 은평구 demo with one login per role."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import crypto
from cases.care_sos.models import (
    Approval,
    CareAssessment,
    CarePlanLine,
    CareProvider,
    CareRequest,
    CareRequestEvent,
    CareRequestStatus,
    ServiceDelivery,
)
from cases.care_sos.selectors import DUE_SOON, ON_TRACK, OVERDUE, approval_queue_for, with_sla
from cases.models import (
    CHECKLIST_ITEMS,
    Contact,
    CrisisReport,
    Household,
    Partner,
    Resident,
    RiskTier,
    RiskTierChange,
)
from chatdong.accounts.models import User
from chatdong.accounts.roles import DONG_ROLES, Role
from chatdong.areas.models import Tong
from chatdong.demo.care_sos import PROVIDERS, SCENARIOS
from chatdong.demo.outreach import crisis_window
from chatdong.demo.people import rrn_check_digit
from chatdong.demo.seed import DEFAULT_DEMO_PASSWORD, DEMO_LOGINS, demo_seed
from outreach.models import (
    ActivityDevice,
    ActivityEvent,
    Campaign,
    CampaignKind,
    Finding,
    SweepRun,
    TaskStatus,
    VisitTask,
)
from outreach.selectors import campaign_progress

pytestmark = pytest.mark.django_db

SCALE = "0.2"  # ~160 households: the same code paths as the full demo, in a fraction of the time


def seed(**kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", SCALE, stdout=out, **kwargs)
    return out.getvalue()


def can_log_in(username: str, password: str) -> bool:
    """Through the real login page (axes, validators and all)."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client.session.get("_auth_user_id") == str(User.objects.get(username=username).pk)


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "tongs": Tong.objects.count(),
        "user_tongs": User.tongs.through.objects.count(),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
        "contacts": Contact.objects.count(),
        "contact_staff": Contact.staff.through.objects.count(),
        "tier_changes": RiskTierChange.objects.count(),
        "partners": Partner.objects.count(),
        "reports": CrisisReport.objects.count(),
        "campaigns": Campaign.objects.count(),
        "sweep_runs": SweepRun.objects.count(),
        "tasks": VisitTask.objects.count(),
        "open_tasks": VisitTask.objects.filter(status=TaskStatus.OPEN).count(),
        "devices": ActivityDevice.objects.count(),
        "events": ActivityEvent.objects.count(),
        **care_sos_counts(),
    }


def care_sos_counts() -> dict[str, int]:
    return {
        "care_providers": CareProvider.objects.count(),
        "care_requests": CareRequest.objects.count(),
        "care_events": CareRequestEvent.objects.count(),
        "care_approvals": Approval.objects.count(),
        "care_deliveries": ServiceDelivery.objects.count(),
    }


@pytest.fixture
def seeded():
    return seed()


def test_seed_twice_changes_nothing(seeded):
    first = counts()
    assert first["households"] > 100 and first["residents"] > first["households"]
    assert first["contacts"] > 0 and first["partners"] > 0 and first["reports"] > 0
    assert first["campaigns"] >= 4 and first["tasks"] > 0 and first["devices"] > 0

    output = seed()

    assert counts() == first
    assert "이미 있습니다" in output


def test_one_login_per_role_that_authenticates(seeded):
    logins = list(User.objects.filter(username__in=DEMO_LOGINS))
    assert sorted(u.role for u in logins) == sorted(Role.values)
    for user in logins:
        assert can_log_in(user.username, DEFAULT_DEMO_PASSWORD), user.username
        assert user.username in seeded
    planner1 = User.objects.get(username="planner1")
    assert planner1.dong.name == "불광1동" and planner1.tongs.exists()
    for user in logins:
        if user.role in DONG_ROLES:
            assert user.dong.name == "불광1동"
    coordinator = User.objects.get(username="coordinator1")
    assert coordinator.gu.name == "은평구" and coordinator.dong is None
    assert User.objects.get(username="planner2").dong.name == "응암2동"
    assert User.objects.get(username="officer1").tongs.count() == Tong.objects.filter(dong=planner1.dong).count()
    assert DEFAULT_DEMO_PASSWORD in seeded


def test_password_comes_from_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "다른-시연-비번-7731")
    output = seed()
    assert can_log_in("leader1", "다른-시연-비번-7731")
    assert not can_log_in("leader1", DEFAULT_DEMO_PASSWORD)
    assert "다른-시연-비번-7731" in output


def test_weak_password_is_refused_in_korean(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "1234567890")
    with pytest.raises(CommandError, match="비밀번호 규칙"):
        seed()
    assert not User.objects.filter(username="planner1").exists()


RRN_IN_CLEAR = re.compile(r"(?<![0-9])[0-9]{6}-?[1-4][0-9]{6}(?![0-9])")


def test_no_rrn_in_clear_anywhere(seeded):
    residents = list(Resident.objects.all())
    assert residents and all(r.rrn_ciphertext and r.rrn_index and r.rrn_masked for r in residents)
    with connection.cursor() as cursor:
        # Every text column of residents (and their history) except the hex blind index.
        for table in ("cases_resident", "cases_residentevent", "cases_household"):
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND data_type IN ('character varying', 'text') AND column_name <> 'rrn_index'",
                [table],
            )
            columns = [row[0] for row in cursor.fetchall()]
            text = " || ' ' || ".join(f'coalesce("{c}", \'\')' for c in columns)
            cursor.execute(f"SELECT count(*) FROM {table} WHERE ({text}) ~ %s", [r"(^|[^0-9])[0-9]{6}-?[1-4][0-9]{6}([^0-9]|$)"])
            assert cursor.fetchone()[0] == 0, table
    # The real numbers (decrypted) appear nowhere in the rows.
    for resident in residents[:200]:
        number = crypto.decrypt_rrn(resident.rrn_ciphertext)
        row_text = " ".join(str(v) for v in Resident.objects.filter(pk=resident.pk).values().first().values())
        assert number not in row_text and number.replace("-", "") not in row_text


def test_rrns_match_birth_date_and_sex(seeded):
    for resident in Resident.objects.all():
        number = crypto.decrypt_rrn(resident.rrn_ciphertext).replace("-", "")
        assert number[:6] == resident.birth_date.strftime("%y%m%d")
        century = "12" if resident.birth_date.year < 2000 else "34"
        assert number[6] == (century[0] if resident.sex == "M" else century[1])
        assert int(number[12]) == rrn_check_digit(number[:12])
        assert resident.rrn_index == crypto.blind_index(number)
        assert resident.rrn_masked == f"{number[:6]}-{number[6]}******"


def test_caseload_is_realistic(seeded):
    year = timezone.localdate().year
    today = timezone.localdate()
    residents = Resident.objects.all()
    assert residents.filter(birth_date__year=year - 65).exists()
    assert residents.filter(birth_date__year=year - 70).exists()
    assert residents.filter(birth_date__gte=today - datetime.timedelta(days=6 * 365)).exists()
    elderly_alone = [
        h for h in Household.objects.prefetch_related("residents")
        if len(h.residents.all()) == 1 and h.residents.all()[0].birth_date.year <= year - 65
    ]
    assert elderly_alone

    households = Household.objects.all()
    assert set(households.values_list("dong__name", flat=True)) == {"불광1동", "응암2동", "녹번동", "진관동"}
    assert {RiskTier.HIGH, RiskTier.WATCH, RiskTier.CONCERN, RiskTier.NONE} <= set(households.values_list("risk_tier", flat=True))
    tiered = households.exclude(risk_tier=RiskTier.NONE)
    assert not tiered.filter(next_contact_due__isnull=True).exists()
    assert tiered.filter(next_contact_due__lt=today).exists()  # overdue
    assert tiered.filter(next_contact_due__gte=today).exists()  # due now or later
    # An untiered household has a due date only when a visit left a revisit (부재 → day 2).
    for household in households.filter(risk_tier=RiskTier.NONE, next_contact_due__isnull=False):
        assert household.contacts.filter(
            visit_tasks__isnull=False, next_action_on=household.next_contact_due
        ).exists(), household.pk
    for household in households.select_related("planner", "tong"):
        assert household.planner.dong_id == household.dong_id
        assert household.tong.dong_id == household.dong_id
        assert 1 <= household.ban <= household.tong.ban_count
        assert household.address.startswith("서울특별시 은평구 ")
    assert households.exclude(benefits=[]).exists() and households.exclude(arrears=[]).exists()

    keys = {key for key, _ in CHECKLIST_ITEMS}
    contacts = Contact.objects.all()
    assert any(c.checklist for c in contacts)
    assert all(set(c.checklist) <= keys for c in contacts)
    assert all(c.occurred_at <= timezone.now() for c in contacts)
    assert len(set(CrisisReport.objects.values_list("channel", flat=True))) >= 4
    assert not CrisisReport.objects.filter(status="closed", outcome="").exists()


def test_seed_is_deterministic():
    def fingerprint():
        residents = [
            (r.name, r.birth_date, r.sex, r.rrn_masked, r.household.address, r.household.risk_tier)
            for r in Resident.objects.select_related("household").order_by("id")
        ]
        # Sorted by content: the order rows leave an INSERT … SELECT is the planner's business.
        tasks = sorted(
            (t.campaign.name, t.household.address, t.household.address_detail, t.resident.name if t.resident else "",
             t.stage, t.status, t.finding, t.assignee.username if t.assignee else "", t.result_note)
            for t in VisitTask.objects.select_related("campaign", "household", "assignee", "resident")
        )
        return residents, tasks

    runs = []
    for _ in range(2):
        with transaction.atomic():
            demo_seed(password=DEFAULT_DEMO_PASSWORD, scale=0.1)
            runs.append(fingerprint())
            transaction.set_rollback(True)
    assert runs[0] and runs[0] == runs[1]


# --- outreach -----------------------------------------------------------------------------------

DEMO_DONGS = {"불광1동", "응암2동", "녹번동", "진관동"}


def test_campaigns_of_the_year_exist(seeded):
    today = timezone.localdate()
    year = today.year
    crisis_kind, crisis_year = crisis_window(today)
    season = "동절기" if crisis_kind == CampaignKind.WINTER else "하절기"
    expected = {
        (f"{year}년 보편방문(65·70세)", CampaignKind.UNIVERSAL, year),
        (f"{crisis_year}년 {season} 위기가구 집중발굴", crisis_kind, crisis_year),
        (f"{year}년 고독사 위험 1인가구 실태조사", CampaignKind.LONELY_DEATH, year),
        (f"{year}년 위험 등급별 정기 모니터링", CampaignKind.RISK_TIER, year),
    }
    campaigns = Campaign.objects.exclude(kind=CampaignKind.ACTIVITY)
    assert {(c.name, c.kind, c.year) for c in campaigns} == expected
    for campaign in campaigns:
        assert set(campaign.dongs.values_list("name", flat=True)) == DEMO_DONGS
        assert campaign.dongs.first().gu.name == "은평구"
        assert campaign.created_by.username == "coordinator1"
        run = campaign.runs.get()  # swept once, through the sweep service
        assert run.status == SweepRun.Status.SUCCEEDED and run.created == campaign.tasks.filter(stage=1).count() > 0
    assert "캠페인 4" in seeded


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 26), (CampaignKind.WINTER, 2026)),   # a few days before the window
        (datetime.date(2026, 12, 15), (CampaignKind.WINTER, 2026)),
        (datetime.date(2027, 2, 10), (CampaignKind.WINTER, 2026)),   # the window started last year
        (datetime.date(2026, 10, 1), (CampaignKind.SUMMER, 2026)),   # too far from December
        (datetime.date(2026, 3, 5), (CampaignKind.SUMMER, 2026)),
        (datetime.date(2026, 7, 20), (CampaignKind.SUMMER, 2026)),
    ],
)
def test_crisis_campaign_follows_the_policy_windows(day, expected):
    assert crisis_window(day) == expected


def test_universal_tasks_cover_the_65_70_cohort(seeded):
    year = timezone.localdate().year
    campaign = Campaign.objects.get(kind=CampaignKind.UNIVERSAL)
    cohort = set(
        Resident.objects.filter(
            birth_date__year__in=[year - 65, year - 70], deceased_on__isnull=True, moved_out_on__isnull=True,
            household__dong__name__in=DEMO_DONGS,
        ).values_list("pk", flat=True)
    )
    tasks = VisitTask.objects.filter(campaign=campaign)
    assert cohort and set(tasks.values_list("resident_id", flat=True)) == cohort
    assert tasks.count() == len(cohort)  # one task per resident
    assert not tasks.filter(assignee__isnull=True).exists()
    for task in tasks.select_related("assignee", "household"):
        assert task.assignee.role == Role.PLANNER and task.assignee.dong_id == task.household.dong_id

    by_status = {s: tasks.filter(status=s).count() for s in TaskStatus.values}
    assert by_status["done"] and by_status["not_home"] and by_status["refused"] and by_status["open"]
    # Results went through the result service: each one is also a visit logged on the household.
    handled = tasks.exclude(status=TaskStatus.OPEN).select_related("contact", "done_by")
    for task in handled:
        assert task.contact is not None and task.contact.household_id == task.household_id
        assert task.done_by_id == task.assignee_id and task.result_note
    rows, total = campaign_progress(campaign, User.objects.get(username="coordinator1"))
    assert {r.dong.name for r in rows} == DEMO_DONGS
    assert total.counselling_rate == round(100 * by_status["done"] / len(cohort), 1) > 0


def test_open_tasks_are_on_the_assignees_worklist(seeded, client):
    task = (
        VisitTask.objects.filter(status=TaskStatus.OPEN, campaign__kind=CampaignKind.UNIVERSAL)
        .select_related("assignee", "resident").order_by("id").first()
    )
    assert task.due_on <= timezone.localdate() + datetime.timedelta(days=7)  # within the default window
    client.force_login(task.assignee)
    page = client.get(reverse("cases:worklist")).content.decode()
    assert reverse("outreach:task_detail", args=[task.pk]) in page
    assert f"{task.resident.name} · {task.reason}" in page  # e.g. "홍길동 · 70세 보편방문 대상"
    assert f'data-testid="work-item-title">{task.campaign.name}<' in page  # "2026년 보편방문(65·70세)"


def test_lonely_death_survey_goes_to_the_officers_and_anomalies_to_stage_2(seeded):
    campaign = Campaign.objects.get(kind=CampaignKind.LONELY_DEATH)
    stage1 = VisitTask.objects.filter(campaign=campaign, stage=1).select_related("assignee")
    assert stage1.exists() and all(t.assignee.role == Role.NEIGHBOURHOOD_OFFICER for t in stage1)
    assert not stage1.filter(status=TaskStatus.DONE, finding="").exists()
    anomalies = stage1.filter(finding=Finding.ANOMALY)
    stage2 = VisitTask.objects.filter(campaign=campaign, stage=2)
    assert set(stage2.values_list("source_task_id", flat=True)) == set(anomalies.values_list("pk", flat=True))


def test_devices_for_high_risk_people_living_alone(seeded):
    devices = ActivityDevice.objects.select_related("household")
    assert devices.exists()
    for device in devices:
        assert device.household.risk_tier == RiskTier.HIGH
        assert device.household.residents.filter(living_together=True).count() == 1
        assert device.events.exists() and device.last_activity_at is not None
    # The one silent device has produced its urgent alert task (and nothing else did).
    silent = [d for d in devices if d.last_activity_at < timezone.now() - datetime.timedelta(hours=72)]
    alerts = VisitTask.objects.filter(campaign__kind=CampaignKind.ACTIVITY)
    assert len(silent) == 1
    assert list(alerts.values_list("household_id", "priority")) == [(silent[0].household_id, "urgent")]


# --- Care SOS -----------------------------------------------------------------------------------

S = CareRequestStatus


def test_care_sos_providers_of_the_gu(seeded):
    providers = CareProvider.objects.select_related("gu", "dong")
    assert {p.name for p in providers} == {spec.name for spec in PROVIDERS}
    assert {p.gu.name for p in providers} == {"은평구"}
    assert len({p.kind for p in providers}) >= 5
    assert providers.filter(active=False).exists() and providers.filter(dong__isnull=False).exists()
    for provider in providers:
        assert provider.care_kinds and provider.phone
        assert provider.dong is None or provider.dong.name in provider.name
    assert "제공기관 15" in seeded


def test_care_sos_requests_in_every_stage(seeded):
    requests = CareRequest.objects.select_related("dong", "household", "resident")
    assert requests.count() == len(SCENARIOS)
    states = set(requests.values_list("status", flat=True))
    assert len(states) >= 6
    assert states == {s.target for s in SCENARIOS}
    assert {S.RECEIVED, S.SUBMITTED, S.RETURNED, S.IN_SERVICE, S.FOLLOW_UP, S.CLOSED, S.WITHDRAWN} <= states
    # The visits still to come: one on track, one due soon, one overdue — on the day of seeding.
    waiting = with_sla(requests.filter(status=S.RECEIVED))
    assert {r.sla_state for r in waiting} == {ON_TRACK, DUE_SOON, OVERDUE}
    caremanager = User.objects.get(username="caremanager1")
    for request in requests:
        assert request.household.dong_id == request.dong_id == request.resident.household.dong_id
        assert request.received_at <= timezone.now()
        # Through the services: an event per transition, starting with the intake.
        events = list(request.events.order_by("at", "pk"))
        assert events[0].transition == "receive" and events[-1].to_status == request.status
        assert all(e.from_status == prev.to_status for prev, e in zip(events, events[1:], strict=False))
        if request.dong.name == "불광1동":
            assert list(request.care_managers.all()) == [caremanager]
        else:
            assert request.care_managers.count() == 2
    assert len({r.household_id for r in requests}) == requests.count()  # one request per household


def test_care_sos_plans_decisions_and_deliveries(seeded):
    coordinator = User.objects.get(username="coordinator1")
    queue = list(approval_queue_for(coordinator))
    assert queue and all(r.status == S.SUBMITTED for r in queue)
    resubmitted = [r for r in queue if r.plan.submission_no == 2]
    assert resubmitted and resubmitted[0].approvals.get().decision == "returned"
    returned = CareRequest.objects.get(status=S.RETURNED)
    assert returned.approvals.get().comment  # the gu's reason for the return
    assert set(Approval.objects.values_list("decided_by__username", flat=True)) == {"coordinator1"}
    for request in CareRequest.objects.filter(status__in=[S.IN_SERVICE, S.FOLLOW_UP, S.CLOSED]):
        assert request.approvals.filter(decision="approved").exists()
        deliveries = request.deliveries.all()
        assert deliveries.exists() and all(
            request.plan.period_start <= d.delivered_on <= timezone.localdate() for d in deliveries
        )
    closed = CareRequest.objects.get(status=S.CLOSED)
    assert closed.outcome and closed.follow_up_on is not None
    assert CareRequest.objects.get(status=S.FOLLOW_UP).follow_up_due > timezone.localdate()
    assert CareAssessment.objects.count() >= 8 and CarePlanLine.objects.exists()
    assert CareRequest.objects.get(status=S.WITHDRAWN).exit_reason


def test_care_sos_screens_have_content(seeded, client):
    client.force_login(User.objects.get(username="caremanager1"))
    page = client.get(reverse("cases:care_request_list")).content.decode()
    mine = CareRequest.objects.filter(dong__name="불광1동", status=S.RECEIVED)
    assert all(r.number in page for r in mine)
    client.force_login(User.objects.get(username="coordinator1"))
    page = client.get(reverse("cases:care_plan_approvals")).content.decode()
    assert all(r.number in page for r in CareRequest.objects.filter(status=S.SUBMITTED))


def test_care_sos_second_run_creates_nothing(seeded):
    first = care_sos_counts()
    assert first["care_requests"] and first["care_events"] and first["care_approvals"] and first["care_deliveries"]
    output = seed()
    assert care_sos_counts() == first
    assert "돌봄SOS" not in output
