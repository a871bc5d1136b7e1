"""Upload files built in tests: minimal .xlsx workbooks written with zipfile directly, fast
enough to make a million-row decompression bomb inside a test."""

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
COLUMNS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _row_xml(number: int | None, values: list[str]) -> str:
    """One row; without a number, the row and its cells carry no reference (allowed)."""
    cells = "".join(
        (f'<c r="{COLUMNS[i]}{number}" t="inlineStr">' if number else '<c t="inlineStr">')
        + f"<is><t>{escape(str(v))}</t></is></c>"
        for i, v in enumerate(values) if v != "" or number is None
    )
    return f'<row r="{number}">{cells}</row>' if number else f"<row>{cells}</row>"


def _skeleton(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", WORKBOOK)
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)


def xlsx_bytes(rows: Iterable[list[str]]) -> bytes:
    """An .xlsx whose first sheet holds `rows` (lists of text, at most 26 columns)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _skeleton(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            chunk = []
            for number, values in enumerate(rows, start=1):
                chunk.append(_row_xml(number, values))
                if len(chunk) >= 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + SHEET_TAIL).encode())
    return out.getvalue()


def xlsx_bomb(header: list[str], row: list[str], count: int = 1_000_000) -> bytes:
    """A small .xlsx that expands to `count` identical copies of `row` under `header`.

    Rows and cells carry no reference (`r`), which the format allows, so every row is the
    same bytes and deflate squeezes a million of them into a few dozen KB."""
    row_xml = _row_xml(None, row)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _skeleton(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            # A dimension, as Excel writes one: without it openpyxl scans the whole sheet on load.
            head = SHEET_HEAD.replace("<sheetData>", f'<dimension ref="A1:{COLUMNS[len(row) - 1]}{count + 1}"/><sheetData>')
            sheet.write((head + _row_xml(1, header)).encode())
            block = (row_xml * 10_000).encode()
            for _ in range(count // 10_000):
                sheet.write(block)
            sheet.write((row_xml * (count % 10_000) + SHEET_TAIL).encode())
    return out.getvalue()


def zip_sizes(data: bytes) -> tuple[int, int]:
    """(compressed file size, total declared unzipped size) of an .xlsx."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return len(data), sum(m.file_size for m in archive.infolist())
