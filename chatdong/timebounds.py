"""Bounds for the dates and times that come in from outside (API, webhook, forms).

Records start with the 2018 찾동 plan: the policy thresholds that every contact, cadence and
decision is computed with begin on RECORDS_START, so an earlier date can only be a typo or
a probe (year 179 …) and is refused with a Korean message instead of failing deep inside.
"""

import datetime

from django.utils import timezone

RECORDS_START = datetime.date(2018, 1, 1)


def records_start_at() -> datetime.datetime:
    """RECORDS_START at local midnight (Asia/Seoul), aware."""
    return timezone.make_aware(datetime.datetime.combine(RECORDS_START, datetime.time()))


def before_records_start(at: datetime.datetime | datetime.date) -> bool:
    if isinstance(at, datetime.datetime):
        return at < records_start_at()
    return at < RECORDS_START


def before_records_message(label: str) -> str:
    return f"{label}은(는) {RECORDS_START:%Y-%m-%d} 이후여야 합니다."


def rfc3339(at: datetime.datetime) -> str:
    """ISO 8601 as RFC 3339 allows it: local time with a whole-minute offset, or UTC ('Z')
    where the zone's offset then had seconds (Seoul's local mean time before 1908)."""
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    offset = local.utcoffset()
    if offset is not None and offset % datetime.timedelta(minutes=1):
        local = at.astimezone(datetime.UTC)
    text = local.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
