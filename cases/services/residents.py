"""Writing residents (가구원). The RRN is only ever stored through `resident_set_rrn`.

주민등록번호 is 고유식별정보: it is kept as Fernet ciphertext, an HMAC blind index (unique,
for exact-match search) and a masked form for display (ARCHITECTURE: privacy). Revealing
the full number is an action of its own with a reason, written to the access log.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import crypto
from cases.models import Household, Resident
from chatdong.accounts.scoping import ensure_may_write
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

RESIDENT_FIELDS = (
    "name", "relation", "birth_date", "sex", "living_together", "disability", "care_grade",
    "health_notes", "job", "phone", "deceased_on", "moved_out_on",
)

RRN_FORMAT_MESSAGE = "주민등록번호 형식이 올바르지 않습니다. 숫자 13자리로 입력하세요."
PHONE_FORMAT_MESSAGE = "연락처 형식이 올바르지 않습니다. 예: 010-1234-5678"
DUPLICATE_RRN_MESSAGE = "이미 등록된 주민등록번호입니다. 주민등록번호로 검색해 기존 가구원을 확인하세요."


def _rrn_taken(index: str, *, exclude_pk: int | None) -> bool:
    qs = Resident.objects.filter(rrn_index=index)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _check_birth_date(rrn: str, birth_date) -> None:
    """The first six digits of an RRN are the birth date (YYMMDD)."""
    try:
        digits = crypto.normalize_rrn(rrn)
    except ValidationError:
        raise ValidationError({"rrn": RRN_FORMAT_MESSAGE}) from None
    if birth_date is not None and digits[:6] != birth_date.strftime("%y%m%d"):
        raise ValidationError({"rrn": "주민등록번호 앞자리가 생년월일과 다릅니다."})


def _check_fields(*, birth_date, phone) -> None:
    """A birth date not after today; a phone number that can be a Korean one (or none)."""
    from cases.services.discovery import normalize_phone

    errors = {}
    if birth_date is not None and birth_date > timezone.localdate():
        errors["birth_date"] = "생년월일이 오늘보다 뒤입니다."
    if phone and phone.strip():
        try:
            if not normalize_phone(phone):  # no digits at all ("abc")
                raise ValidationError(PHONE_FORMAT_MESSAGE)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def resident_set_rrn(*, resident: Resident, rrn: str) -> Resident:
    """Store an RRN as ciphertext + blind index + masked form (ARCHITECTURE: privacy).

    A number already registered to another resident is refused with a Korean message; the
    unique blind index in the database is the final word (a concurrent insert loses there).
    """
    try:
        index = crypto.blind_index(rrn)
    except ValidationError:
        raise ValidationError({"rrn": RRN_FORMAT_MESSAGE}) from None
    if _rrn_taken(index, exclude_pk=resident.pk):
        raise ValidationError({"rrn": DUPLICATE_RRN_MESSAGE})
    resident.rrn_ciphertext = crypto.encrypt_rrn(rrn)
    resident.rrn_index = index
    resident.rrn_masked = crypto.mask_rrn(rrn)
    try:
        with transaction.atomic():
            resident.save(update_fields=["rrn_ciphertext", "rrn_index", "rrn_masked", "updated_at"])
    except IntegrityError:
        raise ValidationError({"rrn": DUPLICATE_RRN_MESSAGE}) from None
    return resident


@transaction.atomic
def resident_add(*, actor, household: Household, rrn: str = "", **fields) -> Resident:
    """Add a member to a household; `rrn` (optional) is encrypted, never stored in clear."""
    ensure_may_write(actor, household)
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown resident fields: {sorted(unknown)}")
    _check_fields(birth_date=fields.get("birth_date"), phone=fields.get("phone"))
    if rrn:
        _check_birth_date(rrn, fields.get("birth_date"))
    resident = Resident(household=household, **fields)
    resident.full_clean(exclude=["household"])
    resident.save()
    if rrn:
        resident_set_rrn(resident=resident, rrn=rrn)
    log_access(
        user=actor, subject_type=AccessLog.Subject.RESIDENT, subject_id=resident.pk,
        household_id=household.pk, action=AccessLog.Action.CREATE,
    )
    return resident


@transaction.atomic
def resident_update(*, actor, resident: Resident, rrn: str = "", **fields) -> Resident:
    """Edit a member. An empty `rrn` keeps the stored number; a new one replaces it."""
    ensure_may_write(actor, resident)
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown resident fields: {sorted(unknown)}")
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    for name, value in fields.items():
        setattr(resident, name, value)
    _check_fields(birth_date=resident.birth_date if "birth_date" in fields else None,
                  phone=resident.phone if "phone" in fields else "")
    if rrn:
        _check_birth_date(rrn, resident.birth_date)
    resident.full_clean(exclude=["household"])
    resident.save()
    if rrn:
        resident_set_rrn(resident=resident, rrn=rrn)
    log_access(
        user=actor, subject_type=AccessLog.Subject.RESIDENT, subject_id=resident.pk,
        household_id=resident.household_id, action=AccessLog.Action.UPDATE,
    )
    return resident


@transaction.atomic
def resident_rrn_reveal(*, actor, resident: Resident, reason: str) -> str:
    """Decrypt a resident's RRN for display, once, after logging who asked and why.

    The caller shows the number only in the response to this request; it is never stored,
    logged or put into a URL.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "주민등록번호 전체 보기 사유를 입력하세요."})
    if not resident.rrn_ciphertext:
        raise ValidationError("주민등록번호가 등록되지 않은 가구원입니다.")
    log_access(
        user=actor, subject_type=AccessLog.Subject.RESIDENT, subject_id=resident.pk,
        household_id=resident.household_id, action=AccessLog.Action.REVEAL, reason=reason,
    )
    return crypto.decrypt_rrn(resident.rrn_ciphertext)
