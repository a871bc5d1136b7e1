"""Discovery of crisis households (위기가구 발굴): recording and triaging reports. DOMAIN §5.

Every report lands in the queue of its dong, is assigned to a member of that dong's staff,
linked to a new or existing household, visited, and closed with an outcome (public
benefit, emergency aid, private resource, case management, nothing needed). State changes
are the report's named transitions (`CrisisReport.assign`, `transfer`, `record_visit`,
`close`), each recorded as a `CrisisReportTransition`; intake records the first one
(접수). Each action writes its access-log row in the same transaction, and pghistory records
the field changes with the acting user as context.
"""

import re
import secrets

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import (
    CrisisReport,
    CrisisReportTransition,
    Household,
    HousingType,
    Partner,
    ReportChannel,
    ReportOutcome,
    ReportStatus,
)
from cases.services.households import household_create
from chatdong.accounts.rules import is_supervisor, works_in_dong
from chatdong.accounts.scoping import ensure_may_write, may_write_in_dong
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.lifecycle import apply_transition

# Crockford-style alphabet without look-alikes (0/O, 1/I/L, U) so a reference number can
# be read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PHONE_DIGITS_RE = re.compile(r"\D+")


def new_reference() -> str:
    """A short random reference such as 'K7M2-QX9P' (30^8 ≈ 6.6·10^11 codes)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_phone(raw: str) -> str:
    """'+82 10-1234-5678' / '010 1234 5678' → '01012345678'; '' when empty.

    Raises a Korean ValidationError when the number cannot be a Korean phone number.
    """
    digits = PHONE_DIGITS_RE.sub("", raw or "")
    if not digits:
        return ""
    if digits.startswith("82"):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or not 9 <= len(digits) <= 11:
        raise ValidationError("연락처 형식이 올바르지 않습니다. 예: 010-1234-5678")
    return digits


def _ensure_dong_in_scope(actor, dong) -> None:
    if not may_write_in_dong(actor, dong):
        raise ValidationError("담당 구역 밖의 동입니다.")


def _ensure_open(report: CrisisReport) -> None:
    if report.status == ReportStatus.CLOSED:
        raise ValidationError("이미 처리 완료된 제보입니다.")


def _log(actor, report: CrisisReport, action: str, reason: str) -> None:
    log_access(
        user=actor,
        subject_type=AccessLog.Subject.REPORT,
        subject_id=report.pk,
        household_id=report.household_id,
        action=action,
        reason=reason,
    )


def _lock(report: CrisisReport) -> CrisisReport:
    """Lock the report's row and re-read it in place: two staff acting on it at once queue up
    here, and the second sees what the first did (e.g. that it is already closed)."""
    list(CrisisReport.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True))
    report.refresh_from_db()
    return report


def _transition(report: CrisisReport, name: str, *, actor, fields: list[str], update, comment: str = "",
                guard_message: str = "처리 조건을 갖추지 못했습니다.") -> None:
    """Apply a named transition with its data (`update`), save, and record it. The time the
    status last moved (`status_changed_at`, for the stale-report list) moves only with it."""
    with pghistory.context(user=actor.pk, action=f"crisis_report_{name}"):
        apply_transition(
            report, name, actor=actor, event_model=CrisisReportTransition, fields=fields, update=update,
            comment=comment, guard_message=guard_message, changed_at_field="status_changed_at",
        )


def _record_received(report: CrisisReport, actor=None) -> None:
    """Intake is the first transition of every report (from nothing to 접수)."""
    CrisisReportTransition.record(report, "receive", from_status="", actor=actor)


def _insert_with_reference(report: CrisisReport) -> CrisisReport:
    """Save a new report with a fresh unique reference, retrying on the (unlikely) clash."""
    for _ in range(5):
        report.reference = new_reference()
        try:
            with transaction.atomic():
                report.save()
            return report
        except IntegrityError:
            if CrisisReport.objects.filter(reference=report.reference).exists():
                continue
            raise
    raise RuntimeError("접수번호를 만들 수 없습니다. 다시 시도해 주세요.")


def _validate_common(*, address: str, situation: str, reporter_name: str, reporter_phone: str, consent: bool):
    errors = {}
    address = (address or "").strip()
    situation = (situation or "").strip()
    if not address:
        errors["address"] = "대상자의 주소나 위치를 입력하세요."
    if not situation:
        errors["situation"] = "어떤 어려움이 있는지 입력하세요."
    try:
        phone = normalize_phone(reporter_phone)
    except ValidationError as exc:
        errors["reporter_phone"] = exc.messages[0]
        phone = ""
    name = (reporter_name or "").strip()
    if (name or phone) and not consent:
        errors["consent"] = "제보자의 이름·연락처를 기록하려면 개인정보 수집·이용 동의가 필요합니다."
    if errors:
        raise ValidationError(errors)
    return address, situation, name, phone


@transaction.atomic
def crisis_report_record(
    *,
    actor,
    dong,
    channel: str,
    address: str,
    situation: str,
    received_at=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    partner: Partner | None = None,
    subject_name: str = "",
    consent: bool = False,
) -> CrisisReport:
    """Staff record a report received through any channel (DOMAIN §5) into the dong's queue.

    The reporter's name and phone are personal data: they are kept only with consent.
    A partner must belong to the report's dong.
    """
    _ensure_dong_in_scope(actor, dong)
    if channel not in ReportChannel.values:
        raise ValidationError({"channel": "제보 경로를 선택하세요."})
    if partner is not None and partner.dong_id != dong.pk:
        raise ValidationError({"partner": "제보한 협력 주민이 해당 동 소속이 아닙니다."})
    address, situation, name, phone = _validate_common(
        address=address, situation=situation, reporter_name=reporter_name,
        reporter_phone=reporter_phone, consent=consent,
    )
    now = timezone.now()
    if received_at is not None and received_at > now:
        raise ValidationError({"received_at": "접수일시는 현재 이후일 수 없습니다."})
    with pghistory.context(user=actor.pk, action="crisis_report_record"):
        report = _insert_with_reference(
            CrisisReport(
                dong=dong,
                channel=channel,
                received_at=received_at or now,
                reporter_name=name,
                reporter_phone=phone,
                partner=partner,
                subject_name=(subject_name or "").strip(),
                address=address,
                situation=situation,
                consent=consent,
                status_changed_at=now,
                created_by=actor,
            )
        )
        _record_received(report, actor)
    _log(actor, report, AccessLog.Action.CREATE, "위기가구 제보 등록")
    return report


@transaction.atomic
def public_report_submit(
    *, dong, address: str, situation: str, reporter_name: str = "", reporter_phone: str = "", consent: bool
) -> CrisisReport:
    """A resident's report from the public page (/report/): no login, consent required.

    Only the minimum is collected: the area, where, what is happening, and an optional
    contact. Throttling and the honeypot are the view's job; this writes the report.
    """
    if not consent:
        raise ValidationError({"consent": "개인정보 수집·이용에 동의해야 제보할 수 있습니다."})
    address, situation, name, phone = _validate_common(
        address=address, situation=situation, reporter_name=reporter_name,
        reporter_phone=reporter_phone, consent=consent,
    )
    now = timezone.now()
    with pghistory.context(action="public_report_submit"):
        report = _insert_with_reference(
            CrisisReport(
                dong=dong,
                channel=ReportChannel.PUBLIC_WEB,
                received_at=now,
                reporter_name=name,
                reporter_phone=phone,
                address=address,
                situation=situation,
                consent=True,
                status_changed_at=now,
            )
        )
        _record_received(report)
    return report


@transaction.atomic
def crisis_report_assign(*, actor, report: CrisisReport, assignee) -> CrisisReport:
    """Assign a report to a staff member of its dong. Supervisors (team leader, dong head,
    gu coordinator, admin) assign anyone of the dong; other staff may only take it themselves."""
    report = _lock(report)
    _ensure_open(report)
    ensure_may_write(actor, report)
    if not is_supervisor(actor) and assignee.pk != actor.pk:
        raise ValidationError("다른 직원에게 배정하는 것은 복지팀장·동장만 할 수 있습니다.")
    if not works_in_dong(assignee, report):
        raise ValidationError("해당 동 직원에게만 배정할 수 있습니다.")
    _transition(
        report, "assign", actor=actor, fields=["assignee"], update=lambda r: setattr(r, "assignee", assignee),
        comment=f"담당: {assignee.display_name}",
    )
    _log(actor, report, AccessLog.Action.UPDATE, f"제보 담당 배정: {assignee.display_name}")
    return report


@transaction.atomic
def crisis_report_transfer(*, actor, report: CrisisReport, dong) -> CrisisReport:
    """Forward a report filed under the wrong dong: it re-enters the other dong's queue as new."""
    report = _lock(report)
    _ensure_open(report)
    ensure_may_write(actor, report)
    if dong.pk == report.dong_id:
        raise ValidationError("현재와 같은 동입니다.")
    if report.household_id is not None:
        raise ValidationError("가구가 연결된 제보는 이관할 수 없습니다. 연결을 확인하세요.")
    from_dong = str(report.dong)

    def update(r: CrisisReport) -> None:
        r.dong = dong
        r.assignee = None

    _transition(
        report, "transfer", actor=actor, fields=["dong", "assignee"], update=update, comment=f"{from_dong} → {dong}",
        guard_message="가구가 연결된 제보는 이관할 수 없습니다. 연결을 확인하세요.",
    )
    _log(actor, report, AccessLog.Action.UPDATE, f"제보 이관: {from_dong} → {dong}")
    return report


