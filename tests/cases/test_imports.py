import csv
import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook, load_workbook

from cases import crypto
from cases.models import Household, Resident, RiskTierChange
from cases.services.imports import IMPORT_COLUMNS, ImportFileError, household_import
from chatdong.audit.models import AccessLog
from tests.factories import TongFactory

URL = "/cases/import/"
HEADERS = [c.header for c in IMPORT_COLUMNS]


def _row(**values):
    return [values.get(h, "") for h in HEADERS]


GOOD_ROWS = [
    _row(주소="서울특별시 은평구 통일로 10", 상세주소="101호", 통="3", 주거형태="반지하", 점유형태="월세",
         수급="생계급여, 의료급여", **{"소득(중위%)": "25"}, 위험등급="위험", 이름="김순자", 관계="본인",
         생년월일="1941-02-03", 성별="여", 주민등록번호="410203-2123456", 연락처="010-1000-2000", 장기요양등급="3등급"),
    _row(주소="서울특별시 은평구 통일로 10", 상세주소="101호", 이름="이철수", 관계="배우자", 생년월일="1939-05-06",
         성별="남", 주민등록번호="390506-1123456", 장애="중증"),
    _row(주소="서울특별시 은평구 통일로 12", 상세주소="", 주거형태="고시원", 이름="박민수", 생년월일="1970.11.30",
         성별="남", 동거여부="예"),
]


def _csv(rows, name="가구.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def _xlsx(rows, name="가구.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def tong3(dong):
    return TongFactory(dong=dong, number=3)


def test_valid_csv_imports_households_and_residents(team_leader, dong, tong3, today):
    result = household_import(actor=team_leader, dong=dong, upload=_csv(GOOD_ROWS))
    assert result.ok, result.errors
    assert (result.households_created, result.residents_created) == (2, 3)
    h = Household.objects.get(address="서울특별시 은평구 통일로 10")
    assert (h.tong, h.housing_type, h.tenure, h.benefits, h.risk_tier) == (
        tong3, "semi_basement", "monthly_rent", ["livelihood", "medical"], "high")
    assert h.next_contact_due == today
    assert RiskTierChange.objects.get(household=h).reason == "일괄 가져오기"
    kim = Resident.objects.get(name="김순자")
    assert (kim.care_grade, kim.rrn_masked) == ("3", "410203-2******")
    assert Resident.objects.get(name="이철수").relation == "spouse"
    assert Resident.objects.get(name="박민수").rrn_index is None
    assert AccessLog.objects.filter(action="create", subject_type="household").count() == 2
    assert "가구 2건" in AccessLog.objects.get(subject_type="list", action="create").reason


def test_rrn_never_stored_in_clear(team_leader, dong, tong3):
    household_import(actor=team_leader, dong=dong, upload=_csv(GOOD_ROWS))
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(r)::text FROM cases_resident r")
        dumps = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT coalesce(string_agg(row_to_json(e)::text, ' '), '') FROM cases_residentevent e")
        dumps += cursor.fetchone()[0]
    for digits in ("4102032123456", "410203-2123456", "2123456", "1123456"):
        assert digits not in dumps
    assert crypto.blind_index("4102032123456") in dumps


def test_importing_twice_creates_no_duplicates(team_leader, dong, tong3):
    first = household_import(actor=team_leader, dong=dong, upload=_csv(GOOD_ROWS))
    second = household_import(actor=team_leader, dong=dong, upload=_csv(GOOD_ROWS))
    assert first.ok and second.ok
    assert (second.households_created, second.households_existing) == (0, 2)
    assert (second.residents_created, second.residents_existing) == (0, 3)
    assert Household.objects.count() == 2 and Resident.objects.count() == 3


def test_invalid_row_writes_nothing_and_reports_in_korean(team_leader, dong, tong3):
    rows = [*GOOD_ROWS,
            _row(주소="서울특별시 은평구 통일로 14", 이름="", 생년월일="1950-02-30", 성별="중성", 주민등록번호="12-34"),
            _row(주소="서울특별시 은평구 통일로 15", 통="99", 이름="최영", 생년월일="1950-01-01", 성별="여",
                 주민등록번호="410203-2123456", 위험등급="최고")]
    result = household_import(actor=team_leader, dong=dong, upload=_csv(rows))
    assert not result.ok
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(5, "이름")] == "필수 항목이 비어 있습니다."
    assert "날짜 형식" in errors[(5, "생년월일")]
    assert "올바른 값이 아닙니다" in errors[(5, "성별")]
    assert "형식이 올바르지 않습니다" in errors[(5, "주민등록번호")]
    assert "2행과 같은 주민등록번호" in errors[(6, "주민등록번호")]
    assert "99통이 등록되어 있지 않습니다" in errors[(6, "통")]
    assert "'최고'" in errors[(6, "위험등급")]
    assert not Household.objects.exists() and not Resident.objects.exists()
    assert not AccessLog.objects.exists()


