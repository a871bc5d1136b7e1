import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Household, RiskTier
from cases.selectors.households import due_text
from cases.selectors.worklist import worklist_items, worklist_rows
from tests.factories import HouseholdFactory, TongFactory

D = datetime.timedelta
URL = "/cases/worklist/"


def _due(dong, days, **kw):
    return HouseholdFactory(dong=dong, next_contact_due=timezone.localdate() + D(days=days), **kw)


def test_due_text_in_korean(today):
    assert due_text(today - D(days=3), today) == "3일 지남"
    assert due_text(today, today) == "오늘"
    assert due_text(today + D(days=2), today) == "2일 남음"


def test_worklist_url(db):
    assert reverse("cases:worklist") == URL


def test_planner_sees_own_households_by_default(client, dong, planner, nurse, team_leader):
    mine = _due(dong, -2, planner=planner, address="내 담당 가구")
    _due(dong, -1, planner=team_leader, address="남의 담당 가구")
    _due(dong, 0, address="미배정 가구")
    client.force_login(planner)
    body = client.get(URL).content.decode()
    assert "내 담당 가구" in body and "남의 담당 가구" not in body and "미배정 가구" not in body
    assert "2일 지남" in body
    # Toggle: the whole dong.
    body = client.get(URL, {"assigned": "all"}).content.decode()
    assert "남의 담당 가구" in body and "미배정 가구" in body
    # Nurses see the households they are the nurse of.
    client.force_login(nurse)
    mine.nurse = nurse
    mine.save()
    assert "내 담당 가구" in client.get(URL).content.decode()


def test_team_leader_sees_whole_dong_and_unassigned(client, dong, planner, team_leader, other_dong):
    _due(dong, -1, planner=planner, address="플래너 가구")
    _due(dong, 1, address="미배정 가구")
    _due(other_dong, -5, address="다른 동 가구")
    client.force_login(team_leader)
    body = client.get(URL).content.decode()
    assert "플래너 가구" in body and "미배정 가구" in body and "다른 동 가구" not in body
    body = client.get(URL, {"assigned": "unassigned"}).content.decode()
    assert "미배정 가구" in body and "플래너 가구" not in body


def test_order_window_and_overdue_marking(client, dong, team_leader):
    _due(dong, 3, address="사흘 뒤")
    _due(dong, -10, address="열흘 지남")
    _due(dong, 0, address="오늘 예정")
    _due(dong, 20, address="스무날 뒤")
    HouseholdFactory(dong=dong, next_contact_due=None, address="예정 없음")
    client.force_login(team_leader)
    response = client.get(URL)
    body = response.content.decode()
    assert body.index("열흘 지남") < body.index("오늘 예정") < body.index("사흘 뒤")
    assert "스무날 뒤" not in body and "예정 없음" not in body
    assert "cs-item--overdue" in body and "10일 지남" in body
    assert "스무날 뒤" in client.get(URL, {"within": 30}).content.decode()
    assert "사흘 뒤" not in client.get(URL, {"within": 0}).content.decode()


def test_filters_by_tong_tier_benefit_housing(client, dong, team_leader):
    tong = TongFactory(dong=dong, number=4)
    _due(dong, -1, address="대상 가구", tong=tong, risk_tier=RiskTier.HIGH, benefits=["livelihood"],
         housing_type="semi_basement")
    _due(dong, -1, address="다른 통", risk_tier=RiskTier.HIGH, benefits=["livelihood"], housing_type="semi_basement")
    _due(dong, -1, address="다른 등급", tong=tong, risk_tier=RiskTier.WATCH, benefits=["livelihood"],
         housing_type="semi_basement")
    _due(dong, -1, address="수급 아님", tong=tong, risk_tier=RiskTier.HIGH, housing_type="semi_basement")
    _due(dong, -1, address="주거 다름", tong=tong, risk_tier=RiskTier.HIGH, benefits=["livelihood"], housing_type="apartment")
    client.force_login(team_leader)
    body = client.get(URL, {"tong": tong.pk, "tier": "high", "benefit": "livelihood",
                            "housing": "semi_basement"}).content.decode()
    assert "대상 가구" in body
    for other in ("다른 통", "다른 등급", "수급 아님", "주거 다름"):
        assert other not in body