@transaction.atomic
def crisis_report_link_household(*, actor, report: CrisisReport, household: Household) -> CrisisReport:
    """Link the report to an existing household of the same dong."""
    _ensure_open(report)
    ensure_may_write(actor, report)
    if household.dong_id != report.dong_id:
        raise ValidationError("제보와 같은 동의 가구만 연결할 수 있습니다.")
    report.household = household
    with pghistory.context(user=actor.pk, action="crisis_report_link_household"):
        report.save(update_fields=["household"])
    _log(actor, report, AccessLog.Action.UPDATE, "제보에 가구 연결")
    return report


@transaction.atomic
def crisis_report_create_household(
    *, actor, report: CrisisReport, address_detail: str = "", housing_type: str = HousingType.OTHER
) -> Household:
    """Register a new household at the reported address and link the report to it."""
    _ensure_open(report)
    ensure_may_write(actor, report)
    if report.household_id is not None:
        raise ValidationError("이미 가구가 연결된 제보입니다.")
    if housing_type not in HousingType.values:
        raise ValidationError({"housing_type": "주거 형태를 선택하세요."})
    with pghistory.context(user=actor.pk, action="crisis_report_create_household"):
        # The one registration path for households (scope check, validation, access log).
        household = household_create(
            actor=actor,
            dong=report.dong,
            address=report.address,
            address_detail=(address_detail or "").strip(),
            housing_type=housing_type,
            note=f"위기가구 제보({report.reference})로 등록",
        )
        report.household = household
        report.save(update_fields=["household"])
    _log(actor, report, AccessLog.Action.UPDATE, "제보에서 새 가구 등록·연결")
    return household


