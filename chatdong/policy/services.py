"""Changing policy: a change is a new version; a version that has been in force is never rewritten.

Three writes exist, and the admin calls nothing else:
- `threshold_change` registers a new version (today or later) and closes the one before it;
- `threshold_update_scheduled` edits a version that has not started yet;
- `threshold_delete_scheduled` withdraws a version that has not started yet and re-opens the
  one before it.
Each has a `check_…` companion that raises the same Korean `ValidationError` without writing,
so forms can show the refusal next to the field before anything is saved.
"""

import contextlib
import datetime
import re

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from chatdong.policy.models import PolicyThreshold

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
ONE_DAY = datetime.timedelta(days=1)


def _today() -> datetime.date:
    return timezone.localdate()


def _history_context(actor):
    """Attach the acting user to the pghistory events of this write (the request middleware
    already does so for web requests; this covers commands and Celery tasks)."""
    if getattr(actor, "pk", None):
        return pghistory.context(user=actor.pk)
    return contextlib.nullcontext()


def _overlap_error(key: str, day: datetime.date) -> ValidationError:
    return ValidationError(
        f"'{key}' 기준값은 {day:%Y-%m-%d}부터 적용되는 다른 버전과 기간이 겹칩니다. "
        "이미 적용된 버전은 고칠 수 없으니, 그 다음 날 이후를 시작일로 하는 새 버전을 등록해 주세요.",
        code="overlap",
    )


