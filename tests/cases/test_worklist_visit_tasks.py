"""Visit tasks on 내 업무: the campaign's name and the visit's reason, and "과제 처리" to the
task's result page; household-due rows keep their own actions."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services.contacts import contact_log
from outreach.models import CampaignKind, TaskPriority, VisitTask
from tests.factories import HouseholdFactory, ResidentFactory, TongFactory
from tests.outreach.factories import CampaignFactory

D = datetime.timedelta
URL = "/cases/worklist/"
CAMPAIGN = "2026년 보편방문(65·70세)"


def _task(campaign, *, dong, assignee, days=0, address="", reason="70세 보편방문 대상", **kw):
    household = HouseholdFactory(dong=dong, address=address or "서울특별시 은평구 통일로 1", **kw)
    resident = ResidentFactory(household=household, name="홍길순", birth_date=datetime.date(1956, 3, 1))
    return VisitTask.objects.create(
        campaign=campaign, dong=dong, household=household, resident=resident, reason=reason, assignee=assignee,
        due_on=timezone.localdate() + D(days=days),
    )


def _rows(body: str) -> dict[str, str]:
    """Each work-item row's HTML by its kind (data-kind)."""
    rows = re.findall(r'<li class="cs-item[^"]*" data-kind="([a-z_]+)" data-testid="work-item">(.*?)</li>', body, re.S)
    return dict(rows)


def test_visit_task_row_shows_campaign_reason_and_task_action(client, dong, planner):
    campaign = CampaignFactory(kind=CampaignKind.UNIVERSAL, name=CAMPAIGN, year=2026, dongs=[dong])
    task = _task(campaign, dong=dong, assignee=planner, days=-1, address="서울특별시 은평구 연서로 7")
    household = HouseholdFactory(dong=dong, planner=planner, address="서울특별시 은평구 불광로 3")
    contact_log(actor=planner, household=household, mode="phone", occurred_at=timezone.now(), staff=[planner],
                outcome="refused", next_action="통장과 재방문", next_action_on=timezone.localdate())
    client.force_login(planner)
    rows = _rows(client.get(URL).content.decode())
    assert set(rows) == {"visit_task", "household_due"}

    visit = rows["visit_task"]
    title = re.search(r'data-testid="work-item-title">([^<]*)<', visit)
    assert title and title.group(1) == CAMPAIGN
    assert "방문 사유: 홍길순 · 70세 보편방문 대상" in visit
    task_url = reverse("outreach:task_detail", args=[task.pk])
    assert re.search(rf'<a class="krds-btn primary small" href="{task_url}">과제 처리</a>', visit)
    assert "가구 보기" not in visit and "상담 기록" not in visit and "다음 조치" not in visit

    # A household that is due keeps its look: 다음 조치, 상담 기록 and 가구 보기, no title.
    due = rows["household_due"]
    assert "work-item-title" not in due and CAMPAIGN not in due and "과제 처리" not in due
    assert "다음 조치: 통장과 재방문" in due
    assert reverse("cases:contact_create", args=[household.pk]) in due
    assert f'href="{reverse("cases:household_detail", args=[household.pk])}">가구 보기</a>' in due


def test_stage_two_and_urgent_tasks_say_so(client, dong, planner):
    campaign = CampaignFactory(kind=CampaignKind.LONELY_DEATH, name="2026년 고독사 위험 1인가구 실태조사", dongs=[dong])
    task = _task(campaign, dong=dong, assignee=planner, reason="1단계 이상 발견")
    VisitTask.objects.filter(pk=task.pk).update(stage=2, priority=TaskPriority.URGENT)
    client.force_login(planner)
    visit = _rows(client.get(URL).content.decode())["visit_task"]
    assert "2026년 고독사 위험 1인가구 실태조사 (2단계)" in visit
    assert "방문 사유: 홍길순 · 1단계 이상 발견 · 긴급" in visit


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.context["items"]


def test_constant_queries_with_visit_tasks(client, dong, planner, team_leader):
    """10 rows or 100 (a full page of 50): the same number of queries, tasks and households mixed."""
    tong = TongFactory(dong=dong, number=3)
    # Two campaigns of the dong's year (of two kinds: one universal campaign per dong and year).
    campaigns = [CampaignFactory(name=f"2026년 캠페인 {i}", year=2026, dongs=[dong], kind=kind)
                 for i, kind in enumerate((CampaignKind.UNIVERSAL, CampaignKind.PARENTING))]
    client.force_login(team_leader)

    def add(n, start):
        for i in range(start, start + n):
            if i % 2:
                _task(campaigns[i % 4 // 2], dong=dong, assignee=planner if i % 3 else None, days=-(i % 5), tong=tong)
            else:
                HouseholdFactory(dong=dong, tong=tong, planner=planner,
                                 next_contact_due=timezone.localdate() - D(days=i % 5))

    add(10, 0)
    client.get(URL)  # warm caches (content types, session)
    small, items = _page_queries(client)
    assert len(items) == 10 and {i.kind for i in items} == {"visit_task", "household_due"}
    add(90, 10)
    big, items = _page_queries(client)
    assert len(items) == 50 and {i.kind for i in items} == {"visit_task", "household_due"}
    assert {i.title for i in items if i.kind == "visit_task"} == {c.name for c in campaigns}
    assert big == small
