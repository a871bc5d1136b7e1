"""Uploaded tables in, spreadsheet cells out: the one reader and the one cell rule.

Reading (`read_table`): every importer (household import, big-data rounds) reads CSV and
.xlsx through here, so they agree on encodings, dates, broken files and limits. A hostile
file must cost little: the size of the upload is capped, an .xlsx is refused from its zip
directory alone when it would expand past MAX_UNZIPPED_BYTES or at a bomb-like ratio, and
rows are streamed (openpyxl read-only) and counted as they come, so reading stops at the
row limit instead of after the millionth row.

Writing (`safe_cell`): a text cell whose first character is =, +, -, @, tab or CR is a
formula to Excel or LibreOffice (OWASP "CSV injection"); user text is written with a leading
apostrophe, as text, so it shows as typed and never runs.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

CSV_EXTENSIONS = (".csv",)
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
ENCODINGS = ("utf-8-sig", "cp949")
# An honest workbook of a few thousand rows unzips to a few MB; the sheet XML of a
# spreadsheet compresses 5–20:1. Past these a file is a bomb, not a list.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # tiny members (styles, themes) compress far better; ignore them
MAX_ZIP_MEMBERS = 1000
MAX_COLUMNS = 200
# Blank rows (formatting left below the data) read past the row limit before a file is refused.
BLANK_ROW_ALLOWANCE = 1000

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValidationError):
    """The file as a whole cannot be read (type, size, encoding, broken, too many rows)."""


@dataclass
class Table:
    header: list[str]
    # (row number as the spreadsheet shows it, cells); blank rows are left out
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


# --- cells -----------------------------------------------------------------------------------------

def cell_text(value) -> str:
    """One cell as text: dates as YYYY-MM-DD, whole floats without '.0', the rest trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_RE = re.compile(r"^(\d{4})\s*[-./]?\s*(\d{1,2})\s*[-./]?\s*(\d{1,2})\.?$")
# Excel stores dates as days since 1899-12-30; a "General" cell shows the bare number.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Five digits only (1927-05-18 … 2173): a bare year or a day number is not a date.
_SERIAL_RE = re.compile(r"^\d{5}$")


def parse_date(text: str) -> datetime.date | None:
    """'2025-03-01', '2025.03.01', '2025. 3. 1.', '2025/03/01', '20250301', a datetime cell's
    text, or an Excel serial number (45717); None when it is none of them."""
    text = (text or "").strip()
    if _SERIAL_RE.match(text):
        return _EXCEL_EPOCH + datetime.timedelta(days=int(text))
    match = _DATE_RE.match(text)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def safe_cell(value):
    """A value ready for an exported cell: user text that a spreadsheet would take for a
    formula gets a leading apostrophe; numbers, dates and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# --- reading ---------------------------------------------------------------------------------------

def _too_many_rows(max_rows: int) -> str:
    return f"한 번에 {max_rows:,}행까지 올릴 수 있습니다. 파일을 나누어 올려 주세요."


def _collect(rows, *, max_rows: int, error: type[ValidationError]) -> Table:
    """Header and non-blank rows from an iterator of rows, stopping at the limits."""
    header: list[str] | None = None
    out: list[tuple[int, list[str]]] = []
    physical_limit = max_rows + 1 + BLANK_ROW_ALLOWANCE
    for number, row in enumerate(rows, start=1):
        if number > physical_limit:
            raise error(_too_many_rows(max_rows))
        cells = [cell_text(v) for v in row[:MAX_COLUMNS]]
        if header is None:
            header = cells
            continue
        if any(cells):
            out.append((number, cells))
            if len(out) > max_rows:
                raise error(_too_many_rows(max_rows))
    if header is None:
        raise error("빈 파일입니다.")
    return Table(header=header, rows=out)


def _check_zip(data: bytes, error: type[ValidationError]) -> None:
    """Refuse a zip bomb from the directory alone, before anything is decompressed.

    zipfile never inflates a member past the size its directory entry declares, so the
    declared sizes are a safe bound."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise error("엑셀 파일을 읽을 수 없습니다. 파일이 손상되지 않았는지 확인해 주세요.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise error("엑셀 파일을 읽을 수 없습니다. 파일이 손상되지 않았는지 확인해 주세요.")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise error(
            f"엑셀 파일의 내용이 너무 큽니다(압축을 풀면 {MAX_UNZIPPED_BYTES // (1024 * 1024)}MB 초과). "
            "파일을 나누어 올려 주세요."
        )
    for member in members:
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise error("엑셀 파일의 압축 비율이 비정상적으로 높아 열 수 없습니다. 엑셀에서 다시 저장해 올려 주세요.")


def _xlsx_rows(data: bytes, *, max_rows: int, error: type[ValidationError]) -> Table:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise error("엑셀(.xlsx) 파일 형식이 아닙니다. 엑셀에서 '다른 이름으로 저장 → Excel 통합 문서'로 저장해 주세요.")
    _check_zip(data, error)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors…) for a broken file
        raise error("엑셀 파일을 읽을 수 없습니다. 파일이 손상되지 않았는지 확인해 주세요.") from None
    try:
        if not workbook.worksheets:
            raise error("빈 파일입니다.")
        sheet = workbook.worksheets[0]
        # Rows are padded to the declared width: bound it, and never pad a sheet that declares none.
        width = min(sheet.max_column, MAX_COLUMNS) if sheet.max_column else None
        rows = sheet.iter_rows(values_only=True, max_col=width)
        return _collect(rows, max_rows=max_rows, error=error)
    except ValidationError:
        raise
    except Exception:  # a sheet that breaks half-way through
        raise error("엑셀 파일을 읽을 수 없습니다. 파일이 손상되지 않았는지 확인해 주세요.") from None
    finally:
        workbook.close()


def _csv_rows(data: bytes, *, max_rows: int, error: type[ValidationError]) -> Table:
    if data.startswith(b"PK"):
        raise error("CSV 파일이 아닙니다. 엑셀 파일이면 확장자를 .xlsx로 올려 주세요.")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise error("CSV 파일의 문자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(엑셀 기본)로 저장해 주세요.")
    try:
        return _collect(csv.reader(io.StringIO(text)), max_rows=max_rows, error=error)
    except csv.Error:
        raise error("CSV 파일을 읽을 수 없습니다. 따옴표나 줄바꿈이 깨졌거나 한 칸이 너무 깁니다.") from None


def read_table(
    *, name: str, data: bytes, max_rows: int, max_bytes: int, error: type[ValidationError] = TableError
) -> Table:
    """The first sheet (or the CSV) of an upload as a header and its non-blank rows.

    The caller has checked the file type it accepts; every refusal is `error` with one
    Korean message."""
    if len(data) > max_bytes:
        raise error(f"파일이 너무 큽니다. {max_bytes // (1024 * 1024)}MB 이하로 나누어 올려 주세요.")
    if not data:
        raise error("빈 파일입니다.")
    if name.lower().endswith(XLSX_EXTENSIONS):
        return _xlsx_rows(data, max_rows=max_rows, error=error)
    return _csv_rows(data, max_rows=max_rows, error=error)