def test_conflicting_household_rows_are_errors(team_leader, dong):
    rows = [_row(주소="A로 1", 주거형태="반지하", 이름="가", 생년월일="1950-01-01", 성별="여"),
            _row(주소="A로 1", 주거형태="옥탑방", 이름="나", 생년월일="1951-01-01", 성별="남")]
    result = household_import(actor=team_leader, dong=dong, upload=_csv(rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "주거형태")]
    assert not Household.objects.exists()


def test_rrn_of_another_household_rolls_back(team_leader, dong, tong3):
    household_import(actor=team_leader, dong=dong, upload=_csv(GOOD_ROWS[:1]))
    moved = [_row(주소="B로 2", 이름="김순자", 생년월일="1941-02-03", 성별="여", 주민등록번호="410203-2123456"),
             _row(주소="B로 3", 이름="새사람", 생년월일="1960-01-01", 성별="남")]
    result = household_import(actor=team_leader, dong=dong, upload=_csv(moved))
    assert [(e.row, e.column) for e in result.errors] == [(2, "주민등록번호")]
    assert "다른 가구에 등록된" in result.errors[0].message
    assert not Household.objects.filter(address__in=["B로 2", "B로 3"]).exists()


def test_xlsx_and_cp949_csv(team_leader, dong, tong3):
    assert household_import(actor=team_leader, dong=dong, upload=_xlsx(GOOD_ROWS)).ok
    assert Resident.objects.count() == 3
    rows = [_row(주소="C로 1", 이름="한글이름", 생년월일="19800101", 성별="F")]
    assert household_import(actor=team_leader, dong=dong, upload=_csv(rows, encoding="cp949")).ok
    assert Resident.objects.filter(name="한글이름").exists()


def test_file_level_errors(team_leader, dong):
    with pytest.raises(ImportFileError, match="CSV\\(.csv\\) 또는 엑셀"):
        household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    with pytest.raises(ImportFileError, match="엑셀\\(.xlsx\\) 파일 형식이 아닙니다"):
        household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("a.xlsx", b"name,addr"))
    with pytest.raises(ImportFileError, match="필수 열이 없습니다: 주소"):
        household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("a.csv", "이름,생년월일,성별\n".encode()))
    with pytest.raises(ImportFileError, match="알 수 없는 열: 별명"):
        header = ",".join([*HEADERS, "별명"])
        household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("a.csv", header.encode()))
    big = SimpleUploadedFile("a.csv", b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ImportFileError, match="파일이 너무 큽니다"):
        household_import(actor=team_leader, dong=dong, upload=big)


def test_import_other_dong_refused(team_leader, other_dong):
    with pytest.raises(ImportFileError, match="담당 구역"):
        household_import(actor=team_leader, dong=other_dong, upload=_csv(GOOD_ROWS))


