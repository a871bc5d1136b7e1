"""Reading policy: the version of a threshold in force on a date."""

import datetime

from django.db.models import Q
from django.utils import timezone

from chatdong.policy.models import MedianIncome, PolicyThreshold


class ThresholdMissing(LookupError):
    """No version of the key is in force on the date asked for."""


def _today() -> datetime.date:
    return timezone.localdate()


def _as_date(on) -> datetime.date:
    if on is None:
        return _today()
    if isinstance(on, datetime.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def version(key: str, *, on=None) -> PolicyThreshold:
    """The `PolicyThreshold` row for `key` in force on `on` (a date or datetime; today by default)."""
    day = _as_date(on)
    row = (
        PolicyThreshold.objects.filter(key=key, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .first()
    )
    if row is None:
        raise ThresholdMissing(f"정책 기준값 '{key}'이(가) {day:%Y-%m-%d}에 적용되는 버전이 없습니다.")
    return row


def value(key: str, *, on=None):
    """The value of `key` in force on `on`."""
    return version(key, on=on).value


def history(key: str):
    return PolicyThreshold.objects.filter(key=key).order_by("-valid_from")


def median_income(*, year: int, household_size: int) -> int:
    """기준중위소득 (₩/month) for a year and household size; sizes above the table's largest
    use the largest size's figure plus the step between the two largest sizes per person."""
    rows = dict(
        MedianIncome.objects.filter(year=year).values_list("household_size", "monthly_krw")
    )
    if not rows:
        raise ThresholdMissing(f"{year}년 기준중위소득이 등록되어 있지 않습니다.")
    if household_size in rows:
        return rows[household_size]
    largest = max(rows)
    if household_size > largest and largest - 1 in rows:
        step = rows[largest] - rows[largest - 1]
        return rows[largest] + step * (household_size - largest)
    raise ThresholdMissing(f"{year}년 {household_size}인 가구 기준중위소득이 없습니다.")
