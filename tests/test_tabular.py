"""The shared tabular reader and the exported-cell rule (chatdong.tabular)."""

import datetime
import io
import time

import pytest
from openpyxl import Workbook

from chatdong import tabular
from chatdong.tabular import TableError, parse_date, read_table, safe_cell
from tests.files import xlsx_bomb, xlsx_bytes, zip_sizes

HEADER = ["성명", "생년월일", "위기정보"]
ROW = ["홍길동", "1950-01-01", "단전"]


def _read(name, data, max_rows=5_000, max_bytes=20 * 1024 * 1024):
    return read_table(name=name, data=data, max_rows=max_rows, max_bytes=max_bytes)


@pytest.fixture(scope="module")
def bomb():
    return xlsx_bomb(HEADER, ROW, count=1_000_000)


def test_bomb_is_small_on_disk_and_huge_unzipped(bomb):
    size, unzipped = zip_sizes(bomb)
    assert size < 1024 * 1024 and unzipped > 100 * 1024 * 1024


def test_bomb_refused_from_the_zip_directory_in_under_a_second(bomb, monkeypatch):
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(1))
    started = time.perf_counter()
    with pytest.raises(TableError, match="엑셀 파일의 내용이 너무 큽니다"):
        _read("bomb.xlsx", bomb)
    assert time.perf_counter() - started < 1
    assert not opened  # refused before openpyxl inflated anything


def test_high_ratio_refused_even_under_the_size_cap():
    data = xlsx_bomb(HEADER, ROW, count=200_000)  # ~29 MB unzipped, ratio > 100
    with pytest.raises(TableError, match="압축 비율"):
        _read("bomb.xlsx", data)


def test_streaming_stops_at_the_row_limit(bomb, monkeypatch):
    """With the zip checks out of the way, the reader still stops right after the limit."""
    monkeypatch.setattr(tabular, "MAX_UNZIPPED_BYTES", 10**12)
    monkeypatch.setattr(tabular, "MAX_RATIO", 10**9)
    seen = []
    real = tabular.cell_text
    monkeypatch.setattr(tabular, "cell_text", lambda v: seen.append(1) or real(v))
    started = time.perf_counter()
    with pytest.raises(TableError, match="한 번에 5,000행까지"):
        _read("bomb.xlsx", bomb, max_rows=5_000)
    assert time.perf_counter() - started < 5
    assert len(seen) <= (5_000 + 2) * len(HEADER)


def test_blank_rows_count_towards_a_bound():
    rows = [HEADER, ROW, *([[""]] * (tabular.BLANK_ROW_ALLOWANCE + 20)), ROW]
    with pytest.raises(TableError, match="10행까지"):
        _read("blank.xlsx", xlsx_bytes(rows), max_rows=10)
    table = _read("blank.xlsx", xlsx_bytes([HEADER, ROW, [""], [""], ROW]), max_rows=10)
    assert [n for n, _ in table.rows] == [2, 5]


def test_csv_streams_to_the_row_limit():
    data = ("성명,생년월일,위기정보\n" + "홍길동,1950-01-01,단전\n" * 50_000).encode()
    with pytest.raises(TableError, match="100행까지"):
        _read("a.csv", data, max_rows=100)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.csv", b"", "빈 파일"),
        ("a.xlsx", b"name,addr", "엑셀\\(.xlsx\\) 파일 형식이 아닙니다"),
        ("a.xlsx", b"PK\x03\x04broken", "엑셀 파일을 읽을 수 없습니다"),
        ("a.csv", b"PK\x03\x04", "CSV 파일이 아닙니다"),
        ("a.csv", b"\xff\xfe\x00\x81\xff garbage", "인코딩"),
        ("a.csv", b'a,b\n"' + b"x" * 200_000 + b'"\n', "CSV 파일을 읽을 수 없습니다"),
        ("a.csv", b"x" * 101, "파일이 너무 큽니다"),
    ],
)
def test_broken_files_get_one_korean_message(name, data, message):
    with pytest.raises(TableError, match=message):
        _read(name, data, max_bytes=100 if len(data) == 101 else 20 * 1024 * 1024)


def test_xlsx_missing_sheet_part_is_a_broken_file():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(TableError, match="엑셀 파일을 읽을 수 없습니다"):
        _read("a.xlsx", out.getvalue())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_encodings(encoding):
    table = _read("a.csv", "성명,생년월일\n홍길동,1950-01-01\n".encode(encoding))
    assert table.header == ["성명", "생년월일"] and table.rows == [(2, ["홍길동", "1950-01-01"])]


def test_xlsx_cells_as_text():
    wb = Workbook()
    ws = wb.active
    ws.append(["성명", "생년월일", "통", "주민등록번호"])
    ws.append(["  홍길동 ", datetime.datetime(1950, 1, 1), 3.0, 4102032123456])
    out = io.BytesIO()
    wb.save(out)
    table = _read("a.xlsx", out.getvalue())
    assert table.rows == [(2, ["홍길동", "1950-01-01", "3", "4102032123456"])]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-03-01", datetime.date(2025, 3, 1)),
        ("2025.03.01", datetime.date(2025, 3, 1)),
        ("2025. 3. 1.", datetime.date(2025, 3, 1)),
        ("2025/3/1", datetime.date(2025, 3, 1)),
        ("20250301", datetime.date(2025, 3, 1)),
        ("45717", datetime.date(2025, 3, 1)),  # Excel serial
        ("2025-02-30", None),
        ("1948", None),
        ("3", None),
        ("어제", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["서울 은평구", "", None, 3, 2.5, datetime.date(2025, 1, 1), "900101-1******"])
def test_safe_cell_leaves_the_rest(value):
    assert safe_cell(value) == value
