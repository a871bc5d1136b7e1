"""The 72-hour deadline on a frozen clock: states computed from timestamps, Korean time left,
and a change of the policy threshold that leaves older requests on the version they were
received under (DOMAIN §8; ARCHITECTURE: policy is data, decisions store versions)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.care_sos import selectors
from cases.care_sos.models import CareRequest
from chatdong.policy.selectors import version
from chatdong.policy.services import threshold_change

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def base_day() -> datetime.datetime:
    """10:00 in Seoul, two days from now: policy versions can only start today or later (the
    database checks that against its own clock), so the frozen clock runs a little ahead."""
    day = timezone.localdate() + datetime.timedelta(days=2)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=SEOUL)


def states(user, at) -> dict[int, tuple[str, str]]:
    rows = selectors.care_request_list_for(user, group="", now=at)
    return {r.pk: (r.sla_state, selectors.sla_of(r, now=at).text) for r in rows}


def test_states_and_time_left_follow_the_clock(make_request, care_manager):
    t0 = base_day()
    with time_machine.travel(t0, tick=False):
        r = make_request()
    assert r.visit_due_at == t0 + datetime.timedelta(hours=72)
    for hours, expected in [
        (31, ("on_track", "41시간 남음")),
        (47, ("on_track", "25시간 남음")),
        (48, ("due_soon", "24시간 남음")),
        (71.5, ("due_soon", "30분 남음")),
        (72, ("overdue", "0분 지남")),
        (75, ("overdue", "3시간 지남")),
    ]:
        at = t0 + datetime.timedelta(hours=hours)
        assert states(care_manager, at)[r.pk] == expected, hours
        # The Python rule (one loaded request) agrees with the SQL annotation.
        assert selectors.sla_state_of(CareRequest.objects.get(pk=r.pk), now=at) == expected[0]


def test_the_screen_uses_the_clock_of_the_request(client, make_request, care_manager):
    t0 = base_day()
    with time_machine.travel(t0, tick=False):
        r = make_request()
    with time_machine.travel(t0 + datetime.timedelta(hours=69), tick=False):
        client.force_login(care_manager)
        page = client.get(f"/cases/care-requests/{r.pk}/").content.decode()
    assert "3시간 남음" in page and "기한 임박" in page


def test_a_policy_change_applies_to_new_requests_only(make_request, care_manager, team_leader):
    t0 = base_day()
    old_version = version("care_sos.visit_deadline_hours", on=t0)
    with time_machine.travel(t0, tick=False):
        a = make_request()
        # From tomorrow the gu works to 48 hours (a new version; the old one closes tonight).
        new_version = threshold_change(
            key="care_sos.visit_deadline_hours", value=48, valid_from=t0.date() + datetime.timedelta(days=1),
            source="시험: 구 지침 변경", actor=None,
        )
    with time_machine.travel(t0 + datetime.timedelta(hours=26), tick=False):  # day 2, 12:00
        b = make_request()
    a.refresh_from_db()
    assert (a.visit_deadline_hours, a.visit_deadline_policy_id) == (72, old_version.pk)
    assert (b.visit_deadline_hours, b.visit_deadline_policy_id) == (48, new_version.pk)
    assert a.visit_due_at == t0 + datetime.timedelta(hours=72)
    assert b.visit_due_at == t0 + datetime.timedelta(hours=26 + 48)

    checks = [
        (26, {a.pk: ("on_track", "46시간 남음"), b.pk: ("on_track", "48시간 남음")}),
        (49, {a.pk: ("due_soon", "23시간 남음"), b.pk: ("on_track", "25시간 남음")}),
        (73, {a.pk: ("overdue", "1시간 지남"), b.pk: ("due_soon", "1시간 남음")}),
        (75, {a.pk: ("overdue", "3시간 지남"), b.pk: ("overdue", "1시간 지남")}),
    ]
    for hours, expected in checks:
        assert states(care_manager, t0 + datetime.timedelta(hours=hours)) == expected, hours


def test_visited_requests_are_judged_on_the_visit(make_request, care_manager):
    from cases.care_sos.services.visits import care_request_record_visit

    t0 = base_day()
    with time_machine.travel(t0, tick=False):
        on_time, late = make_request(), make_request()
    with time_machine.travel(t0 + datetime.timedelta(hours=80), tick=False):
        care_request_record_visit(actor=care_manager, care_request=on_time,
                                  visited_at=t0 + datetime.timedelta(hours=20), note="방문")
        care_request_record_visit(actor=care_manager, care_request=late,
                                  visited_at=t0 + datetime.timedelta(hours=79), note="늦은 방문")
        result = states(care_manager, timezone.now())
    assert result[on_time.pk] == ("met", "접수 후 20시간 만에 방문")
    assert result[late.pk] == ("late", "접수 후 79시간 만에 방문")
    late_event = late.events.get(transition="record_visit")
    assert "기한 지남" in late_event.comment
