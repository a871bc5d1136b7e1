import datetime

from cases.models import Household, Resident, RiskTierChange
from chatdong.audit.models import AccessLog
from tests.factories import CrisisReportFactory

RRN = "480315-2345678"


def _url(h, suffix=""):
    return f"/cases/households/{h.pk}/{suffix}"


def test_page_shows_members_masked_and_logs_view(client, planner, household, resident):
    client.force_login(planner)
    response = client.get(_url(household))
    body = response.content.decode()
    assert response.status_code == 200
    assert "홍길순" in body and "480315-2******" in body
    assert "2345678" not in body
    row = AccessLog.objects.get(action="view", subject_type="household")
    assert (row.subject_id, row.household_id, row.user_id) == (household.pk, household.pk, planner.pk)


def test_every_view_is_logged(client, planner, household):
    client.force_login(planner)
    for _ in range(3):
        client.get(_url(household))
    assert AccessLog.objects.filter(action="view", household_id=household.pk).count() == 3


def test_out_of_scope_household_is_404(client, outsider, household, resident):
    client.force_login(outsider)
    for suffix in ("", "edit/", "contacts/new/", f"residents/{resident.pk}/edit/"):
        assert client.get(_url(household, suffix)).status_code == 404, suffix
    for suffix in ("contacts/not-home/", "contacts/refused/", "tier/", f"residents/{resident.pk}/reveal/"):
        assert client.post(_url(household, suffix), {"reason": "x", "companion": "family"}).status_code == 404, suffix
    assert not AccessLog.objects.filter(household_id=household.pk).exists()


def test_city_analyst_gets_404(client, make_user, household):
    client.force_login(make_user(role="city_analyst"))
    assert client.get(_url(household)).status_code == 404


def test_address_mismatch_flag(client, planner, household):
    Household.objects.filter(pk=household.pk).update(registered_address="서울특별시 마포구 다른로 1")
    client.force_login(planner)
    assert "주소 미이전" in client.get(_url(household)).content.decode()


def test_reveal_requires_reason_and_logs(client, planner, household, resident):
    client.force_login(planner)
    url = _url(household, f"residents/{resident.pk}/reveal/")
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "사유를 입력하세요" in response.content.decode()
    assert RRN not in response.content.decode()
    assert not AccessLog.objects.filter(action="reveal").exists()

    response = client.post(url, {"reason": "긴급복지 신청서 작성"})
    body = response.content.decode()
    assert response.status_code == 200
    assert RRN in body
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    row = AccessLog.objects.get(action="reveal")
    assert (row.subject_type, row.subject_id, row.reason) == ("resident", resident.pk, "긴급복지 신청서 작성")
    assert RRN.replace("-", "") not in row.path and RRN not in row.path
    # The next plain view shows the masked number again.
    assert RRN not in client.get(_url(household)).content.decode()


def test_timeline_merges_sources(client, planner, household, dong):
    from cases.services.contacts import contact_not_home_quick
    from cases.services.households import risk_tier_change

    contact_not_home_quick(actor=planner, household=household)
    risk_tier_change(actor=planner, household=household, to_tier="high", reason="건강 악화")
    CrisisReportFactory(dong=dong, household=household, situation="우편물이 쌓여 있음")
    client.force_login(planner)
    body = client.get(_url(household)).content.decode()
    assert 'data-kind="contact"' in body and 'data-kind="tier_change"' in body and 'data-kind="crisis_report"' in body
    assert "우편물이 쌓여 있음" in body and "건강 악화" in body


