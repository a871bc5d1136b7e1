import datetime
import pickle

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chatdong.policy import VersionsUsed, read
from chatdong.policy.models import PolicyThreshold
from chatdong.policy.selectors import ThresholdMissing, thresholds_overview, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(db):
    """test.cadence: 7 from 2020-01-01 to 2020-06-30, then 14 open-ended from 2020-07-01."""
    first = PolicyThreshold.objects.create(
        key="test.cadence", value=7, unit="일", source="문서 A",
        valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2020, 6, 30),
    )
    second = PolicyThreshold.objects.create(
        key="test.cadence", value=14, unit="일", source="문서 B", valid_from=datetime.date(2020, 7, 1)
    )
    return first, second


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2020, 1, 1), 7),  # first day of the first version
        (datetime.date(2020, 3, 15), 7),
        (datetime.date(2020, 6, 30), 7),  # last day of the first version (inclusive)
        (datetime.date(2020, 7, 1), 14),  # first day of the second version
        (datetime.date(2031, 12, 31), 14),  # open-ended
    ],
)
def test_value_is_the_version_in_force_on_the_day(two_versions, day, expected):
    assert read("test.cadence", on=day) == expected
    assert version("test.cadence", on=day).value == expected


def test_before_the_first_version_there_is_no_value(two_versions):
    with pytest.raises(ThresholdMissing, match="2019-12-31"):
        read("test.cadence", on=datetime.date(2019, 12, 31))


def test_missing_key_raises_threshold_missing_in_korean(db):
    with pytest.raises(ThresholdMissing, match="적용되는 버전이 없습니다"):
        read("test.no_such_key")


def test_read_records_the_versions_it_used(two_versions):
    first, second = two_versions
    used = VersionsUsed()
    assert read("test.cadence", on=datetime.date(2020, 3, 1), record=used) == 7
    assert used.ids() == {"test.cadence": first.pk}
    assert read("test.cadence", on=datetime.date(2020, 8, 1), record=used) == 14  # the last read wins
    assert used["test.cadence"] == second
    assert used.snapshot() == {"test.cadence": {"id": second.pk, "value": 14, "valid_from": "2020-07-01"}}


def test_a_missing_threshold_is_a_korean_validation_error(db):
    """Services need no wrapper: the refusal reaches the form like any other ValidationError."""
    used = VersionsUsed()
    with pytest.raises(ValidationError) as caught:
        read("test.no_such_key", on=datetime.date(2024, 5, 1), record=used)
    assert caught.value.messages == [
        "정책 기준값 'test.no_such_key'이(가) 2024-05-01에 적용되는 버전이 없습니다. 관리자에게 정책 기준값 등록을 요청해 주세요."
    ]
    assert isinstance(caught.value, LookupError) and used == {}
    # Celery and the cache pickle exceptions: it comes back whole.
    assert pickle.loads(pickle.dumps(caught.value)).messages == caught.value.messages


def test_default_day_is_today_and_datetimes_use_seoul_date(two_versions):
    assert read("test.cadence") == 14
    # 2020-06-30 20:00 UTC is already 2020-07-01 in Seoul.
    late_utc = datetime.datetime(2020, 6, 30, 20, 0, tzinfo=datetime.UTC)
    assert read("test.cadence", on=late_utc) == 14
    assert version("test.cadence", on=late_utc) == two_versions[1]


def test_overview_lists_current_and_scheduled_versions(db):
    today = timezone.localdate()
    PolicyThreshold.objects.create(key="test.a", value=1, source="s", valid_from=today - datetime.timedelta(days=3),
                                   valid_to=today + datetime.timedelta(days=9))
    later = PolicyThreshold.objects.create(key="test.a", value=2, source="s", valid_from=today + datetime.timedelta(days=10))
    current, scheduled = thresholds_overview(on=today)
    assert [r.value for r in current if r.key == "test.a"] == [1]
    assert scheduled["test.a"] == [later]
