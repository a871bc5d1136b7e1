"""CSV / Excel import of households and residents (가구·가구원 일괄 등록). DOMAIN §3, §13.

Layout: one row per resident, Korean headers (see IMPORT_COLUMNS; `import_template_xlsx`
builds the downloadable template). Rows with the same 주소 + 상세주소 belong to the same
household. All rows go to one dong, chosen on the form.

Rules:
- Every row is validated first; if any row has an error, nothing is written and the result
  lists each error as (row number, column, Korean message).
- A valid file is written in one transaction with set-based inserts (bulk_create), under a
  per-dong advisory lock so two imports into the same dong run one after the other.
- Idempotent: a household is identified by (dong, 주소, 상세주소), a resident by the RRN blind
  index, or — without an RRN — by (household, 이름, 생년월일). Rows that already exist are
  left as they are (a planner's later edits are never overwritten) and counted as existing.
- RRNs are stored only as ciphertext + blind index + masked form, never in clear.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cases import crypto
from cases.models import (
    Benefit,
    CareGrade,
    Disability,
    Household,
    HousingType,
    Relation,
    Resident,
    RiskTier,
    RiskTierChange,
    Sex,
    Tenure,
)
from cases.services.households import tier_cadence_days
from chatdong.accounts.scoping import may_write_in_dong
from chatdong.areas.models import Tong
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access, log_household_access_many
from chatdong.tabular import TableError, parse_date, read_table

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
ALLOWED_EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    help: str
    example: str
    level: str  # "household" | "resident"


IMPORT_COLUMNS = (
    Column("주소", "address", True, "실제 거주하는 곳의 도로명 주소", "서울특별시 은평구 통일로 123", "household"),
    Column("상세주소", "address_detail", False, "동·층·호", "2층 201호", "household"),
    Column("통", "tong", False, "통 번호(숫자). 해당 동에 등록된 통이어야 합니다.", "3", "household"),
    Column("반", "ban", False, "반 번호(숫자)", "2", "household"),
    Column("주민등록상주소", "registered_address", False, "실거주지와 다를 때만 입력 (주소 미이전)", "", "household"),
    Column("주거형태", "housing_type", False, "고시원, 옥탑방, 반지하, 다세대, 원룸, 임대아파트, 아파트, 단독주택, 기타",
           "반지하", "household"),
    Column("점유형태", "tenure", False, "자가, 전세, 월세, 공공임대, 무상, 기타", "월세", "household"),
    Column("수급", "benefits", False, "생계급여, 의료급여, 주거급여, 교육급여, 차상위, 한부모 (여럿이면 쉼표로 구분)",
           "생계급여, 의료급여", "household"),
    Column("소득(중위%)", "income_ratio", False, "기준중위소득 대비 % (0~1000)", "32.5", "household"),
    Column("위험등급", "risk_tier", False, "위험, 주의, 관심, 종결, 미분류 (새로 등록하는 가구에만 적용)", "위험", "household"),
    Column("이름", "name", True, "가구원 이름", "김영희", "resident"),
    Column("관계", "relation", False, "본인(가구주), 배우자, 자녀, 부모, 손자녀, 형제자매, 기타 (비우면 본인)", "본인",
           "resident"),
    Column("생년월일", "birth_date", True, "YYYY-MM-DD", "1948-03-15", "resident"),
    Column("성별", "sex", True, "남 또는 여", "여", "resident"),
    Column("주민등록번호", "rrn", False, "13자리 (하이픈 있어도 됨). 같은 번호가 있으면 기존 가구원으로 봅니다.", "", "resident"),
    Column("연락처", "phone", False, "전화번호", "010-1234-5678", "resident"),
    Column("장애", "disability", False, "없음, 경증, 중증", "없음", "resident"),
    Column("장기요양등급", "care_grade", False, "없음, 1등급~5등급, 인지지원등급, 등급외", "없음", "resident"),
    Column("동거여부", "living_together", False, "예 또는 아니오 (비우면 예)", "예", "resident"),
)
COLUMN_BY_HEADER = {c.header: c for c in IMPORT_COLUMNS}
HOUSEHOLD_KEYS = [c.key for c in IMPORT_COLUMNS if c.level == "household"]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    households_created: int = 0
    households_existing: int = 0
    residents_created: int = 0
    residents_existing: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(TableError):
    """The file as a whole cannot be read (type, size, encoding, headers)."""


# --- choice labels ---------------------------------------------------------------------------

def _aliases(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Korean label, the label before any '(…)', and the code all map to the code."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        for alias in (value, label, label.split("(")[0]):
            table[_norm(alias)] = value
    for alias, value in (extra or {}).items():
        table[_norm(alias)] = value
    return table


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).lower()


CHOICE_ALIASES = {
    "housing_type": _aliases(HousingType),
    "tenure": _aliases(Tenure),
    "benefits": _aliases(Benefit, {"생계": Benefit.LIVELIHOOD, "의료": Benefit.MEDICAL, "주거": Benefit.HOUSING,
                                   "교육": Benefit.EDUCATION}),
    "risk_tier": _aliases(RiskTier),
    "relation": _aliases(Relation, {"가구주": Relation.HEAD, "본인": Relation.HEAD}),
    "sex": _aliases(Sex, {"남자": Sex.MALE, "여자": Sex.FEMALE, "남성": Sex.MALE, "여성": Sex.FEMALE}),
    "disability": _aliases(Disability),
    "care_grade": _aliases(CareGrade, {"1": "1", "2": "2", "3": "3", "4": "4", "5": "5"}),
}
YES = {"예", "y", "yes", "o", "true", "1", "동거"}
NO = {"아니오", "아니요", "n", "no", "x", "false", "0", "비동거"}


# --- reading the file ------------------------------------------------------------------------------

def _read_rows(upload) -> tuple[list[str], list[tuple[int, list[str]]]]:
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError("CSV(.csv) 또는 엑셀(.xlsx) 파일만 올릴 수 있습니다.")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFileError(f"파일이 너무 큽니다. {MAX_FILE_BYTES // (1024 * 1024)}MB 이하로 나누어 올려 주세요.")
    table = read_table(
        name=name, data=upload.read(MAX_FILE_BYTES + 1), max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES,
        error=ImportFileError,
    )
    return [h.strip() for h in table.header], table.rows


def _check_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    unknown = []
    for i, h in enumerate(header):
        if not h:
            continue
        column = COLUMN_BY_HEADER.get(h) or COLUMN_BY_HEADER.get(h.replace(" ", ""))
        if column is None:
            unknown.append(h)
        elif column.key in positions:
            raise ImportFileError(f"'{h}' 열이 두 번 있습니다.")
        else:
            positions[column.key] = i
    problems = []
    if unknown:
        problems.append("알 수 없는 열: " + ", ".join(unknown))
    missing = [c.header for c in IMPORT_COLUMNS if c.required and c.key not in positions]
    if missing:
        problems.append("필수 열이 없습니다: " + ", ".join(missing))
    if problems:
        raise ImportFileError(" / ".join(problems) + ". 양식 파일의 첫 줄(열 제목)을 그대로 사용해 주세요.")
    return positions


# --- validating one row ----------------------------------------------------------------------------

def _parse_row(values: dict[str, str], row: int, errors: list[RowError]) -> dict:
    out: dict = {}

    def err(key: str, message: str) -> None:
        header = next(c.header for c in IMPORT_COLUMNS if c.key == key)
        errors.append(RowError(row, header, message))

    for c in IMPORT_COLUMNS:
        if c.required and not values.get(c.key):
            err(c.key, "필수 항목이 비어 있습니다.")

    for key, limit in (("address", 200), ("address_detail", 100), ("registered_address", 200), ("name", 50), ("phone", 20)):
        text = values.get(key, "")
        if len(text) > limit:
            err(key, f"{limit}자 이하로 입력하세요.")
        out[key] = text

    for key in ("tong", "ban"):
        text = values.get(key, "")
        out[key] = None
        if text:
            if text.isdigit() and 0 < int(text) < 32768:
                out[key] = int(text)
            else:
                err(key, "숫자로 입력하세요.")

    ratio = values.get("income_ratio", "").replace("%", "").strip()
    out["income_ratio"] = None
    if ratio:
        try:
            out["income_ratio"] = Decimal(ratio).quantize(Decimal("0.1"))
            if not (0 <= out["income_ratio"] <= 1000):
                err("income_ratio", "0에서 1000 사이의 숫자로 입력하세요.")
        except InvalidOperation:
            err("income_ratio", "숫자로 입력하세요 (예: 32.5).")

    defaults = {
        "housing_type": HousingType.OTHER, "tenure": Tenure.OTHER, "risk_tier": RiskTier.NONE,
        "relation": Relation.HEAD, "disability": Disability.NONE, "care_grade": CareGrade.NONE, "sex": "",
    }
    for key, default in defaults.items():
        text = values.get(key, "")
        if not text:
            out[key] = default
            continue
        code = CHOICE_ALIASES[key].get(_norm(text))
        if code is None:
            err(key, f"'{text}'은(는) 올바른 값이 아닙니다.")
        out[key] = code or default

    benefits = []
    for part in re.split(r"[,/·]", values.get("benefits", "")):
        if not part.strip():
            continue
        code = CHOICE_ALIASES["benefits"].get(_norm(part))
        if code is None:
            err("benefits", f"'{part.strip()}'은(는) 올바른 수급 구분이 아닙니다.")
        elif code not in benefits:
            benefits.append(code)
    out["benefits"] = benefits

    living = _norm(values.get("living_together", ""))
    out["living_together"] = True
    if living:
        if living in YES:
            out["living_together"] = True
        elif living in NO:
            out["living_together"] = False
        else:
            err("living_together", "'예' 또는 '아니오'로 입력하세요.")

    out["birth_date"] = None
    if values.get("birth_date"):
        out["birth_date"] = parse_date(values["birth_date"])
        if out["birth_date"] is None:
            err("birth_date", "날짜 형식이 올바르지 않습니다 (예: 1948-03-15).")
        elif out["birth_date"] > timezone.localdate():
            err("birth_date", "생년월일이 오늘보다 뒤입니다.")

    out["rrn"] = None
    if values.get("rrn"):
        try:
            digits = crypto.normalize_rrn(values["rrn"])
            out["rrn"] = digits
            if out["birth_date"] and digits[:6] != out["birth_date"].strftime("%y%m%d"):
                err("rrn", "주민등록번호 앞자리가 생년월일과 다릅니다.")
        except ValidationError:
            err("rrn", "주민등록번호 형식이 올바르지 않습니다 (13자리).")
    return out


# --- the import ------------------------------------------------------------------------------------

def _lock_dong(dong_id: int) -> None:
    key = int.from_bytes(hashlib.sha256(f"cases.import:{dong_id}".encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _household_key(parsed: dict) -> tuple[str, str]:
    return (parsed["address"], parsed["address_detail"])


def household_import(*, actor, dong, upload) -> ImportResult:
    """Validate and import one file into `dong` (which must be in the actor's area).

    Raises ImportFileError (Korean message) when the file cannot be read at all; returns an
    ImportResult with row errors (and nothing written) or with the counts of what was written.
    """
    if not may_write_in_dong(actor, dong):
        raise ImportFileError("담당 구역이 아닌 동으로는 가져올 수 없습니다.")
    header, raw_rows = _read_rows(upload)
    positions = _check_header(header)
    if not raw_rows:
        raise ImportFileError("열 제목 아래에 가져올 행이 없습니다.")

    result = ImportResult(rows=len(raw_rows))
    errors = result.errors
    parsed_rows: list[tuple[int, dict]] = []
    for row_no, cells in raw_rows:
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in positions.items()}
        parsed_rows.append((row_no, {**_parse_row(values, row_no, errors), "_given": set(k for k, v in values.items() if v)}))

    _check_consistency(parsed_rows, errors)
    tongs = dict(Tong.objects.filter(dong=dong).values_list("number", "pk"))
    for row_no, p in parsed_rows:
        if p["tong"] is not None and p["tong"] not in tongs:
            errors.append(RowError(row_no, "통", f"{dong.name}에 {p['tong']}통이 등록되어 있지 않습니다."))
    if errors:
        errors.sort(key=lambda e: (e.row, [c.header for c in IMPORT_COLUMNS].index(e.column)
                                   if e.column in COLUMN_BY_HEADER else 0))
        return result

    with transaction.atomic():
        _lock_dong(dong.pk)
        _write(actor=actor, dong=dong, rows=parsed_rows, tongs=tongs, result=result,
               filename=getattr(upload, "name", ""))
        if result.errors:
            transaction.set_rollback(True)
            result.households_created = result.residents_created = 0
    return result


def _check_consistency(parsed_rows: list[tuple[int, dict]], errors: list[RowError]) -> None:
    """Rows of one household agree on its fields; an RRN or person appears once in the file."""
    first: dict[tuple, tuple[int, dict]] = {}
    rrns: dict[str, int] = {}
    people: dict[tuple, int] = {}
    headers = {c.key: c.header for c in IMPORT_COLUMNS}
    for row_no, p in parsed_rows:
        key = _household_key(p)
        if key in first:
            first_row, q = first[key]
            for k in HOUSEHOLD_KEYS:
                if k in ("address", "address_detail"):
                    continue
                if k in p["_given"] and k in q["_given"] and p[k] != q[k]:
                    errors.append(RowError(row_no, headers[k], f"같은 가구의 {first_row}행과 값이 다릅니다."))
        else:
            first[key] = (row_no, p)
        if p["rrn"]:
            if p["rrn"] in rrns:
                errors.append(RowError(row_no, "주민등록번호", f"{rrns[p['rrn']]}행과 같은 주민등록번호입니다."))
            else:
                rrns[p["rrn"]] = row_no
        person = (key, p["name"], p["birth_date"])
        if p["name"] and p["birth_date"]:
            if person in people:
                errors.append(RowError(row_no, "이름", f"{people[person]}행과 같은 가구원(이름·생년월일)입니다."))
            else:
                people[person] = row_no


def _merged_household_fields(rows: list[dict]) -> dict:
    """A household's fields from its rows: the first row that gave each value."""
    merged = {}
    for k in HOUSEHOLD_KEYS:
        given = [p[k] for p in rows if k in p["_given"]]
        merged[k] = given[0] if given else rows[0][k]
    return merged


def _write(*, actor, dong, rows, tongs, result: ImportResult, filename: str) -> None:
    today = timezone.localdate()
    by_household: dict[tuple, list[tuple[int, dict]]] = {}
    for row_no, p in rows:
        by_household.setdefault(_household_key(p), []).append((row_no, p))

    # Households: find existing by natural key, insert the rest in one statement.
    key_q = Q(pk__in=[])
    for address, detail in by_household:
        key_q |= Q(address=address, address_detail=detail)
    existing = {
        (h.address, h.address_detail): h for h in Household.objects.select_for_update().filter(Q(dong=dong) & key_q)
    }
    new_households = []
    for key, items in by_household.items():
        if key in existing:
            continue
        f = _merged_household_fields([p for _, p in items])
        tier = f["risk_tier"]
        new_households.append(
            Household(
                dong=dong, tong_id=tongs.get(f["tong"]) if f["tong"] is not None else None, ban=f["ban"],
                address=f["address"], address_detail=f["address_detail"], registered_address=f["registered_address"],
                housing_type=f["housing_type"], tenure=f["tenure"], benefits=f["benefits"],
                income_ratio=f["income_ratio"], risk_tier=tier,
                # Never contacted: a household with a cadence is due today.
                next_contact_due=today if tier_cadence_days(tier, on=today) is not None else None,
            )
        )
    created = Household.objects.bulk_create(new_households, batch_size=500)
    households = {**existing, **{(h.address, h.address_detail): h for h in created}}
    result.households_created = len(created)
    result.households_existing = len(existing)

    # Residents: existing by blind index (anywhere) or by (household, name, birth date).
    indexes = {p["rrn"]: crypto.blind_index(p["rrn"]) for _, p in rows if p["rrn"]}
    known_rrn = dict(
        Resident.objects.filter(rrn_index__in=list(indexes.values())).values_list("rrn_index", "household_id")
    )
    household_ids = [h.pk for h in existing.values()]
    known_people = set(
        Resident.objects.filter(household_id__in=household_ids).values_list("household_id", "name", "birth_date")
    )
    new_residents = []
    for key, items in by_household.items():
        household = households[key]
        for row_no, p in items:
            index = indexes.get(p["rrn"]) if p["rrn"] else None
            if index is not None and index in known_rrn:
                if known_rrn[index] != household.pk:
                    result.errors.append(RowError(row_no, "주민등록번호", "이미 다른 가구에 등록된 주민등록번호입니다."))
                else:
                    result.residents_existing += 1
                continue
            if (household.pk, p["name"], p["birth_date"]) in known_people:
                result.residents_existing += 1
                continue
            resident = Resident(
                household=household, name=p["name"], relation=p["relation"], birth_date=p["birth_date"], sex=p["sex"],
                living_together=p["living_together"], disability=p["disability"], care_grade=p["care_grade"],
                phone=p["phone"],
            )
            if p["rrn"]:
                resident.rrn_ciphertext = crypto.encrypt_rrn(p["rrn"])
                resident.rrn_index = index
                resident.rrn_masked = crypto.mask_rrn(p["rrn"])
            new_residents.append(resident)
    if result.errors:
        return
    try:
        with transaction.atomic():
            Resident.objects.bulk_create(new_residents, batch_size=500)
    except IntegrityError:
        result.errors.append(RowError(0, "주민등록번호",
                                      "가져오는 동안 같은 주민등록번호가 다른 곳에서 등록되었습니다. 다시 시도해 주세요."))
        return
    result.residents_created = len(new_residents)

    RiskTierChange.objects.bulk_create(
        [
            RiskTierChange(household=h, from_tier=RiskTier.NONE, to_tier=h.risk_tier, reason="일괄 가져오기", changed_by=actor)
            for h in created if h.risk_tier != RiskTier.NONE
        ]
    )
    log_household_access_many(
        user=actor, household_ids=[h.pk for h in created], action=AccessLog.Action.CREATE, reason="일괄 가져오기",
    )
    log_access(
        user=actor, subject_type=AccessLog.Subject.LIST, subject_id=None, action=AccessLog.Action.CREATE,
        reason=(f"일괄 가져오기 {filename[:120]}: {dong.name} 가구 {result.households_created:,}건·"
                f"가구원 {result.residents_created:,}명 등록"),
    )


# --- templates to download -----------------------------------------------------------------------

def import_template_xlsx() -> bytes:
    """The layout as an .xlsx: a sheet to fill in (with one example row) and a guide sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "가구원 목록"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE2E1")
    optional_fill = PatternFill("solid", fgColor="DDE6F5")
    for col, c in enumerate(IMPORT_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=c.header)
        cell.font = bold
        cell.fill = required_fill if c.required else optional_fill
        ws.cell(row=2, column=col, value=c.example)
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(30, len(c.example) + 4, len(c.header) * 2 + 6))
        ws.cell(row=2, column=col).number_format = "@"
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("작성 방법")
    guide.append(["열 제목", "필수", "입력 방법", "예시"])
    for cell in guide[1]:
        cell.font = bold
    for c in IMPORT_COLUMNS:
        guide.append([c.header, "필수" if c.required else "", c.help, c.example])
    guide.append([])
    for line in (
        "한 행에 가구원 한 명씩 적습니다. 주소와 상세주소가 같은 행은 같은 가구로 등록됩니다.",
        "예시 행(2행)은 지우고 작성하세요. 잘못된 행이 하나라도 있으면 아무것도 등록되지 않고 오류 목록이 표시됩니다.",
        "같은 파일을 다시 올려도 이미 등록된 가구·가구원은 중복 등록되지 않습니다.",
        f"파일은 {MAX_FILE_BYTES // (1024 * 1024)}MB, {MAX_ROWS:,}행 이하로 올려 주세요.",
    ):
        guide.append([line])
    for letter, width in zip("ABCD", (16, 6, 70, 30), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def import_template_csv() -> bytes:
    """The header row as UTF-8 CSV with a BOM (so Excel opens the Korean headers correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in IMPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