def test_city_analyst_cannot_import_personal_data(dong, tong3):
    from chatdong.accounts.roles import Role
    from tests.factories import UserFactory

    analyst = UserFactory(role=Role.CITY_ANALYST)
    with pytest.raises(ImportFileError, match="담당 구역"):
        household_import(actor=analyst, dong=dong, upload=_csv(GOOD_ROWS))
    assert not Household.objects.filter(dong=dong).exists()


def test_import_page_and_permissions(client, team_leader, planner, dong, tong3):
    client.force_login(planner)
    assert client.get(URL).status_code == 403
    client.force_login(team_leader)
    page = client.get(URL)
    assert page.status_code == 200 and "엑셀 양식 받기" in page.content.decode()
    response = client.post(URL, {"dong": dong.pk, "file": _csv([*GOOD_ROWS, _row(주소="X", 이름="누락")])})
    assert response.status_code == 400
    body = response.content.decode()
    assert "아무것도 등록하지 않았습니다" in body and "필수 항목이 비어 있습니다" in body
    response = client.post(URL, {"dong": dong.pk, "file": _csv(GOOD_ROWS)})
    assert response.status_code == 200 and "새 가구 2건" in response.content.decode()
    response = client.post(URL, {"dong": dong.pk, "file": SimpleUploadedFile("x.txt", b"hello")})
    assert "CSV(.csv) 또는 엑셀(.xlsx) 파일만" in response.content.decode()


def test_template_download_round_trip(client, team_leader, dong):
    client.force_login(team_leader)
    response = client.get("/cases/import/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert "작성 방법" in wb.sheetnames
    # The example row in the template imports as it is (its tong is optional → blank it).
    ws = wb.worksheets[0]
    ws.cell(row=2, column=HEADERS.index("통") + 1).value = None
    out = io.BytesIO()
    wb.save(out)
    result = household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("t.xlsx", out.getvalue()))
    assert result.ok, result.errors
    csv_response = client.get("/cases/import/template.csv")
    assert csv_response.content.decode("utf-8-sig").strip().split(",") == HEADERS


# --- hostile files ----------------------------------------------------------------------------

def test_xlsx_bomb_refused_fast_with_korean_message(team_leader, dong, client):
    from tests.files import xlsx_bomb

    bomb = xlsx_bomb(HEADERS[:1], ["서울특별시 은평구 통일로 10"], count=1_000_000)
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="엑셀 파일의 내용이 너무 큽니다"):
        household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("폭탄.xlsx", bomb))
    assert time.perf_counter() - started < 1
    client.force_login(team_leader)
    response = client.post(URL, {"dong": dong.pk, "file": SimpleUploadedFile("폭탄.xlsx", bomb)})
    assert response.status_code == 400 and "엑셀 파일의 내용이 너무 큽니다" in response.content.decode()
    assert not Household.objects.filter(dong=dong).exists()


def test_too_many_rows_refused_while_reading(team_leader, dong):
    from cases.services.imports import MAX_ROWS
    from tests.files import xlsx_bytes

    rows = [_row(주소=f"통일로 {i}", 이름="김", 생년월일="1950-01-01", 성별="여") for i in range(MAX_ROWS + 1)]
    with pytest.raises(ImportFileError, match=f"{MAX_ROWS:,}행까지"):
        household_import(actor=team_leader, dong=dong, upload=SimpleUploadedFile("a.xlsx", xlsx_bytes([HEADERS, *rows])))


def test_excel_serial_and_dotted_dates(team_leader, dong, tong3):
    rows = [_row(주소="D로 1", 이름="가", 생년월일="17607", 성별="여"),  # Excel serial for 1948-03-15
            _row(주소="D로 2", 이름="나", 생년월일="1948. 3. 15.", 성별="남")]
    assert household_import(actor=team_leader, dong=dong, upload=_csv(rows)).ok
    assert set(Resident.objects.filter(name__in=["가", "나"]).values_list("birth_date", flat=True)) == {
        datetime.date(1948, 3, 15)
    }