def test_pagination_50_per_page(client, dong, team_leader):
    for i in range(55):
        _due(dong, -i % 5, address=f"가구{i:03d}")
    client.force_login(team_leader)
    page1 = client.get(URL)
    assert len(page1.context["items"]) == 50
    page2 = client.get(URL, {"page": 2})
    assert len(page2.context["items"]) == 5


def _page_queries(client, user):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["items"])


def test_constant_number_of_queries_per_page(client, dong, planner, nurse, team_leader, django_assert_max_num_queries):
    tong = TongFactory(dong=dong, number=9)
    client.force_login(team_leader)
    for i in range(10):
        _due(dong, -i, planner=planner, nurse=nurse, tong=tong)
    client.get(URL)  # warm caches (content types, session)
    small, n_small = _page_queries(client, team_leader)
    assert n_small == 10
    for i in range(90):
        _due(dong, -(i % 7), planner=planner if i % 2 else None, tong=tong)
    with django_assert_max_num_queries(small):
        response = client.get(URL)
    assert len(response.context["items"]) == 50
    big, _ = _page_queries(client, team_leader)
    assert big == small


def test_items_are_dataclasses_with_links(dong, team_leader, today):
    h = _due(dong, -1)
    rows = list(worklist_rows(user=team_leader, assigned="all", today=today))
    [item] = worklist_items(rows, today=today)
    assert (item.kind, item.household.pk, item.overdue, item.due_text) == ("household_due", h.pk, True, "1일 지남")
    assert item.link == f"/cases/households/{h.pk}/"


def test_out_of_scope_roles(client, make_user, dong):
    _due(dong, -1, address="동 가구")
    analyst = make_user(role="city_analyst")
    client.force_login(analyst)
    assert client.get(URL).status_code == 404
    gu = make_user(role="gu_coordinator", gu=dong.gu)
    client.force_login(gu)
    assert "동 가구" in client.get(URL).content.decode()


@pytest.mark.parametrize("role", ["planner", "team_leader"])
def test_worklist_is_in_the_menu(client, dong, make_user, role):
    user = make_user(role=role, dong=dong)
    client.force_login(user)
    assert URL in client.get("/").content.decode()
    assert Household.objects.count() == 0


@pytest.fixture
def second_source():
    """A second kind of work (here: contacts' next actions) plugged in as another source would be."""
    from django.db.models import Q

    from cases.models import Contact
    from cases.selectors.worklist import WORK_SOURCES, WorkSource

    source = WorkSource(
        kind="next_action", label="후속 조치",
        queryset=lambda: Contact.objects.filter(next_action_on__isnull=False),
        household_path="household__", due_field="next_action_on",
        mine=lambda user: Q(created_by=user), unassigned=lambda: Q(pk__in=[]),
        describe=lambda ref, h: (ref.next_action, "", ref.created_by.display_name, f"/cases/households/{h.pk}/"),
        hydrate=lambda ids: {c.pk: c for c in Contact.objects.select_related("created_by").filter(pk__in=ids)},
    )
    WORK_SOURCES.append(source)
    yield source
    WORK_SOURCES.remove(source)


def test_sources_merge_by_due_date_with_constant_queries(client, dong, planner, team_leader, second_source, today,
                                                         django_assert_max_num_queries):
    from cases.services.contacts import contact_log

    h = _due(dong, 5, planner=planner, address="정기 상담 가구")
    contact_log(actor=planner, household=h, mode="phone", occurred_at=timezone.now(),
                staff=[planner], outcome="refused", next_action="통장과 재방문", next_action_on=today + D(days=1))
    h.refresh_from_db()
    Household.objects.filter(pk=h.pk).update(next_contact_due=today + D(days=5))
    client.force_login(team_leader)
    response = client.get(URL)
    kinds = [(i.kind, i.due) for i in response.context["items"]]
    assert kinds == [("next_action", today + D(days=1)), ("household_due", today + D(days=5))]
    assert "통장과 재방문" in response.content.decode()
    small, _ = _page_queries(client, team_leader)
    for i in range(30):
        other = _due(dong, 2, planner=planner)
        contact_log(actor=planner, household=other, mode="phone", occurred_at=timezone.now(),
                    staff=[planner], outcome="met", next_action="서류", next_action_on=today + D(days=i % 4))
    with django_assert_max_num_queries(small):
        response = client.get(URL)
    assert len(response.context["items"]) == 50
