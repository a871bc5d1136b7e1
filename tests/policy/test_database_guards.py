"""The database itself refuses rewriting history, whatever code path tries it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from chatdong.policy.models import SEOUL_TODAY_SQL, PolicyThreshold

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_orm_update_of_the_value_of_a_version_in_force_is_refused(in_force):
    in_force.value = 99
    with pytest.raises(IntegrityError, match="이미 적용된 버전이라 고칠 수 없습니다"), transaction.atomic():
        in_force.save()
    in_force.refresh_from_db()
    assert in_force.value == 7


@pytest.mark.parametrize(
    "assignment",
    [
        "value = '99'::jsonb",
        "unit = '주'",
        "source = '다른 문서'",
        "key = 'test.other'",
        "valid_from = valid_from - 1",
    ],
)
def test_raw_sql_rewrite_of_a_version_in_force_is_refused(in_force, assignment):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE policy_policythreshold SET {assignment} WHERE id = %s", [in_force.pk])
    in_force.refresh_from_db()
    assert (in_force.value, in_force.unit, in_force.source, in_force.key) == (7, "일", "시험용 문서", "test.visit_days")


def test_queryset_update_is_refused_too(in_force):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyThreshold.objects.filter(pk=in_force.pk).update(value=1)


def test_delete_of_a_version_in_force_is_refused_by_orm_and_sql(in_force):
    with pytest.raises(IntegrityError, match="삭제할 수 없습니다"), transaction.atomic():
        in_force.delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM policy_policythreshold WHERE id = %s", [in_force.pk])
    assert PolicyThreshold.objects.filter(pk=in_force.pk).exists()


def test_closing_a_version_in_force_from_yesterday_on_is_allowed(in_force, today):
    PolicyThreshold.objects.filter(pk=in_force.pk).update(valid_to=today - DAY)
    in_force.refresh_from_db()
    assert in_force.valid_to == today - DAY


def test_closing_a_version_in_force_further_back_rewrites_history_and_is_refused(in_force, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyThreshold.objects.filter(pk=in_force.pk).update(valid_to=today - 5 * DAY)


def test_an_ended_version_cannot_be_reopened(db, today):
    ended = PolicyThreshold.objects.create(
        key="test.ended", value=1, source="문서", valid_from=today - 60 * DAY, valid_to=today - 10 * DAY
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyThreshold.objects.filter(pk=ended.pk).update(valid_to=None)


def test_label_and_note_of_a_version_in_force_may_be_corrected(in_force):
    PolicyThreshold.objects.filter(pk=in_force.pk).update(label="고친 이름", note="오타 수정")
    in_force.refresh_from_db()
    assert (in_force.label, in_force.note) == ("고친 이름", "오타 수정")


def test_a_scheduled_version_can_be_rewritten_and_deleted(db, today):
    scheduled = PolicyThreshold.objects.create(key="test.future", value=1, source="문서", valid_from=today + 5 * DAY)
    PolicyThreshold.objects.filter(pk=scheduled.pk).update(value=2, valid_from=today + 6 * DAY)
    scheduled.refresh_from_db()
    assert scheduled.value == 2
    scheduled.delete()
    assert not PolicyThreshold.objects.filter(key="test.future").exists()


def test_exclusion_constraint_refuses_overlapping_versions(in_force, today):
    # The open-ended version covers every future day: a second version inserted directly
    # (bypassing the service, which would close the first) overlaps it.
    with pytest.raises(IntegrityError, match="threshold_no_overlap"), transaction.atomic():
        PolicyThreshold.objects.create(key=in_force.key, value=8, source="문서", valid_from=today + 10 * DAY)
    with pytest.raises(IntegrityError, match="threshold_no_overlap"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO policy_policythreshold (key, label, value, unit, valid_from, source, note, created_at) "
            "VALUES (%s, '', '8', '', %s, '문서', '', now())",
            [in_force.key, in_force.valid_from],
        )
    # Adjacent ranges do not overlap; other keys are independent.
    PolicyThreshold.objects.create(key="test.other_key", value=8, source="문서", valid_from=in_force.valid_from)


def test_end_before_start_is_refused(db, today):
    with pytest.raises(IntegrityError, match="threshold_valid_range"), transaction.atomic():
        PolicyThreshold.objects.create(
            key="test.range", value=1, source="문서", valid_from=today + 5 * DAY, valid_to=today + 4 * DAY
        )


def test_in_force_is_judged_by_the_seoul_date(db):
    """The trigger's 'today' is Seoul's date, whatever the connection's time zone (Django: UTC)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {SEOUL_TODAY_SQL}, current_setting('TimeZone')")
        seoul_today, tz = cursor.fetchone()
    from django.utils import timezone

    assert seoul_today == timezone.localdate()
    assert tz == "UTC"


def test_seoul_today_function_is_seoul_not_utc(db):
    """The function the guards call is Seoul's date (outside a shifted test clock, the real one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('chatdong_seoul_today()'::regprocedure)")
        (definition,) = cursor.fetchone()
    assert "Asia/Seoul" in definition
