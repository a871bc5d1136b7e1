"""Reporter rewards (제보 포상금). DOMAIN §5: 연제구 pays ₩50,000 per case, at most
₩300,000 per reporter a year; both caps are policy (`discovery.reward_per_case`,
`discovery.reward_per_reporter_year`) and each payment stores the versions it used.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from cases.models import CrisisReport, ReporterReward, ReportStatus
from cases.services.discovery import normalize_phone
from chatdong import policy
from chatdong.accounts.rules import is_supervisor
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

PER_CASE_KEY = "discovery.reward_per_case"
PER_YEAR_KEY = "discovery.reward_per_reporter_year"


def reporter_key_for(report: CrisisReport) -> str:
    """Who gets the reward, as a stable key: the partner id, or an HMAC of the normalised
    phone number (the raw number is never used as a key). '' when the reporter is anonymous."""
    if report.partner_id is not None:
        return f"partner:{report.partner_id}"
    try:
        phone = normalize_phone(report.reporter_phone)
    except ValidationError:
        return ""
    if not phone:
        return ""
    return hmac.new(
        settings.BLIND_INDEX_KEY.encode(), f"reporter-phone:{phone}".encode(), hashlib.sha256
    ).hexdigest()


def _lock_reporter(key: str) -> None:
    """Serialise payments to one reporter until the transaction ends, so two payments at
    once cannot both pass the yearly cap check."""
    lock_id = int.from_bytes(hashlib.sha256(f"reward:{key}".encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def reporter_paid_in_year(key: str, year: int) -> int:
    return ReporterReward.objects.filter(reporter_key=key, paid_on__year=year).aggregate(
        total=Sum("amount")
    )["total"] or 0


@transaction.atomic
def reward_pay(*, actor, report: CrisisReport, amount: int, paid_on=None) -> ReporterReward:
    """Record a reward payment for a closed report, within the per-case and per-reporter
    yearly caps in force on the payment date. Over a cap nothing is written."""
    if not is_supervisor(actor):
        raise ValidationError("포상금 지급은 복지팀장·동장 또는 구 담당자만 처리할 수 있습니다.")
    today = timezone.localdate()
    paid_on = paid_on or today
    if paid_on > today:
        raise ValidationError({"paid_on": "지급일은 오늘 이후일 수 없습니다."})
    if report.status != ReportStatus.CLOSED:
        raise ValidationError("처리 완료된 제보에만 포상금을 지급할 수 있습니다.")
    if amount is None or int(amount) <= 0:
        raise ValidationError({"amount": "지급액은 0원보다 커야 합니다."})
    amount = int(amount)
    key = reporter_key_for(report)
    if not key:
        raise ValidationError("제보자(협력 주민 또는 연락처)를 알 수 없어 포상금을 지급할 수 없습니다.")

    used = policy.VersionsUsed()
    per_case = int(policy.read(PER_CASE_KEY, on=paid_on, record=used))
    per_year = int(policy.read(PER_YEAR_KEY, on=paid_on, record=used))
    if amount > per_case:
        raise ValidationError({"amount": f"1건당 포상금 한도({per_case:,}원)를 넘습니다."})

    _lock_reporter(key)
    if ReporterReward.objects.filter(report=report).exists():
        raise ValidationError("이미 포상금이 지급된 제보입니다.")
    paid = reporter_paid_in_year(key, paid_on.year)
    if paid + amount > per_year:
        raise ValidationError(
            {"amount": f"제보자 1인당 연간 한도({per_year:,}원)를 넘습니다. "
                       f"{paid_on.year}년 지급액 {paid:,}원, 남은 한도 {max(per_year - paid, 0):,}원입니다."}
        )
    try:
        with transaction.atomic():
            reward = ReporterReward.objects.create(
                report=report,
                reporter_key=key,
                amount=amount,
                paid_on=paid_on,
                paid_by=actor,
                policy_versions=used.ids(),
            )
    except IntegrityError as exc:  # a second payment for the same report raced this one
        raise ValidationError("이미 포상금이 지급된 제보입니다.") from exc
    log_access(
        user=actor, subject_type=AccessLog.Subject.REPORT, subject_id=report.pk,
        household_id=report.household_id, action=AccessLog.Action.UPDATE,
        reason=f"제보 포상금 {amount:,}원 지급 기록",
    )
    return reward
