"""Big-data rounds: matched, unmatched and malformed rows; re-upload; nothing half-written."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from cases import crypto
from cases.models import Household, Resident
from cases.services.residents import resident_set_rrn
from chatdong.accounts.roles import Role
from outreach.models import BigDataRound, BigDataRow, Campaign, SweepRun, VisitTask
from outreach.services import bigdata
from outreach.services.bigdata import ImportRejected, round_import, row_create_household, row_reject
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory

RRN_KNOWN = "500101-1234567"
RRN_NEW = "620505-2345678"


@pytest.fixture
def setup(outreach_policy):
    dong = DongFactory()
    leader = UserFactory(role=Role.TEAM_LEADER, dong=dong)
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    by_rrn = ResidentFactory(household=HouseholdFactory(dong=dong), name="김철수", birth_date=datetime.date(1950, 1, 1))
    resident_set_rrn(resident=by_rrn, rrn=RRN_KNOWN)
    by_name = ResidentFactory(household=HouseholdFactory(dong=dong), name="이영희", birth_date=datetime.date(1948, 3, 3))
    # two namesakes born the same day: ambiguous, so not matched
    for _ in range(2):
        ResidentFactory(household=HouseholdFactory(dong=dong), name="박민수", birth_date=datetime.date(1960, 6, 6))
    # the same name and birthday in another dong is not this dong's resident
    ResidentFactory(household=HouseholdFactory(dong=DongFactory()), name="최지우", birth_date=datetime.date(1970, 7, 7))
    return dong, leader, planner, by_rrn, by_name


CSV = (
    "주민등록번호,성명,생년월일,주소,위기정보\n"
    f"{RRN_KNOWN},김철수,,서울 어딘가 1,단전\n"             # 2: matched by RRN
    ",이영희,1948-03-03,서울 어딘가 2,건강보험료 체납/단수\n"  # 3: matched by name + birth date
    ",박민수,1960-06-06,서울 어딘가 3,관리비 체납\n"          # 4: ambiguous → unmatched
    f"{RRN_NEW},정새롬,,서울 어딘가 4,임대료 체납\n"          # 5: unknown RRN → unmatched
    ",최지우,1970-07-07,서울 어딘가 5,단가스\n"               # 6: lives in another dong → unmatched
    "9999,홍길동,,서울,단전\n"                                # 7: malformed RRN
    ",무명,1950-13-01,서울,단전\n"                            # 8: malformed date
    ",김철수,1950-01-01,서울,외계인 침공\n"                   # 9: unknown signal
    f"{RRN_KNOWN},김철수,1951-01-01,서울,단전\n"              # 10: RRN and birth date disagree
)


def do_import(setup, content=CSV.encode(), label="2025년 3차", name="list.csv"):
    dong, leader, *_ = setup
    return round_import(actor=leader, round_label=label, file_name=name, content=content, dongs=[dong])


def test_import_matches_reports_and_creates_tasks(setup):
    dong, leader, planner, by_rrn, by_name = setup
    result = do_import(setup)
    assert (result.total, result.matched, result.unmatched, result.invalid) == (9, 2, 3, 4)
    assert [n for n, _ in result.errors] == [7, 8, 9, 10]
    assert "주민등록번호 형식" in dict(result.errors)[7]
    rows = {r.row_number: r for r in BigDataRow.objects.filter(round=result.round)}
    assert rows[2].resident == by_rrn and rows[2].match_method == "rrn"
    assert rows[3].resident == by_name and rows[3].match_method == "name_birth"
    assert {rows[n].status for n in (4, 5, 6)} == {BigDataRow.Status.UNMATCHED}
    assert rows[7].status == BigDataRow.Status.INVALID and rows[7].rrn_index == "" and rows[7].name == ""
    tasks = VisitTask.objects.filter(campaign=result.round.campaign)
    assert set(tasks.values_list("resident_id", flat=True)) == {by_rrn.pk, by_name.pk}
    assert tasks.get(resident=by_name).reason == "복지사각지대 2025년 3차: 건강보험료 체납, 단수"
    assert set(tasks.values_list("assignee_id", flat=True)) == {planner.pk}
    assert result.run.status == SweepRun.Status.SUCCEEDED and result.tasks_created == 2


def test_rrn_never_stored_in_clear(setup):
    result = do_import(setup)
    row = BigDataRow.objects.get(round=result.round, row_number=5)
    assert row.rrn_index == crypto.blind_index(RRN_NEW)
    assert row.rrn_masked == "620505-2******"
    digits = RRN_NEW.replace("-", "")
    for r in BigDataRow.objects.filter(round=result.round).values():
        assert not any(digits in str(v) or RRN_NEW in str(v) for v in r.values())
    for run in SweepRun.objects.all():
        assert digits not in run.errors and RRN_NEW not in run.errors


def test_same_round_twice_creates_nothing(setup):
    do_import(setup)
    counts = (Campaign.objects.count(), BigDataRound.objects.count(), BigDataRow.objects.count(), VisitTask.objects.count())
    with pytest.raises(ImportRejected, match="이미 등록된 차수"):
        do_import(setup)
    with pytest.raises(ImportRejected, match="이미 등록된 차수"):  # same file under another label
        do_import(setup, label="2025년 3차(재전송)")
    assert counts == (Campaign.objects.count(), BigDataRound.objects.count(), BigDataRow.objects.count(),
                      VisitTask.objects.count())


def test_failure_midway_leaves_nothing(setup, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bigdata, "_tasks_for_round", boom)  # after rows were inserted and matched
    with pytest.raises(RuntimeError):
        do_import(setup)
    assert not BigDataRound.objects.exists() and not BigDataRow.objects.exists()
    assert not Campaign.objects.filter(kind="big_data").exists() and not VisitTask.objects.exists()
    monkeypatch.undo()
    assert do_import(setup).matched == 2  # and the same file imports cleanly afterwards


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "빈 파일"),
        ("이름,주소\n홍길동,서울\n".encode(), "필수 열"),
        ("성명,생년월일,위기정보\n".encode(), "데이터 행"),
        (b"\xff\xfe\x00garbage", "필수 열|인코딩"),
    ],
)
def test_unusable_files_rejected_whole(setup, content, message):
    with pytest.raises(ImportRejected, match=message):
        do_import(setup, content=content)
    assert not BigDataRound.objects.exists() and not Campaign.objects.filter(kind="big_data").exists()


@pytest.mark.parametrize("name", ["명단.pdf", "명단.png", "명단.xls", "명단"])
def test_other_file_types_rejected_with_korean_message(setup, name):
    with pytest.raises(ImportRejected, match=r"CSV 또는 엑셀\(\.xlsx\) 파일만"):
        do_import(setup, name=name)
    assert not BigDataRound.objects.exists() and not Campaign.objects.filter(kind="big_data").exists()


def test_excel_upload(setup):
    wb = Workbook()
    ws = wb.active
    ws.append(["성명", "생년월일", "주소", "위기정보"])
    ws.append(["이영희", datetime.date(1948, 3, 3), "서울", "단전"])
    ws.append(["없는사람", "1933-01-01", "서울", "단수"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = do_import(setup, content=buffer.getvalue(), name="list.xlsx")
    assert (result.matched, result.unmatched, result.invalid) == (1, 1, 0)


def test_unmatched_rows_created_or_rejected(setup):
    dong, leader, planner, *_ = setup
    result = do_import(setup)
    new_row = BigDataRow.objects.get(round=result.round, row_number=5)
    row_create_household(actor=leader, row=new_row, dong=dong, address="서울 어딘가 4 101호")
    new_row.refresh_from_db()
    assert new_row.status == BigDataRow.Status.CREATED
    resident = new_row.resident
    assert resident.name == "정새롬" and resident.sex == "F" and resident.birth_date == datetime.date(1962, 5, 5)
    assert resident.rrn_index == crypto.blind_index(RRN_NEW) and resident.rrn_ciphertext == ""
    assert Household.objects.filter(pk=resident.household_id, dong=dong).exists()
    assert VisitTask.objects.filter(campaign=result.round.campaign, resident=resident).count() == 1
    with pytest.raises(ValidationError, match="이미 처리된"):
        row_create_household(actor=leader, row=new_row, dong=dong, address="x")
    ambiguous = BigDataRow.objects.get(round=result.round, row_number=4)
    with pytest.raises(ValidationError):
        row_reject(actor=leader, row=ambiguous, note="  ")
    row_reject(actor=leader, row=ambiguous, note="동명이인 확인 불가: 주민등록번호 재요청")
    ambiguous.refresh_from_db()
    assert ambiguous.status == BigDataRow.Status.REJECTED and ambiguous.decided_by == leader
    # the next round matches the newly registered resident by its blind index
    nxt = do_import(setup, content=f"주민등록번호,위기정보\n{RRN_NEW},단전\n".encode(), label="2025년 4차")
    assert nxt.matched == 1 and Resident.objects.filter(rrn_index=crypto.blind_index(RRN_NEW)).count() == 1


def test_planner_cannot_import(setup):
    dong, *_ = setup
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    with pytest.raises(ImportRejected, match="권한"):
        round_import(actor=planner, round_label="x", file_name="a.csv", content=CSV.encode(), dongs=[dong])


def test_xlsx_bomb_refused_fast(setup):
    import time

    from tests.files import xlsx_bomb

    bomb = xlsx_bomb(["성명", "생년월일", "위기정보"], ["홍길동", "1950-01-01", "단전"], count=1_000_000)
    started = time.perf_counter()
    with pytest.raises(bigdata.FileRefused, match="엑셀 파일의 내용이 너무 큽니다"):
        do_import(setup, content=bomb, name="명단.xlsx")
    assert time.perf_counter() - started < 1
    assert not BigDataRound.objects.exists() and not Campaign.objects.filter(kind="big_data").exists()


def test_too_many_rows_refused_while_reading(setup, monkeypatch):
    from tests.files import xlsx_bytes

    monkeypatch.setattr(bigdata, "MAX_ROWS", 50)
    rows = [["성명", "생년월일", "위기정보"], *[["홍길동", "1950-01-01", "단전"]] * 51]
    with pytest.raises(bigdata.FileRefused, match="50행까지"):
        do_import(setup, content=xlsx_bytes(rows), name="명단.xlsx")


def test_shared_reader_dates(setup):
    content = "성명,생년월일,위기정보\n이영희,1948.03.03,단전\n이영희2,19480303,단수\n이영희3,17595,단전\n".encode()
    result = do_import(setup, content=content)
    assert result.invalid == 0
    assert set(BigDataRow.objects.values_list("birth_date", flat=True)) == {datetime.date(1948, 3, 3)}
