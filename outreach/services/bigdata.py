"""Big-data list rounds (복지사각지대 발굴관리시스템, every ~2 months). DOMAIN §5.

An upload (CSV or Excel) lists people with a resident registration number, or name + birth
date + address, and the crisis signals found. `round_import` does, in ONE transaction:

1. reject the file if its round label or its content (SHA-256) was imported before —
   uploading the same round twice creates nothing new;
2. validate every row in memory; a malformed row is kept only as its row number and a
   Korean error (status 형식 오류), never with the number it carried;
3. insert the rows — RRNs only as the HMAC blind index and the masked form;
4. match them set-based: by blind index, then by name + birth date within the campaign's
   dongs when exactly one active resident fits;
5. create the visit tasks for matched rows with the sweep engine.

Any failure rolls all of it back: nothing is half-written. Unmatched rows are then decided
one by one on the round screen: registered as a new household (and get their task) or
rejected with a note.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import crypto
from cases.models import HousingType, Resident, Sex
from chatdong import policy
from chatdong.accounts.rules import is_admin
from chatdong.accounts.scoping import writable_dongs
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.tabular import CSV_EXTENSIONS, XLSX_EXTENSIONS, Table, parse_date, read_table
from outreach.models import BigDataRound, BigDataRow, Campaign, CampaignKind, SignalType, SweepRun
from outreach.services import cohorts
from outreach.services.campaigns import can_manage
from outreach.services.engine import active, insert_tasks
from outreach.services.sweeps import lock_campaign, run_finish, run_start

MAX_ROWS = 100_000
MAX_FILE_BYTES = 20 * 1024 * 1024

# Accepted column headings (Korean as the national system exports them, or English).
HEADERS = {
    "rrn": ("주민등록번호", "주민번호", "rrn"),
    "name": ("성명", "이름", "name"),
    "birth_date": ("생년월일", "birth_date", "birthdate"),
    "address": ("주소", "address"),
    "signals": ("위기정보", "위기 정보", "위기유형", "signals", "signal_types"),
}
SIGNAL_ALIASES = {
    **{s.value: s.value for s in SignalType},
    **{s.label: s.value for s in SignalType},
    "단전": SignalType.ELECTRICITY_CUTOFF, "단수": SignalType.WATER_CUTOFF, "단가스": SignalType.GAS_CUTOFF,
    "건강보험료체납": SignalType.HEALTH_INSURANCE_ARREARS, "건보료체납": SignalType.HEALTH_INSURANCE_ARREARS,
    "임대료체납": SignalType.RENT_ARREARS, "월세체납": SignalType.RENT_ARREARS,
    "관리비체납": SignalType.MANAGEMENT_FEE_ARREARS, "통신비체납": SignalType.TELECOM_ARREARS,
}
SPLIT_SIGNALS = re.compile(r"[,/;·|]+")


class ImportRejected(ValidationError):
    """The whole file is refused (duplicate round, unreadable file, no usable column…)."""


class FileRefused(ImportRejected):
    """The file itself cannot be taken (type, size, encoding, broken, a bomb, too many rows)."""


@dataclass
class ParsedRow:
    row_number: int
    rrn_index: str = ""
    rrn_masked: str = ""
    name: str = ""
    birth_date: datetime.date | None = None
    address: str = ""
    signals: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class ImportResult:
    round: BigDataRound
    run: SweepRun
    total: int
    matched: int
    unmatched: int
    invalid: int
    tasks_created: int
    errors: list[tuple[int, str]]


# --- reading the file ------------------------------------------------------------------------

def _read_table(file_name: str, content: bytes) -> Table:
    lowered = file_name.lower()
    if not lowered.endswith(CSV_EXTENSIONS + XLSX_EXTENSIONS):
        hint = " 옛 엑셀(.xls) 파일은 .xlsx로 다시 저장해 올리세요." if lowered.endswith(".xls") else ""
        raise FileRefused(f"CSV 또는 엑셀(.xlsx) 파일만 올릴 수 있습니다.{hint}")
    return read_table(name=lowered, data=content, max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES, error=FileRefused)


def _columns(header: list[str]) -> dict[str, int]:
    normalized = [h.strip().lower().replace(" ", "") for h in header]
    columns = {}
    for key, names in HEADERS.items():
        for name in names:
            name = name.lower().replace(" ", "")
            if name in normalized:
                columns[key] = normalized.index(name)
                break
    if "signals" not in columns or not ({"rrn"} <= columns.keys() or {"name", "birth_date"} <= columns.keys()):
        raise FileRefused(
            "필수 열이 없습니다. '주민등록번호' 또는 '성명'·'생년월일'과, '위기정보' 열이 있어야 합니다."
        )
    return columns


def rrn_birth_date(digits: str) -> datetime.date | None:
    """Birth date encoded in an RRN (YYMMDD + century from the 7th digit)."""
    century = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000, "8": 2000}[digits[6]]
    try:
        return datetime.date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None


def parse_row(row_number: int, cells: list[str], columns: dict[str, int]) -> ParsedRow:
    def cell(key):
        i = columns.get(key)
        return cells[i].strip() if i is not None and i < len(cells) and cells[i] is not None else ""

    parsed = ParsedRow(row_number=row_number, name=cell("name")[:50], address=cell("address")[:200])
    raw_rrn, raw_birth = cell("rrn"), cell("birth_date")
    if raw_rrn:
        try:
            digits = crypto.normalize_rrn(raw_rrn)
        except ValidationError:
            return ParsedRow(row_number=row_number, error="주민등록번호 형식이 올바르지 않습니다.")
        encoded = rrn_birth_date(digits)
        if encoded is None:
            return ParsedRow(row_number=row_number, error="주민등록번호의 생년월일이 올바르지 않습니다.")
        parsed.rrn_index, parsed.rrn_masked = crypto.blind_index(digits), crypto.mask_rrn(digits)
        parsed.birth_date = encoded
    if raw_birth:
        birth = parse_date(raw_birth)
        if birth is None:
            return ParsedRow(row_number=row_number, error="생년월일 형식이 올바르지 않습니다(예: 1950-03-01).")
        if parsed.birth_date and birth != parsed.birth_date:
            return ParsedRow(row_number=row_number, error="생년월일이 주민등록번호와 다릅니다.")
        parsed.birth_date = birth
    if not parsed.rrn_index and not (parsed.name and parsed.birth_date):
        return ParsedRow(row_number=row_number, error="주민등록번호, 또는 성명과 생년월일이 필요합니다.")
    if parsed.birth_date and parsed.birth_date > timezone.localdate():
        return ParsedRow(row_number=row_number, error="생년월일이 미래입니다.")
    signals = []
    for token in SPLIT_SIGNALS.split(cell("signals")):
        token = token.strip()
        if not token:
            continue
        code = SIGNAL_ALIASES.get(token) or SIGNAL_ALIASES.get(token.replace(" ", ""))
        if code is None:
            return ParsedRow(row_number=row_number, error=f"알 수 없는 위기정보입니다: {token[:20]}")
        if code not in signals:
            signals.append(str(code))
    if not signals:
        return ParsedRow(row_number=row_number, error="위기정보가 비어 있습니다.")
    parsed.signals = signals
    return parsed


def parse_file(file_name: str, content: bytes) -> list[ParsedRow]:
    """Every data row of the file, valid or not (row numbers as in the spreadsheet)."""
    table = _read_table(file_name, content)
    columns = _columns(table.header)
    rows = [parse_row(number, cells, columns) for number, cells in table.rows]
    if not rows:
        raise FileRefused("데이터 행이 없습니다.")
    return rows


# --- import ------------------------------------------------------------------------------------

MATCH_BY_RRN = """
UPDATE outreach_bigdatarow b SET resident_id = r.id, dong_id = h.dong_id, status = 'matched', match_method = 'rrn'
FROM cases_resident r JOIN cases_household h ON h.id = r.household_id
WHERE b.round_id = %(round)s AND b.status = 'unmatched' AND b.rrn_index <> '' AND r.rrn_index = b.rrn_index
  AND {active} {dongs}
