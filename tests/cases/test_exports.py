import io

import pytest
from openpyxl import load_workbook

from cases.models import Household, Resident
from chatdong.audit.models import AccessLog
from tests.factories import HouseholdFactory, ResidentFactory

RRN = "480315-2345678"


def _all_text(wb) -> str:
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def test_export_requires_reason(client, planner, household, resident):
    client.force_login(planner)
    response = client.post("/cases/households/export/", {"q": "홍길순", "reason": "  "})
    assert response.status_code == 400
    assert "내보내기 사유를 입력하세요" in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_export_search_results(client, planner, household, resident, dong, other_dong, today):
    from chatdong.policy.models import MedianIncome

    MedianIncome.objects.get_or_create(year=today.year, household_size=1,
                                       defaults={"monthly_krw": 2_564_238, "source": "test"})
    Household.objects.filter(pk=household.pk).update(income_ratio=30, benefits=["livelihood"])
    HouseholdFactory(dong=other_dong, address="서울특별시 은평구 통일로 999")  # out of scope
    client.force_login(planner)
    response = client.post("/cases/households/export/", {"q": "통일로", "reason": "폭염 안부 확인 명단"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["가구 목록"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["관할 동", "통", "반", "실거주 주소"]
    assert "가구주 주민등록번호" in headers and "추정 소득인정액(월)" in headers
    assert ws.max_row == 2  # header + the one in-scope household
    row = {h: c for h, c in zip(headers, ws[2], strict=True)}
    assert row["가구주 주민등록번호"].value == "480315-2******"
    assert row["기준중위소득(월)"].number_format == '#,##0"원"'
    assert row["기준중위소득(월)"].value > 0
    assert row["추정 소득인정액(월)"].value == round(row["기준중위소득(월)"].value * 0.3)
    assert row["수급·지원"].value == "생계급여"
    text = _all_text(wb)
    assert "2345678" not in text and "통일로 999" not in text

    listing = AccessLog.objects.get(action="export", subject_type="list")
    assert listing.user == planner and "폭염 안부 확인 명단" in listing.reason and "1건" in listing.reason
    assert AccessLog.objects.filter(action="export", subject_type="household", household_id=household.pk).exists()


def test_export_worklist(client, team_leader, dong, today):
    for i in range(3):
        h = HouseholdFactory(dong=dong, next_contact_due=today)
        ResidentFactory(household=h)
    HouseholdFactory(dong=dong, next_contact_due=None)
    client.force_login(team_leader)
    response = client.post("/cases/worklist/export/", {"assigned": "all", "reason": "주간 방문 계획"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["가구 목록"]
    assert ws.max_row == 4
    assert "내 업무 3건" in AccessLog.objects.get(action="export", subject_type="list").reason
    response = client.post("/cases/worklist/export/", {"assigned": "all", "reason": ""})
    assert response.status_code == 400 and "내보내기 사유를 입력하세요" in response.content.decode()


def test_export_median_for_eight_persons_follows_the_policy_rule(client, planner, household, today):
    """Above 7 persons: the 7-person figure plus (7-person − 6-person) per extra person."""
    from chatdong.policy.models import MedianIncome

    for size, krw in ((6, 7_000_000), (7, 7_600_000)):
        MedianIncome.objects.update_or_create(year=today.year, household_size=size,
                                              defaults={"monthly_krw": krw, "source": "test"})
    for _ in range(8):
        ResidentFactory(household=household)
    Household.objects.filter(pk=household.pk).update(income_ratio=50)
    client.force_login(planner)
    response = client.post("/cases/households/export/", {"q": "통일로", "reason": "대가족 지원 검토"})
    ws = load_workbook(io.BytesIO(response.content))["가구 목록"]
    row = {c.value: v for c, v in zip(ws[1], ws[2], strict=True)}
    assert row["가구원 수"].value == 8
    assert row["기준중위소득(월)"].value == 8_200_000
    assert row["추정 소득인정액(월)"].value == 4_100_000


def test_export_rows_carry_the_request_ip_path_and_id(client, planner, household, resident):
    client.force_login(planner)
    response = client.post(
        "/cases/households/export/", {"q": "통일로", "reason": "폭염 안부 확인 명단"},
        REMOTE_ADDR="10.7.7.7", HTTP_X_REQUEST_ID="export-trace-42",
    )
    assert response.status_code == 200
    rows = AccessLog.objects.filter(action="export")
    assert rows.count() == 2  # the list row and the household row
    assert {(r.ip, r.path, r.request_id) for r in rows} == {("10.7.7.7", "/cases/households/export/", "export-trace-42")}
    assert rows.get(subject_type="household").user == planner


# --- formula injection ---------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example","클릭")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _assert_text(cell, typed):
    assert cell.data_type == "s", (cell.value, cell.data_type)
    # XML hands a bare CR back as LF; what matters is the apostrophe in front.
    assert cell.value == "'" + typed.replace("\r", "\n")


@pytest.mark.parametrize("typed", HOSTILE)
def test_search_export_writes_user_text_as_text(client, planner, household, resident, typed):
    Household.objects.filter(pk=household.pk).update(address_detail=typed, registered_address=typed)
    Resident.objects.filter(pk=resident.pk).update(name=typed)
    client.force_login(planner)
    response = client.post("/cases/households/export/", {"q": "통일로", "reason": typed + " 사유"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["가구 목록"]
    headers = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(headers, ws[2], strict=True)}
    for header in ("상세 주소", "주민등록상 주소", "가구주"):
        _assert_text(row[header], typed)
    assert row["가구원 수"].data_type == "n" and row["가구원 수"].value == 1  # numbers stay numbers
    info = {r[0].value: r[1] for r in wb["내보내기 정보"].iter_rows()}
    _assert_text(info["사유"], typed.strip() + " 사유")
    assert info["건수"].data_type == "n"
    assert not any(c.data_type == "f" for ws in wb.worksheets for r in ws.iter_rows() for c in r)


def test_worklist_export_writes_user_text_as_text(client, team_leader, dong, today):
    h = HouseholdFactory(dong=dong, next_contact_due=today, address=HOSTILE[0], address_detail="=1+1")
    ResidentFactory(household=h, name="@홍길동")
    client.force_login(team_leader)
    response = client.post("/cases/worklist/export/", {"assigned": "all", "reason": "=WEBSERVICE(\"x\")"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert not any(c.data_type == "f" for c in cells)
    values = {c.value for c in cells}
    assert {"'" + HOSTILE[0], "'=1+1", "'@홍길동", "'=WEBSERVICE(\"x\")"} <= values


def test_median_income_admin_export_writes_text(db):
    from import_export.formats.base_formats import XLSX

    from chatdong.policy.admin import MedianIncomeResource
    from chatdong.policy.models import MedianIncome

    MedianIncome.objects.update_or_create(year=2099, household_size=1,
                                          defaults={"monthly_krw": 1_000_000, "source": "=HYPERLINK(\"x\")"})
    dataset = MedianIncomeResource().export(MedianIncome.objects.filter(year=2099))
    wb = load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    header, row = list(wb.active.iter_rows(min_row=1, max_row=2))
    source = dict(zip([c.value for c in header], row, strict=True))["source"]
    assert source.data_type == "s" and source.value == "'=HYPERLINK(\"x\")"
    assert not any(c.data_type == "f" for c in row)