@transaction.atomic
def crisis_report_record_visit(*, actor, report: CrisisReport, visited_at=None, note: str) -> CrisisReport:
    """Record the check visit. An unassigned report becomes the visitor's."""
    report = _lock(report)
    _ensure_open(report)
    ensure_may_write(actor, report)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "방문 확인 내용을 입력하세요."})
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now:
        raise ValidationError({"visited_at": "방문일시는 현재 이후일 수 없습니다."})
    if visited_at < report.received_at:
        raise ValidationError({"visited_at": "방문일시가 접수일시보다 빠릅니다."})
    fields = ["visited_at", "visit_note"]
    takes_it = report.assignee_id is None and works_in_dong(actor, report)
    if takes_it:
        fields.append("assignee")

    def update(r: CrisisReport) -> None:
        r.visited_at = visited_at
        r.visit_note = note
        if takes_it:
            r.assignee = actor

    _transition(
        report, "record_visit", actor=actor, fields=fields, update=update,
        guard_message="방문일시와 방문 확인 내용을 입력하세요.",
    )
    _log(actor, report, AccessLog.Action.UPDATE, "제보 확인 방문 기록")
    return report


@transaction.atomic
def crisis_report_close(*, actor, report: CrisisReport, outcome: str, note: str = "") -> CrisisReport:
    """Close a report with its outcome (DOMAIN §5). Without an outcome it is refused here,
    and the database constraint `report_closed_has_outcome` refuses it too."""
    report = _lock(report)
    _ensure_open(report)
    ensure_may_write(actor, report)
    if outcome not in ReportOutcome.values:
        raise ValidationError({"outcome": "처리 결과를 선택해야 종료할 수 있습니다."})
    note = (note or "").strip()

    def update(r: CrisisReport) -> None:
        r.outcome = outcome
        r.outcome_note = note
        r.closed_at = timezone.now()

    _transition(
        report, "close", actor=actor, fields=["outcome", "outcome_note", "closed_at"], update=update, comment=note,
        guard_message="처리 결과를 선택해야 종료할 수 있습니다.",
    )
    _log(actor, report, AccessLog.Action.UPDATE, f"제보 처리 완료: {report.get_outcome_display()}")
    return report