"""
MATCH_BY_NAME = """
UPDATE outreach_bigdatarow b SET resident_id = m.resident_id, dong_id = m.dong_id, status = 'matched',
       match_method = 'name_birth'
FROM (
    SELECT b2.id AS row_id, min(r.id) AS resident_id, min(h.dong_id) AS dong_id
    FROM outreach_bigdatarow b2
    JOIN cases_resident r ON r.name = b2.name AND r.birth_date = b2.birth_date
    JOIN cases_household h ON h.id = r.household_id
    WHERE b2.round_id = %(round)s AND b2.status = 'unmatched' AND b2.name <> ''
      AND {active} {dongs}
      -- a row whose RRN is known but matched nobody is not matched by name: that would be
      -- somebody else with the same name and birthday
      AND (b2.rrn_index = '' OR r.rrn_index IS NULL)
    GROUP BY b2.id HAVING count(*) = 1
) m
WHERE b.id = m.row_id
"""


def _match(round_id: int, dong_ids: list[int]) -> None:
    dongs = "AND h.dong_id = ANY(%(dongs)s)" if dong_ids else ""
    with connection.cursor() as cursor:
        params = {"round": round_id, "dongs": dong_ids}
        cursor.execute(MATCH_BY_RRN.format(dongs=dongs, active=active("r")), params)
        cursor.execute(MATCH_BY_NAME.format(dongs=dongs, active=active("r")), params)


def _tasks_for_round(campaign: Campaign, run: SweepRun | None, dong_ids: list[int]):
    lock_campaign(campaign.pk)
    cohort = cohorts.big_data(campaign, today=timezone.localdate(), dong_ids=dong_ids, versions=policy.VersionsUsed())
    return insert_tasks(campaign_id=campaign.pk, run_id=run.pk if run else None, cohort=cohort, dong_ids=dong_ids or None)


@transaction.atomic
def round_import(
    *, actor, round_label: str, file_name: str, content: bytes, dongs, due_days: int = 14
) -> ImportResult:
    """Import one round (see the module docstring). Raises ImportRejected for a file that is
    refused as a whole (duplicate, unreadable, no usable column); nothing is written then."""
    if not can_manage(actor):
        raise ImportRejected("빅데이터 명단을 올릴 권한이 없습니다.")
    round_label = (round_label or "").strip()
    if not round_label:
        raise ImportRejected("차수를 입력하세요(예: 2025년 3차).")
    dongs = list(dongs or [])
    allowed = set(writable_dongs(actor).values_list("pk", flat=True))
    if not dongs and not is_admin(actor):
        raise ImportRejected("대상 동을 선택하세요.")
    if any(d.pk not in allowed for d in dongs):
        raise ImportRejected("담당 구역이 아닌 동은 선택할 수 없습니다.")
    sha = hashlib.sha256(content).hexdigest()
    previous = BigDataRound.objects.filter(round_label=round_label).first() or BigDataRound.objects.filter(
        file_sha256=sha
    ).first()
    if previous is not None:
        raise ImportRejected(
            f"이미 등록된 차수입니다({previous.round_label}, {timezone.localtime(previous.uploaded_at):%Y-%m-%d %H:%M}). "
            "같은 차수는 다시 올려도 새로 만들어지는 것이 없습니다."
        )
    rows = parse_file(file_name, content)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        kind=CampaignKind.BIG_DATA, name=f"복지사각지대 빅데이터 {round_label}"[:120], year=today.year,
        period_start=today, period_end=today + datetime.timedelta(days=max(int(due_days), 0)),
        due_days=int(due_days), created_by=actor,
    )
    campaign.dongs.set(dongs)
    try:
        with transaction.atomic():
            round_ = BigDataRound.objects.create(
                campaign=campaign, round_label=round_label[:40], file_sha256=sha, file_name=file_name[:200],
                uploaded_by=actor,
            )
    except IntegrityError as exc:  # the same round uploaded at the same moment by someone else
        raise ImportRejected("같은 차수가 방금 등록되었습니다. 다시 올릴 필요가 없습니다.") from exc
    BigDataRow.objects.bulk_create(
        (
            BigDataRow(
                round=round_, row_number=r.row_number, rrn_index=r.rrn_index, rrn_masked=r.rrn_masked,
                name=r.name, birth_date=r.birth_date, address=r.address, signals=r.signals,
                status=BigDataRow.Status.INVALID if r.error else BigDataRow.Status.UNMATCHED, error=r.error,
            )
            for r in rows
        ),
        batch_size=2000,
    )
    dong_ids = [d.pk for d in dongs]
    _match(round_.pk, dong_ids)
    run = run_start(campaign=campaign, actor=actor)
    result = _tasks_for_round(campaign, run, dong_ids)
    run_finish(run, result, errors="\n".join(f"{r.row_number}행: {r.error}" for r in rows if r.error)[:5000])
    run.refresh_from_db()
    counts = _status_counts(round_)
    log_access(
        user=actor, subject_type=AccessLog.Subject.LIST, subject_id=round_.pk,
        action=AccessLog.Action.CREATE, reason=f"빅데이터 명단 등록: {round_label} ({len(rows)}행)"[:300],
    )
    return ImportResult(
        round=round_, run=run, total=len(rows), matched=counts.get(BigDataRow.Status.MATCHED, 0),
        unmatched=counts.get(BigDataRow.Status.UNMATCHED, 0), invalid=counts.get(BigDataRow.Status.INVALID, 0),
        tasks_created=result.created, errors=[(r.row_number, r.error) for r in rows if r.error],
    )


def _status_counts(round_: BigDataRound) -> dict[str, int]:
    from django.db.models import Count

    return {
        row["status"]: row["n"]
        for row in BigDataRow.objects.filter(round=round_).values("status").annotate(n=Count("id")).order_by()
    }


# --- deciding unmatched rows ---------------------------------------------------------------------

def _open_row(row_id: int, actor) -> BigDataRow:
    row = BigDataRow.objects.select_for_update().select_related("round__campaign").get(pk=row_id)
    if not can_manage(actor):
        raise ValidationError("빅데이터 명단을 처리할 권한이 없습니다.")
    if row.status != BigDataRow.Status.UNMATCHED:
        raise ValidationError(f"이미 처리된 행입니다({row.get_status_display()}).")
    return row


@transaction.atomic
def row_reject(*, actor, row: BigDataRow, note: str) -> BigDataRow:
    row = _open_row(row.pk, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "제외 사유를 입력하세요."})
    row.status, row.decided_by, row.decided_at, row.decision_note = BigDataRow.Status.REJECTED, actor, timezone.now(), note[:300]
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return row


def sex_from_masked(masked: str) -> str | None:
    """The 7th RRN digit (kept in the masked form): odd = male, even = female."""
    if len(masked) >= 8 and masked[7].isdigit():
        return Sex.MALE if int(masked[7]) % 2 else Sex.FEMALE
    return None


@transaction.atomic
def row_create_household(
    *, actor, row: BigDataRow, dong, address: str, housing_type: str = HousingType.OTHER, sex: str | None = None,
    name: str = "", birth_date: datetime.date | None = None,
) -> BigDataRow:
    """Register an unmatched row as a new household with its one resident (through the cases
    services), keep the row's blind index and masked RRN on the resident so the next round
    matches it, and give it its visit task."""
    from cases.services.households import household_create
    from cases.services.residents import resident_add

    row = _open_row(row.pk, actor)
    campaign = row.round.campaign
    campaign_dongs = list(campaign.dongs.values_list("pk", flat=True))
    if dong is None or (campaign_dongs and dong.pk not in campaign_dongs):
        raise ValidationError({"dong": "이 차수의 대상 동을 선택하세요."})
    name = (name or row.name).strip()
    birth_date = birth_date or row.birth_date
    sex = sex or sex_from_masked(row.rrn_masked)
    errors = {}
    if not name:
        errors["name"] = "이름을 입력하세요."
    if birth_date is None:
        errors["birth_date"] = "생년월일을 입력하세요."
    if sex not in Sex.values:
        errors["sex"] = "성별을 선택하세요."
    if not (address or "").strip():
        errors["address"] = "주소를 입력하세요."
    if errors:
        raise ValidationError(errors)
    household = household_create(actor=actor, dong=dong, address=address.strip()[:200],
                                 housing_type=housing_type)
    resident = resident_add(actor=actor, household=household, name=name, birth_date=birth_date, sex=sex)
    if row.rrn_index:
        if Resident.objects.filter(rrn_index=row.rrn_index).exists():
            raise ValidationError("같은 주민등록번호의 가구원이 이미 등록되어 있습니다(다른 동). 제외 처리하세요.")
        Resident.objects.filter(pk=resident.pk).update(rrn_index=row.rrn_index, rrn_masked=row.rrn_masked)
    row.status, row.resident, row.dong = BigDataRow.Status.CREATED, resident, dong
    row.decided_by, row.decided_at, row.decision_note = actor, timezone.now(), "신규 가구 등록"
    row.save(update_fields=["status", "resident", "dong", "decided_by", "decided_at", "decision_note"])
    _tasks_for_round(campaign, None, campaign_dongs)
    return row
