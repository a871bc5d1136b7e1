"""Reading policy: the version of a threshold in force on a date."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from chatdong.policy.models import MedianIncome, PolicyThreshold


class ThresholdMissing(ValidationError, LookupError):
    """No version of the key (or no 기준중위소득 row) is in force for the date asked for.

    A ValidationError, so that a service refusing for want of policy shows its Korean message
    on the form like any other refusal; a LookupError for callers that treat it as "not known"."""

    def __init__(self, message: str, *_ignored):  # *_ignored: re-created from args when unpickled
        super().__init__(message, code="policy_missing")

    def __str__(self) -> str:
        return self.message


def _today() -> datetime.date:
    return timezone.localdate()


def _as_date(on) -> datetime.date:
    if on is None:
        return _today()
    if isinstance(on, datetime.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def in_force(day: datetime.date) -> Q:
    """Versions in force on `day`: started on or before it, not ended before it."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def version(key: str, *, on=None) -> PolicyThreshold:
    """The `PolicyThreshold` row for `key` in force on `on` (a date or datetime; today by default).
    Code reads policy through `chatdong.policy.read`, which records the versions it used."""
    day = _as_date(on)
    row = PolicyThreshold.objects.filter(in_force(day), key=key).first()
    if row is None:
        raise ThresholdMissing(
            f"정책 기준값 '{key}'이(가) {day:%Y-%m-%d}에 적용되는 버전이 없습니다. 관리자에게 정책 기준값 등록을 요청해 주세요."
        )
    return row


def history(key: str):
    """Every version of `key`, newest first."""
    return PolicyThreshold.objects.filter(key=key).order_by("-valid_from")


def thresholds_overview(*, on=None) -> tuple[list[PolicyThreshold], dict[str, list[PolicyThreshold]]]:
    """For the policy page: the version of every key in force on `on` (sorted by key), and
    the versions scheduled to start after it, by key (soonest first)."""
    day = _as_date(on)
    current = list(PolicyThreshold.objects.filter(in_force(day)).order_by("key"))
    scheduled: dict[str, list[PolicyThreshold]] = {}
    for row in PolicyThreshold.objects.filter(valid_from__gt=day).order_by("key", "valid_from"):
        scheduled.setdefault(row.key, []).append(row)
    return current, scheduled


def median_income_table() -> dict[int, list[MedianIncome]]:
    """The whole 기준중위소득 table by year (newest first), sizes ascending."""
    years: dict[int, list[MedianIncome]] = {}
    for row in MedianIncome.objects.order_by("-year", "household_size"):
        years.setdefault(row.year, []).append(row)
    return years


# The 고시 gives sizes 1–7; for 8 or more persons it adds, per extra person, the difference
# between the 7-person and the 6-person figures.
LARGEST_PUBLISHED_SIZE = 7


def median_income(*, year: int, household_size: int) -> int:
    """기준중위소득 (₩/month) for a year and household size.

    Sizes above 7 follow the 고시 rule: the 7-person figure plus (7-person − 6-person) for
    each person beyond 7. A year whose table stops before 7 persons cannot be extended that
    way, so a larger size is refused rather than guessed.
    """
    if household_size < 1:
        raise ValueError("가구원 수는 1명 이상이어야 합니다.")
    rows = dict(MedianIncome.objects.filter(year=year).values_list("household_size", "monthly_krw"))
    if not rows:
        raise ThresholdMissing(f"{year}년 기준중위소득이 등록되어 있지 않습니다.")
    if household_size in rows:
        return rows[household_size]
    top, below = LARGEST_PUBLISHED_SIZE, LARGEST_PUBLISHED_SIZE - 1
    if household_size > top and top in rows and below in rows:
        return rows[top] + (rows[top] - rows[below]) * (household_size - top)
    raise ThresholdMissing(
        f"{year}년 {household_size}인 가구 기준중위소득이 없습니다. "
        f"관리자 화면에서 {year}년 {min(household_size, top)}인 가구 금액을 등록해 주세요."
    )


def income_ratio(*, monthly_income_krw: int, year: int, household_size: int) -> float:
    """A household's monthly income as a percentage of the 기준중위소득 (e.g. 84.3)."""
    base = median_income(year=year, household_size=household_size)
    return round(monthly_income_krw * 100 / base, 1)
