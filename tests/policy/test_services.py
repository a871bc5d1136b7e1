import datetime

import pytest
from django.core.exceptions import ValidationError

from chatdong.policy import read
from chatdong.policy.models import PolicyThreshold
from chatdong.policy.services import (
    threshold_change,
    threshold_delete_scheduled,
    threshold_update_scheduled,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def snapshot(key):
    return list(PolicyThreshold.objects.filter(key=key).order_by("valid_from").values_list("value", "valid_from", "valid_to"))


def test_change_closes_the_previous_version_the_day_before(in_force, today, admin_user):
    start = today + 10 * DAY
    new = threshold_change(key=in_force.key, value=5, valid_from=start, source="새 문서", actor=admin_user)
    in_force.refresh_from_db()
    assert in_force.valid_to == start - DAY
    assert (new.value, new.valid_to, new.created_by) == (5, None, admin_user)
    # Label and unit carry over from the previous version when not given.
    assert (new.label, new.unit) == ("시험 방문 주기", "일")
    assert read(in_force.key, on=start - DAY) == 7
    assert read(in_force.key, on=start) == 5


def test_change_starting_today_applies_today(in_force, today):
    threshold_change(key=in_force.key, value=3, valid_from=today, source="긴급 변경")
    in_force.refresh_from_db()
    assert in_force.valid_to == today - DAY
    assert read(in_force.key) == 3


def test_first_version_of_a_new_key(db, today):
    row = threshold_change(key="test.brand_new", value=[1, 2], valid_from=today, source="문서", unit="세", label="새 기준")
    assert read("test.brand_new") == [1, 2]
    assert row.label == "새 기준"


def test_past_start_date_is_refused_and_nothing_changes(in_force, today):
    before = snapshot(in_force.key)
    with pytest.raises(ValidationError, match="이미 지난 날짜") as info:
        threshold_change(key=in_force.key, value=9, valid_from=today - DAY, source="문서")
    assert info.value.code == "past"
    assert snapshot(in_force.key) == before


def test_overlap_with_a_version_already_in_force_today_is_refused(in_force, today):
    threshold_change(key=in_force.key, value=8, valid_from=today, source="문서")
    before = snapshot(in_force.key)
    with pytest.raises(ValidationError, match="기간이 겹칩니다") as info:
        threshold_change(key=in_force.key, value=9, valid_from=today, source="문서")
    assert info.value.code == "overlap"
    assert snapshot(in_force.key) == before


def test_start_before_a_scheduled_version_is_refused(in_force, today):
    threshold_change(key=in_force.key, value=8, valid_from=today + 20 * DAY, source="문서")
    before = snapshot(in_force.key)
    with pytest.raises(ValidationError, match="적용될 예정 버전이 이미 있습니다"):
        threshold_change(key=in_force.key, value=9, valid_from=today + 5 * DAY, source="문서")
    assert snapshot(in_force.key) == before


def test_change_after_a_scheduled_version_closes_the_scheduled_one(in_force, today):
    scheduled = threshold_change(key=in_force.key, value=8, valid_from=today + 20 * DAY, source="문서")
    threshold_change(key=in_force.key, value=9, valid_from=today + 40 * DAY, source="문서")
    scheduled.refresh_from_db()
    assert scheduled.valid_to == today + 39 * DAY
    assert [v for v, *_ in snapshot(in_force.key)] == [7, 8, 9]


@pytest.mark.parametrize(
    ("key", "source", "message"),
    [("Bad Key", "문서", "형식이 올바르지 않습니다"), ("test.ok", "  ", "출처를 입력해 주세요")],
)
def test_bad_key_or_missing_source_is_refused(db, today, key, source, message):
    with pytest.raises(ValidationError, match=message):
        threshold_change(key=key, value=1, valid_from=today, source=source)
    assert not PolicyThreshold.objects.filter(key=key).exists()


def test_update_of_a_scheduled_version_moves_the_predecessor_end(in_force, today):
    scheduled = threshold_change(key=in_force.key, value=8, valid_from=today + 20 * DAY, source="문서")
    threshold_update_scheduled(threshold=scheduled, value=6, valid_from=today + 10 * DAY, source="고친 문서", unit="일")
    in_force.refresh_from_db()
    scheduled.refresh_from_db()
    assert (scheduled.value, scheduled.valid_from, scheduled.source) == (6, today + 10 * DAY, "고친 문서")
    assert in_force.valid_to == today + 9 * DAY
    # And later again.
    threshold_update_scheduled(threshold=scheduled, value=6, valid_from=today + 30 * DAY, source="고친 문서")
    in_force.refresh_from_db()
    assert in_force.valid_to == today + 29 * DAY


def test_update_of_a_version_in_force_is_refused(in_force, today):
    with pytest.raises(ValidationError, match="이미 적용되었습니다"):
        threshold_update_scheduled(threshold=in_force, value=1, valid_from=today + DAY, source="문서")
    in_force.refresh_from_db()
    assert in_force.value == 7


def test_scheduled_start_stays_between_its_neighbours(in_force, today):
    first = threshold_change(key=in_force.key, value=8, valid_from=today + 20 * DAY, source="문서")
    second = threshold_change(key=in_force.key, value=9, valid_from=today + 40 * DAY, source="문서")
    before = snapshot(in_force.key)
    with pytest.raises(ValidationError, match="이미 지난 날짜"):
        threshold_update_scheduled(threshold=first, value=8, valid_from=today - 40 * DAY, source="문서")
    with pytest.raises(ValidationError, match="앞 버전의 시작일"):
        threshold_update_scheduled(threshold=second, value=9, valid_from=today + 15 * DAY, source="문서")
    with pytest.raises(ValidationError, match="다음 버전이 시작되기 전"):
        threshold_update_scheduled(threshold=first, value=8, valid_from=today + 45 * DAY, source="문서")
    assert snapshot(in_force.key) == before


def test_delete_of_a_scheduled_version_reopens_the_predecessor(in_force, today):
    scheduled = threshold_change(key=in_force.key, value=8, valid_from=today + 20 * DAY, source="문서")
    threshold_delete_scheduled(threshold=scheduled)
    in_force.refresh_from_db()
    assert in_force.valid_to is None
    assert not PolicyThreshold.objects.filter(pk=scheduled.pk).exists()


def test_delete_of_a_middle_scheduled_version_hands_its_end_to_the_predecessor(in_force, today):
    middle = threshold_change(key=in_force.key, value=8, valid_from=today + 20 * DAY, source="문서")
    threshold_change(key=in_force.key, value=9, valid_from=today + 40 * DAY, source="문서")
    threshold_delete_scheduled(threshold=middle)
    in_force.refresh_from_db()
    assert in_force.valid_to == today + 39 * DAY
    assert read(in_force.key, on=today + 30 * DAY) == 7


def test_delete_of_a_version_in_force_is_refused(in_force):
    with pytest.raises(ValidationError, match="이미 적용되었습니다"):
        threshold_delete_scheduled(threshold=in_force)
    assert PolicyThreshold.objects.filter(pk=in_force.pk).exists()


def test_changes_are_recorded_in_history_with_the_actor(in_force, today, admin_user):
    from pghistory.models import Events

    threshold_change(key=in_force.key, value=5, valid_from=today + DAY, source="문서", actor=admin_user)
    events = list(Events.objects.across("policy.PolicyThresholdEvent").filter(pgh_data__key=in_force.key))
    labels = sorted(e.pgh_label for e in events)
    assert labels == ["insert", "insert", "update"]
    acted = [e for e in events if e.pgh_context]
    assert acted and all(e.pgh_context["user"] == admin_user.pk for e in acted)