def _lock_key(key: str) -> None:
    """Serialise changes to one key (two admins saving at once): a transaction-scoped lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"policy:{key}"])


def _check_key_and_source(key: str, source: str) -> None:
    if not key or not KEY_PATTERN.match(key):
        raise ValidationError(
            f"기준 키 '{key}'의 형식이 올바르지 않습니다. 영문 소문자·숫자·밑줄을 점(.)으로 이어 주세요 "
            "(예: care_sos.visit_deadline_hours).",
            code="bad_key",
        )
    if not (source or "").strip():
        raise ValidationError("출처를 입력해 주세요. 기준값마다 근거 문서가 있어야 합니다.", code="no_source")


def _check_not_past(valid_from: datetime.date, today: datetime.date) -> None:
    if valid_from < today:
        raise ValidationError(
            f"시작일 {valid_from:%Y-%m-%d}은(는) 이미 지난 날짜입니다. 지난 기간의 기준값은 바꿀 수 없습니다. "
            f"오늘({today:%Y-%m-%d}) 이후의 날짜를 입력해 주세요.",
            code="past",
        )


def check_threshold_change(*, key: str, valid_from: datetime.date, source: str) -> None:
    """Raise the `ValidationError` that `threshold_change` would raise, without writing."""
    today = _today()
    _check_key_and_source(key, source)
    _check_not_past(valid_from, today)
    clash = (
        PolicyThreshold.objects.filter(key=key, valid_from__gte=valid_from).order_by("valid_from").first()
    )
    if clash is not None:
        if clash.valid_from <= today:
            raise _overlap_error(key, clash.valid_from)
        raise ValidationError(
            f"'{key}' 기준값은 {clash.valid_from:%Y-%m-%d}부터 적용될 예정 버전이 이미 있습니다. "
            "예정 버전을 먼저 수정하거나 삭제해 주세요.",
            code="scheduled_exists",
        )


@transaction.atomic
def threshold_change(
    *,
    key: str,
    value,
    valid_from: datetime.date,
    source: str,
    actor=None,
    unit: str | None = None,
    label: str | None = None,
    note: str = "",
) -> PolicyThreshold:
    """Register a new version of `key` starting on `valid_from` (today or later).

    The version in force just before `valid_from` is closed the day before. A start date on
    or before a version that already exists for a later date is refused (Korean message),
    as is a start date in the past: history is never rewritten.
    """
    _lock_key(key)
    check_threshold_change(key=key, valid_from=valid_from, source=source)
    versions = PolicyThreshold.objects.select_for_update().filter(key=key)
    previous = (
        versions.filter(valid_from__lt=valid_from)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .first()
    )
    template = previous or versions.order_by("-valid_from").first()
    try:
        with transaction.atomic(), _history_context(actor):
            if previous is not None:
                previous.valid_to = valid_from - ONE_DAY
                previous.save(update_fields=["valid_to"])
            return PolicyThreshold.objects.create(
                key=key,
                label=label if label is not None else (template.label if template else ""),
                value=value,
                unit=unit if unit is not None else (template.unit if template else ""),
                valid_from=valid_from,
                source=source.strip(),
                note=note,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:
        raise _overlap_error(key, valid_from) from exc


def _scheduled_neighbours(threshold: PolicyThreshold):
    """The version that ends the day before `threshold` starts (its predecessor), if any."""
    return (
        PolicyThreshold.objects.select_for_update()
        .filter(key=threshold.key, valid_to=threshold.valid_from - ONE_DAY)
        .exclude(pk=threshold.pk)
        .first()
    )


def _check_is_scheduled(threshold: PolicyThreshold, today: datetime.date) -> None:
    if threshold.valid_from <= today:
        raise ValidationError(
            f"'{threshold.key}' {threshold.valid_from:%Y-%m-%d} 버전은 이미 적용되었습니다. "
            "적용된 버전은 고치거나 삭제할 수 없으니 새 버전을 등록해 주세요.",
            code="in_force",
        )


def check_scheduled_update(*, threshold: PolicyThreshold, valid_from: datetime.date, source: str) -> None:
    """Raise the `ValidationError` that `threshold_update_scheduled` would raise, without writing."""
    today = _today()
    stored = PolicyThreshold.objects.get(pk=threshold.pk)
    _check_is_scheduled(stored, today)
    _check_key_and_source(stored.key, source)
    _check_not_past(valid_from, today)
    predecessor = (
        PolicyThreshold.objects.filter(key=stored.key, valid_to=stored.valid_from - ONE_DAY)
        .exclude(pk=stored.pk)
        .first()
    )
    if predecessor is not None and valid_from <= predecessor.valid_from:
        raise ValidationError(
            f"시작일은 앞 버전의 시작일({predecessor.valid_from:%Y-%m-%d})보다 늦어야 합니다.",
            code="before_predecessor",
        )
    if stored.valid_to is not None and valid_from > stored.valid_to:
        raise ValidationError(
            f"시작일은 다음 버전이 시작되기 전({stored.valid_to:%Y-%m-%d}까지)이어야 합니다.",
            code="after_successor",
        )


@transaction.atomic
def threshold_update_scheduled(
    *,
    threshold: PolicyThreshold,
    actor=None,
    value,
    valid_from: datetime.date,
    source: str,
    unit: str = "",
    label: str = "",
    note: str = "",
) -> PolicyThreshold:
    """Edit a version that has not started yet. Moving its start date moves the end date of
    the version before it, so the key stays covered without gaps or overlaps."""
    _lock_key(threshold.key)
    check_scheduled_update(threshold=threshold, valid_from=valid_from, source=source)
    row = PolicyThreshold.objects.select_for_update().get(pk=threshold.pk)
    predecessor = _scheduled_neighbours(row)
    try:
        with transaction.atomic(), _history_context(actor):
            # Order the two writes so that no intermediate state overlaps.
            if predecessor is not None and valid_from < row.valid_from:
                predecessor.valid_to = valid_from - ONE_DAY
                predecessor.save(update_fields=["valid_to"])
            row.value, row.valid_from, row.source = value, valid_from, source.strip()
            row.unit, row.label, row.note = unit, label, note
            row.save(update_fields=["value", "valid_from", "source", "unit", "label", "note"])
            if predecessor is not None and predecessor.valid_to != valid_from - ONE_DAY:
                predecessor.valid_to = valid_from - ONE_DAY
                predecessor.save(update_fields=["valid_to"])
    except IntegrityError as exc:
        raise _overlap_error(row.key, valid_from) from exc
    return row


def check_scheduled_delete(*, threshold: PolicyThreshold) -> None:
    _check_is_scheduled(PolicyThreshold.objects.get(pk=threshold.pk), _today())


@transaction.atomic
def threshold_delete_scheduled(*, threshold: PolicyThreshold, actor=None) -> None:
    """Withdraw a version that has not started yet; the version before it runs on as it would
    have without it (to the withdrawn version's own end date, or open-ended)."""
    _lock_key(threshold.key)
    check_scheduled_delete(threshold=threshold)
    row = PolicyThreshold.objects.select_for_update().get(pk=threshold.pk)
    predecessor = _scheduled_neighbours(row)
    end = row.valid_to
    with _history_context(actor):
        row.delete()
        if predecessor is not None:
            predecessor.valid_to = end
            predecessor.save(update_fields=["valid_to"])
