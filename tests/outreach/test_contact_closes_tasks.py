"""A contact logged on the household page ends the household's matching open visit tasks at
once (cases' contact hook, registered by outreach), with one event per task and the link kept
once, on the task."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from cases.models import Contact, ContactOutcome, RiskTier
from cases.services import contacts as contact_services
from cases.services.contacts import contact_log
from chatdong.accounts.roles import Role
from outreach.models import CampaignKind, Finding, TaskStatus, VisitTask, VisitTaskEvent
from outreach.services.visits import (
    CLOSED_BY_CONTACT_NOTE,
    task_record_result,
    tasks_close_for_contact,
)
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory
from tests.outreach.factories import CampaignFactory

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def team(outreach_policy):
    dong = DongFactory()
    return {
        "dong": dong,
        "planner": UserFactory(role=Role.PLANNER, dong=dong),
        "planner2": UserFactory(role=Role.PLANNER, dong=dong),
        "officer": UserFactory(role=Role.NEIGHBOURHOOD_OFFICER, dong=dong),
    }


def _task(campaign, household, *, resident=None, assignee=None, created_at=None):
    task = VisitTask.objects.create(
        campaign=campaign, dong=household.dong, household=household, resident=resident, assignee=assignee,
        due_on=timezone.localdate() + D(days=7), reason="테스트",
    )
    if created_at is not None:
        VisitTask.objects.filter(pk=task.pk).update(created_at=created_at)
        task.refresh_from_db()
    return task


def _log(actor, household, *, outcome=ContactOutcome.MET, mode="visit", resident=None, occurred_at=None, **kw):
    return contact_log(
        actor=actor, household=household, mode=mode, occurred_at=occurred_at or timezone.now(), staff=[actor],
        outcome=outcome, resident=resident, **kw,
    )


def test_contact_on_the_household_page_closes_the_matching_task_at_once(team):
    household = HouseholdFactory(dong=team["dong"])
    elder, other = ResidentFactory(household=household), ResidentFactory(household=household)
    campaign = CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]])
    task = _task(campaign, household, resident=elder, assignee=team["planner"])
    others = _task(campaign, household, resident=other, assignee=team["planner"])

    contact = _log(team["planner"], household, resident=elder)

    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.contact == contact
    assert task.done_by == team["planner"] and task.result_note == CLOSED_BY_CONTACT_NOTE
    event = VisitTaskEvent.objects.get(task=task)
    assert (event.transition, event.from_status, event.to_status) == ("complete", TaskStatus.OPEN, TaskStatus.DONE)
    assert event.actor == team["planner"] and event.comment == CLOSED_BY_CONTACT_NOTE
    # the other member's visit is still to do
    assert VisitTask.objects.get(pk=others.pk).status == TaskStatus.OPEN
    assert not VisitTaskEvent.objects.filter(task=others).exists()


def test_only_tasks_the_author_may_record_are_settled(team):
    """The contact records results in its author's name: a colleague's task stays on the
    colleague's list, an unassigned one is settled, and so is any task for a team leader."""
    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    colleagues = _task(CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]]), household,
                       resident=person, assignee=team["planner"])
    unassigned = _task(CampaignFactory(kind=CampaignKind.SUMMER, dongs=[team["dong"]]), household, resident=person)
    _log(team["planner2"], household, resident=person)
    assert VisitTask.objects.get(pk=colleagues.pk).status == TaskStatus.OPEN
    assert VisitTask.objects.get(pk=unassigned.pk).done_by == team["planner2"]
    leader = UserFactory(role=Role.TEAM_LEADER, dong=team["dong"])
    _log(leader, household, resident=person)
    colleagues.refresh_from_db()
    assert colleagues.status == TaskStatus.DONE and colleagues.done_by == leader


def test_risk_tier_monitoring_closes_on_a_phone_call_without_a_sweep(team):
    household = HouseholdFactory(dong=team["dong"], risk_tier=RiskTier.HIGH)
    ResidentFactory(household=household)
    ResidentFactory(household=household)
    campaign = CampaignFactory(kind=CampaignKind.RISK_TIER, dongs=[team["dong"]])
    task = _task(campaign, household, assignee=team["planner"])
    contact = _log(team["planner"], household, mode="phone")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.contact == contact


@pytest.mark.parametrize(
    ("outcome", "status", "transition"),
    [
        (ContactOutcome.NOT_HOME, TaskStatus.NOT_HOME, "mark_not_home"),
        (ContactOutcome.REFUSED, TaskStatus.REFUSED, "mark_refused"),
        (ContactOutcome.MOVED, TaskStatus.MOVED, "mark_moved"),
        (ContactOutcome.DECEASED, TaskStatus.CANCELLED, "cancel"),
    ],
)
def test_the_contacts_result_becomes_the_tasks(team, outcome, status, transition):
    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.SUMMER, dongs=[team["dong"]]), household, resident=person)
    _log(team["planner"], household, outcome=outcome)  # a household of one: the contact is about them
    task.refresh_from_db()
    assert task.status == status
    assert list(task.events.values_list("transition", flat=True)) == [transition]


def test_what_does_not_match_stays_open(team):
    household = HouseholdFactory(dong=team["dong"])
    a, b = ResidentFactory(household=household), ResidentFactory(household=household)
    campaign = CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]])
    task_a = _task(campaign, household, resident=a)
    task_b = _task(campaign, household, resident=b)
    household_wide = _task(CampaignFactory(kind=CampaignKind.WINTER, dongs=[team["dong"]]), household)
    neighbour = HouseholdFactory(dong=team["dong"])
    neighbour_task = _task(campaign, neighbour, resident=ResidentFactory(household=neighbour))
    # household-wide too, but created after the moment the contact happened
    newer = _task(CampaignFactory(kind=CampaignKind.SUMMER, dongs=[team["dong"]]), household,
                  created_at=timezone.now() + D(minutes=5))

    # two members and nobody named: only the household-wide task is settled
    _log(team["planner"], household)
    status = dict(VisitTask.objects.values_list("pk", "status"))
    assert status[household_wide.pk] == TaskStatus.DONE
    assert status[task_a.pk] == status[task_b.pk] == status[neighbour_task.pk] == TaskStatus.OPEN
    assert status[newer.pk] == TaskStatus.OPEN


