"""Recording results, the lonely-death stage 2, bulk reassignment."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import Contact, HousingType, NoResponseProcedure, RiskTier
from chatdong.accounts.roles import Role
from outreach.models import CampaignKind, Finding, TaskStatus, VisitTask
from outreach.services.sweeps import campaign_sweep
from outreach.services.visits import task_record_result, tasks_reassign
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory
from tests.outreach.factories import CampaignFactory

D = datetime.date


@pytest.fixture
def team(outreach_policy):
    dong = DongFactory()
    return {
        "dong": dong,
        "officer": UserFactory(role=Role.NEIGHBOURHOOD_OFFICER, dong=dong),
        "planner": UserFactory(role=Role.PLANNER, dong=dong),
        "planner2": UserFactory(role=Role.PLANNER, dong=dong),
        "leader": UserFactory(role=Role.TEAM_LEADER, dong=dong),
    }


def lonely_task(team):
    h = HouseholdFactory(dong=team["dong"], housing_type=HousingType.GOSIWON)
    ResidentFactory(household=h)
    campaign = CampaignFactory(kind=CampaignKind.LONELY_DEATH, year=2025, dongs=[team["dong"]])
    campaign_sweep(campaign=campaign, today=D(2025, 4, 1))
    return VisitTask.objects.get(campaign=campaign, household=h)


def test_stage1_anomaly_creates_one_stage2_for_a_planner(team):
    task = lonely_task(team)
    assert task.assignee == team["officer"]
    with pytest.raises(ValidationError, match="1단계 조사 결과"):
        task_record_result(actor=team["officer"], task=task, status=TaskStatus.DONE)
    with pytest.raises(ValidationError, match="이상 내용"):
        task_record_result(actor=team["officer"], task=task, status=TaskStatus.DONE, finding=Finding.ANOMALY)
    task_record_result(actor=team["officer"], task=task, status=TaskStatus.DONE, finding=Finding.ANOMALY,
                       note="우편물 쌓임, 이웃이 일주일째 못 봄")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.finding == Finding.ANOMALY and task.done_by == team["officer"]
    stage2 = VisitTask.objects.get(campaign=task.campaign, household=task.household, stage=2)
    assert stage2.assignee in (team["planner"], team["planner2"]) and stage2.source_task == task
    assert stage2.priority == "urgent"
    # the contact was logged on the household through the cases service
    assert Contact.objects.filter(household=task.household, visit_tasks=task).exists()
    with pytest.raises(ValidationError, match="이미 처리된"):
        task_record_result(actor=team["officer"], task=task, status=TaskStatus.DONE, finding=Finding.ANOMALY, note="x")
    assert VisitTask.objects.filter(household=task.household, stage=2).count() == 1


def test_stage1_normal_creates_nothing(team):
    task = lonely_task(team)
    task_record_result(actor=team["officer"], task=task, status=TaskStatus.DONE, finding=Finding.NORMAL)
    assert not VisitTask.objects.filter(stage=2).exists()


def test_not_home_for_high_risk_starts_no_response(team):
    h = HouseholdFactory(dong=team["dong"], risk_tier=RiskTier.HIGH, next_contact_due=D(2025, 1, 1))
    ResidentFactory(household=h)
    campaign = CampaignFactory(kind=CampaignKind.RISK_TIER, dongs=[team["dong"]])
    campaign_sweep(campaign=campaign, today=D(2025, 1, 1))
    task = VisitTask.objects.get(household=h)
    task_record_result(actor=task.assignee, task=task, status=TaskStatus.NOT_HOME, note="스티커 부착")
    assert NoResponseProcedure.objects.filter(household=h, status="open").exists()


def test_only_assignee_or_supervisor_records(team):
    task = lonely_task(team)
    outsider = UserFactory(role=Role.PLANNER)  # another dong
    for user in (outsider, team["planner"]):
        with pytest.raises(ValidationError, match="권한"):
            task_record_result(actor=user, task=task, status=TaskStatus.REFUSED)
    task_record_result(actor=team["leader"], task=task, status=TaskStatus.REFUSED, note="방문 거부")
    assert VisitTask.objects.get(pk=task.pk).status == TaskStatus.REFUSED


def test_bulk_reassign(team):
    dong = team["dong"]
    campaign = CampaignFactory(dongs=[dong])
    tasks = []
    for i in range(5):
        r = ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1960, 1, i + 1))
        tasks.append(VisitTask.objects.create(campaign=campaign, dong=dong, household=r.household, resident=r,
                                              due_on=D(2025, 2, 1), assignee=team["planner"]))
    VisitTask.objects.filter(pk=tasks[4].pk).update(status=TaskStatus.DONE)
    other_dong_planner = UserFactory(role=Role.PLANNER)
    with pytest.raises(ValidationError, match="권한"):
        tasks_reassign(actor=team["planner"], assignee=team["planner2"], task_ids=[t.pk for t in tasks])
    assert tasks_reassign(actor=team["leader"], assignee=other_dong_planner, task_ids=[t.pk for t in tasks]) == 0
    assert tasks_reassign(actor=team["leader"], assignee=team["planner2"], task_ids=[t.pk for t in tasks[:2]]) == 2
    assert tasks_reassign(actor=team["leader"], assignee=team["planner2"], from_assignee=team["planner"]) == 2
    assignees = dict(VisitTask.objects.values_list("pk", "assignee_id"))
    assert [assignees[t.pk] for t in tasks] == [team["planner2"].pk] * 4 + [team["planner"].pk]  # done task kept
    outside_leader = UserFactory(role=Role.TEAM_LEADER)
    assert tasks_reassign(actor=outside_leader, assignee=team["planner"], task_ids=[t.pk for t in tasks]) == 0


def test_the_gu_coordinator_supervises_the_gu_tasks(team):
    """One supervisor across the project: the gu team (control tower) reassigns visit tasks in its
    gu — as it assigns crisis reports — but not in another gu, and does not record visits itself."""
    dong = team["dong"]
    campaign = CampaignFactory(dongs=[dong])
    r = ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1960, 1, 1))
    task = VisitTask.objects.create(campaign=campaign, dong=dong, household=r.household, resident=r,
                                    due_on=D(2025, 2, 1), assignee=team["planner"])
    coordinator = UserFactory(role=Role.GU_COORDINATOR, gu=dong.gu)
    far_coordinator = UserFactory(role=Role.GU_COORDINATOR)
    assert tasks_reassign(actor=far_coordinator, assignee=team["planner2"], task_ids=[task.pk]) == 0
    assert tasks_reassign(actor=coordinator, assignee=team["planner2"], task_ids=[task.pk]) == 1
    assert VisitTask.objects.get(pk=task.pk).assignee == team["planner2"]
    with pytest.raises(ValidationError, match="권한"):
        task_record_result(actor=coordinator, task=task, status=TaskStatus.REFUSED)
