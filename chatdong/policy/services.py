"""Changing policy: a change is a new version; a version that has been in force is never rewritten."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from chatdong.policy.models import PolicyThreshold


def _overlap_error(key: str, day: datetime.date) -> ValidationError:
    return ValidationError(
        f"'{key}' 기준값은 {day:%Y-%m-%d}부터 적용되는 다른 버전과 기간이 겹칩니다. "
        "이미 적용된 버전은 고칠 수 없으니, 그 다음 날 이후를 시작일로 하는 새 버전을 등록해 주세요."
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
    """Register a new version of `key` starting on `valid_from`.

    The version in force just before `valid_from` is closed the day before. A start date
    inside or before a version that has already been in force is refused (Korean message),
    as is a start date in the past: history is never rewritten.
    """
    today = timezone.localdate()
    if valid_from < today:
        raise ValidationError(
            f"시작일 {valid_from:%Y-%m-%d}은(는) 이미 지난 날짜입니다. 지난 기간의 기준값은 바꿀 수 없습니다."
        )
    versions = PolicyThreshold.objects.select_for_update().filter(key=key)
    # A later version already scheduled (or in force) that starts on/after this date overlaps.
    clash = versions.filter(valid_from__gte=valid_from).order_by("valid_from").first()
    if clash is not None:
        if clash.valid_from <= today:
            raise _overlap_error(key, clash.valid_from)
        raise ValidationError(
            f"'{key}' 기준값은 {clash.valid_from:%Y-%m-%d}부터 적용될 예정 버전이 이미 있습니다. "
            "예정 버전을 먼저 수정하거나 삭제해 주세요."
        )
    previous = (
        versions.filter(valid_from__lt=valid_from)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .first()
    )
    if previous is not None:
        previous.valid_to = valid_from - datetime.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    template = previous or versions.order_by("-valid_from").first()
    try:
        with transaction.atomic():
            return PolicyThreshold.objects.create(
                key=key,
                label=label if label is not None else (template.label if template else ""),
                value=value,
                unit=unit if unit is not None else (template.unit if template else ""),
                valid_from=valid_from,
                source=source,
                note=note,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise _overlap_error(key, valid_from) from exc