def test_a_contact_entered_late_does_not_settle_newer_work(team):
    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]]), household, resident=person)
    _log(team["planner"], household, resident=person, occurred_at=task.created_at - D(days=3))
    assert VisitTask.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_whole_household_moving_closes_every_members_task(team):
    household = HouseholdFactory(dong=team["dong"])
    campaign = CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]])
    tasks = [_task(campaign, household, resident=ResidentFactory(household=household)) for _ in range(2)]
    _log(team["planner"], household, outcome=ContactOutcome.MOVED)
    assert {VisitTask.objects.get(pk=t.pk).status for t in tasks} == {TaskStatus.MOVED}


def test_lonely_death_stage1_met_waits_for_its_finding(team):
    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.LONELY_DEATH, dongs=[team["dong"]]), household, resident=person,
                 assignee=team["officer"])
    _log(team["officer"], household, resident=person)
    assert VisitTask.objects.get(pk=task.pk).status == TaskStatus.OPEN  # the finding is recorded on the task page
    task_record_result(actor=team["officer"], task=task, status=TaskStatus.DONE, finding=Finding.NORMAL)
    assert VisitTask.objects.get(pk=task.pk).finding == Finding.NORMAL


def test_recording_a_task_does_not_record_it_twice_but_settles_the_rest(team):
    household = HouseholdFactory(dong=team["dong"], risk_tier=RiskTier.WATCH)
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]]), household, resident=person,
                 assignee=team["planner"])
    monitoring = _task(CampaignFactory(kind=CampaignKind.RISK_TIER, dongs=[team["dong"]]), household)

    task_record_result(actor=team["planner"], task=task, status=TaskStatus.REFUSED, note="문 앞에서 거절")

    task.refresh_from_db()
    contact = Contact.objects.get(household=household)
    assert task.status == TaskStatus.REFUSED and task.result_note == "문 앞에서 거절" and task.contact == contact
    assert list(task.events.values_list("transition", "comment")) == [("mark_refused", "문 앞에서 거절")]
    monitoring.refresh_from_db()
    assert monitoring.status == TaskStatus.REFUSED and monitoring.contact == contact
    assert monitoring.result_note == CLOSED_BY_CONTACT_NOTE
    # both tasks point to the one contact; the contact carries no copy of the link
    assert set(contact.visit_tasks.values_list("pk", flat=True)) == {task.pk, monitoring.pk}
    assert not hasattr(contact, "visit_task_id")


def test_a_failing_hook_rolls_the_contact_back(team, monkeypatch):
    """A hook that breaks (e.g. a renamed service) fails the contact loudly instead of
    silently leaving the household's work as it was."""
    household = HouseholdFactory(dong=team["dong"])

    def broken(*, contact, actor):
        raise RuntimeError("hook broke")

    monkeypatch.setattr(contact_services, "CONTACT_HOOKS", [*contact_services.CONTACT_HOOKS, broken])
    with pytest.raises(RuntimeError, match="hook broke"):
        _log(team["planner"], household)
    assert not Contact.objects.filter(household=household).exists()


def test_outreach_registers_its_hook_once():
    from django.apps import apps

    apps.get_app_config("outreach").ready()
    assert contact_services.CONTACT_HOOKS.count(tasks_close_for_contact) == 1


def test_a_closed_task_refuses_another_result_and_its_events_are_append_only(team):
    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]]), household, resident=person,
                 assignee=team["planner"])
    _log(team["planner"], household, resident=person)
    with pytest.raises(ValidationError, match="이미 처리된"):
        task_record_result(actor=team["planner"], task=task, status=TaskStatus.DONE)
    task.refresh_from_db()
    assert task.events.count() == 1
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        VisitTaskEvent.objects.filter(task=task).update(comment="고침")
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        VisitTaskEvent.objects.filter(task=task).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitTask.objects.filter(pk=task.pk).update(status="lost")


def test_api_contact_shows_the_task_it_settled(team):
    from django.urls import reverse
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]]), household, resident=person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team['planner']).key}")
    response = client.post(
        reverse("api:contact-list"), {"household": household.pk, "mode": "visit", "outcome": "met",
                                      "occurred_at": timezone.now().isoformat(), "resident": person.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["visit_task_id"] == task.pk
    assert client.get(reverse("api:contact-detail", args=[response.json()["id"]])).json()["visit_task_id"] == task.pk
    listed = client.get(reverse("api:contact-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["visit_task_id"] for r in rows] == [task.pk]


def test_task_page_shows_its_history(team, client):
    household = HouseholdFactory(dong=team["dong"])
    person = ResidentFactory(household=household)
    task = _task(CampaignFactory(kind=CampaignKind.UNIVERSAL, dongs=[team["dong"]]), household, resident=person)
    _log(team["planner2"], household, resident=person)
    client.force_login(team["planner"])
    body = client.get(f"/outreach/tasks/{task.pk}/").content.decode()
    start = body.index('data-testid="transitions"')
    history = body[start:body.index("</ol>", start)]
    assert "상담 완료 (미완료 → 상담 완료)" in history
    assert f"{team['planner2'].display_name} · {CLOSED_BY_CONTACT_NOTE}" in history