def test_household_edit_invalid_saves_nothing(client, planner, household):
    client.force_login(planner)
    response = client.post(_url(household, "edit/"), {"address": "", "housing_type": "castle", "tenure": "owned",
                                                        "income_ratio": "abc"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "필수 항목" in body and "올바르게 선택해 주세요" in body
    household.refresh_from_db()
    assert household.address == "서울특별시 은평구 통일로 123"
    assert not AccessLog.objects.filter(action="update").exists()


def test_household_edit_saves_and_logs(client, planner, household, nurse):
    client.force_login(planner)
    data = {"address": "서울특별시 은평구 통일로 125", "address_detail": "1층", "housing_type": "rooftop",
            "tenure": "monthly_rent", "benefits": ["livelihood", "medical"], "income_ratio": "28.5",
            "cutoffs": ["gas"], "planner": planner.pk, "nurse": nurse.pk, "registered_address": "", "note": ""}
    response = client.post(_url(household, "edit/"), data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.benefits, household.cutoffs) == ("서울특별시 은평구 통일로 125",
                                                                         ["livelihood", "medical"], ["gas"])
    assert AccessLog.objects.filter(action="update", household_id=household.pk).exists()


def test_household_create_then_add_resident(client, planner, dong):
    client.force_login(planner)
    response = client.post("/cases/households/new/", {
        "dong": dong.pk, "address": "서울특별시 은평구 불광로 7", "housing_type": "gosiwon", "tenure": "monthly_rent",
        "risk_tier": "high", "tier_reason": "",
    })
    assert response.status_code == 400
    assert "사유를 입력하세요" in response.content.decode()
    assert not Household.objects.exists()
    response = client.post("/cases/households/new/", {
        "dong": dong.pk, "address": "서울특별시 은평구 불광로 7", "housing_type": "gosiwon", "tenure": "monthly_rent",
        "risk_tier": "high", "tier_reason": "고시원 독거",
    })
    h = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(h, "residents/new/")
    assert h.risk_tier == "high" and RiskTierChange.objects.filter(household=h).count() == 1

    data = {"name": "정철수", "relation": "head", "birth_date": "1950-01-02", "sex": "M", "living_together": "on",
            "disability": "none", "care_grade": "none", "rrn": "500102-1234567"}
    assert client.post(_url(h, "residents/new/"), data).status_code == 302
    r = Resident.objects.get()
    assert r.rrn_masked == "500102-1******"
    # Same RRN again: Korean error, nothing saved.
    response = client.post(_url(h, "residents/new/"), {**data, "name": "중복"})
    assert response.status_code == 400
    assert "이미 등록된 주민등록번호" in response.content.decode()
    assert Resident.objects.count() == 1


def test_resident_edit_keeps_rrn_when_blank(client, planner, household, resident):
    client.force_login(planner)
    data = {"name": "홍길순", "relation": "head", "birth_date": "1948-03-15", "sex": "F", "living_together": "on",
            "disability": "severe", "care_grade": "3", "rrn": "", "phone": "010-1111-2222"}
    assert client.post(_url(household, f"residents/{resident.pk}/edit/"), data).status_code == 302
    resident.refresh_from_db()
    assert resident.rrn_masked == "480315-2******" and resident.disability == "severe"
    bad = {**data, "birth_date": "1948-13-40"}
    response = client.post(_url(household, f"residents/{resident.pk}/edit/"), bad)
    assert response.status_code == 400 and "올바른 날짜" in response.content.decode()
    resident.refresh_from_db()
    assert resident.birth_date == datetime.date(1948, 3, 15)


def test_tier_change_view(client, planner, household):
    client.force_login(planner)
    response = client.post(_url(household, "tier/"), {"to_tier": "high", "reason": ""})
    assert response.status_code == 400 and "등급 변경 사유를 입력하세요" in response.content.decode()
    response = client.post(_url(household, "tier/"), {"to_tier": "high", "reason": "독거 고령, 건강 악화"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.risk_tier == "high"
    assert "독거 고령, 건강 악화" in client.get(_url(household)).content.decode()


def test_registration_page_offers_import_only_to_importers(client, planner, team_leader):
    # The bulk-import page is for team leaders and admins; a planner following the link got 403.
    client.force_login(planner)
    body = client.get("/cases/households/new/").content.decode()
    assert "/cases/import/" not in body
    client.force_login(team_leader)
    body = client.get("/cases/households/new/").content.decode()
    assert 'href="/cases/import/"' in body
    assert client.get("/cases/import/").status_code == 200
