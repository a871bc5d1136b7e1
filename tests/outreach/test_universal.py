"""보편방문 65·70: the cohort is exact on a crafted population; reruns add nothing."""

import datetime

import pytest

from chatdong.accounts.roles import Role
from outreach.models import SweepRun, TaskStatus, VisitTask
from outreach.services.sweeps import campaign_sweep
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, TongFactory, UserFactory
from tests.outreach.factories import CampaignFactory

D = datetime.date
IN = [
    D(1960, 1, 1), D(1960, 12, 31), D(1960, 2, 29),  # turning 65 in 2025: first day, last day, leap day
    D(1955, 1, 1), D(1955, 12, 31),                   # turning 70
]
OUT = [
    D(1959, 12, 31), D(1961, 1, 1),                   # 66 and 64
    D(1954, 12, 31), D(1956, 1, 1), D(1956, 2, 29),   # 71, 69, 69 (leap day)
    D(1964, 2, 29),                                   # 61
]


@pytest.fixture
def population(outreach_policy):
    dong = DongFactory()
    other = DongFactory()
    expected = []
    for born in IN:
        expected.append(ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=born).pk)
    for born in OUT:
        ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=born)
    # Excluded although the right age: deceased, moved out, or living in another dong.
    ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1960, 6, 1), deceased_on=D(2024, 5, 1))
    ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1960, 6, 2), moved_out_on=D(2024, 5, 1))
    ResidentFactory(household=HouseholdFactory(dong=other), birth_date=D(1960, 6, 3))
    # Two members of one household, both in the cohort: one task each.
    shared = HouseholdFactory(dong=dong)
    expected.append(ResidentFactory(household=shared, birth_date=D(1955, 7, 7)).pk)
    expected.append(ResidentFactory(household=shared, birth_date=D(1960, 7, 7), living_together=False).pk)
    campaign = CampaignFactory(year=2025, dongs=[dong])
    return campaign, dong, sorted(expected)


def test_cohort_is_exact(population):
    campaign, dong, expected = population
    run = campaign_sweep(campaign=campaign, today=D(2025, 3, 2))
    tasks = VisitTask.objects.filter(campaign=campaign)
    assert sorted(tasks.values_list("resident_id", flat=True)) == expected
    assert run.status == SweepRun.Status.SUCCEEDED
    assert (run.candidates, run.created, run.already_present) == (len(expected), len(expected), 0)
    assert run.policy_versions["outreach.universal_ages"]["value"] == [65, 70]
    task = tasks.get(resident__birth_date=D(1960, 2, 29))
    assert task.reason == "65세 보편방문 대상"
    assert task.dong_id == dong.pk and task.status == TaskStatus.OPEN and task.stage == 1
    assert task.due_on == D(2025, 4, 1)  # run date + 30 days
    assert tasks.get(resident__birth_date=D(1955, 1, 1)).reason == "70세 보편방문 대상"


def test_rerun_creates_nothing(population):
    campaign, _, expected = population
    campaign_sweep(campaign=campaign, today=D(2025, 3, 2))
    again = campaign_sweep(campaign=campaign, today=D(2025, 3, 3))
    assert (again.candidates, again.created, again.already_present) == (len(expected), 0, len(expected))
    assert VisitTask.objects.filter(campaign=campaign).count() == len(expected)


def test_new_resident_picked_up_by_next_run(population):
    campaign, dong, expected = population
    campaign_sweep(campaign=campaign, today=D(2025, 3, 2))
    newcomer = ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1955, 3, 3))
    run = campaign_sweep(campaign=campaign, today=D(2025, 3, 3))
    assert run.created == 1
    assert VisitTask.objects.filter(campaign=campaign, resident=newcomer).count() == 1


def test_city_wide_campaign_covers_every_dong(population):
    campaign, _, expected = population
    campaign.dongs.clear()
    run = campaign_sweep(campaign=campaign, today=D(2025, 3, 2))
    assert run.created == len(expected) + 1  # the resident of the other dong too


def test_assignment_by_tong_then_least_load(outreach_policy):
    dong = DongFactory()
    tong1, tong2 = TongFactory(dong=dong, number=1), TongFactory(dong=dong, number=2)
    covering = UserFactory(role=Role.PLANNER, dong=dong)
    covering.tongs.set([tong1])
    busy = UserFactory(role=Role.PLANNER, dong=dong)
    idle = UserFactory(role=Role.PLANNER, dong=dong)
    officer = UserFactory(role=Role.NEIGHBOURHOOD_OFFICER, dong=dong)  # wrong role for 보편방문
    officer.tongs.set([tong2])
    own_planner = UserFactory(role=Role.PLANNER, dong=dong)
    other_dong_planner = UserFactory(role=Role.PLANNER, dong=DongFactory())
    # busy already carries 3 open tasks of another campaign
    old = CampaignFactory(year=2024, dongs=[dong])
    for _ in range(3):
        r = ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1959, 5, 5))
        VisitTask.objects.create(campaign=old, dong=dong, household=r.household, resident=r, due_on=D(2025, 1, 1),
                                 assignee=busy)
    in_tong1 = ResidentFactory(household=HouseholdFactory(dong=dong, tong=tong1), birth_date=D(1960, 5, 5))
    own = ResidentFactory(household=HouseholdFactory(dong=dong, tong=tong1, planner=own_planner), birth_date=D(1960, 5, 6))
    strangers_planner = ResidentFactory(
        household=HouseholdFactory(dong=dong, tong=tong2, planner=other_dong_planner), birth_date=D(1960, 5, 7)
    )
    loose = [ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(1955, 5, i + 1)) for i in range(4)]
    campaign = CampaignFactory(year=2025, dongs=[dong])
    campaign_sweep(campaign=campaign, today=D(2025, 3, 2))
    by_resident = dict(VisitTask.objects.filter(campaign=campaign).values_list("resident_id", "assignee_id"))
    assert by_resident[in_tong1.pk] == covering.pk
    assert by_resident[own.pk] == own_planner.pk
    # tong 2 is covered only by an officer and the household's planner is in another dong:
    # round-robin over the dong's planners, least loaded first; nobody out of role or dong.
    rest = [by_resident[strangers_planner.pk]] + [by_resident[r.pk] for r in loose]
    assert officer.pk not in rest and other_dong_planner.pk not in rest
    assert None not in rest
    assert rest.count(busy.pk) <= 1
    assert set(rest) >= {idle.pk, covering.pk, own_planner.pk}
