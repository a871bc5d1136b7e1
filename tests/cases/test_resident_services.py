import datetime

import pytest
from django.core.exceptions import ValidationError

from cases import crypto
from cases.models import Resident
from cases.services.residents import resident_add, resident_rrn_reveal, resident_update
from chatdong.audit.models import AccessLog

BIRTH = datetime.date(1951, 7, 2)


def _add(household, actor, rrn="510702-1234567", **kw):
    fields = {"name": "박영수", "relation": "head", "birth_date": BIRTH, "sex": "M", **kw}
    return resident_add(actor=actor, household=household, rrn=rrn, **fields)


def test_rrn_is_stored_encrypted_indexed_and_masked(household, planner):
    r = _add(household, planner)
    r.refresh_from_db()
    assert r.rrn_masked == "510702-1******"
    assert r.rrn_index == crypto.blind_index("5107021234567")
    assert "5107021234567" not in r.rrn_ciphertext and "1234567" not in r.rrn_ciphertext
    assert crypto.decrypt_rrn(r.rrn_ciphertext) == "510702-1234567"
    assert AccessLog.objects.filter(subject_type="resident", subject_id=r.pk, action="create").exists()


def test_duplicate_rrn_refused_in_korean(household, planner, dong):
    _add(household, planner)
    with pytest.raises(ValidationError) as exc:
        _add(household, planner, rrn="510702 1234567", name="다른 사람")
    assert "이미 등록된 주민등록번호" in str(exc.value)
    assert Resident.objects.filter(name="다른 사람").count() == 0


def test_duplicate_rrn_on_update_refused(household, planner):
    _add(household, planner)
    other = _add(household, planner, rrn="", name="배우자", birth_date=datetime.date(1953, 1, 1), sex="F")
    with pytest.raises(ValidationError) as exc:
        resident_update(actor=planner, resident=other, rrn="510702-1234567", birth_date=BIRTH)
    assert "이미 등록된" in str(exc.value)
    other.refresh_from_db()
    assert other.rrn_index is None and other.birth_date == datetime.date(1953, 1, 1)


def test_rrn_must_match_birth_date(household, planner):
    with pytest.raises(ValidationError) as exc:
        _add(household, planner, rrn="520702-1234567")
    assert "생년월일" in str(exc.value)
    assert not Resident.objects.exists()


def test_malformed_rrn_refused(household, planner):
    with pytest.raises(ValidationError) as exc:
        _add(household, planner, rrn="51-07")
    assert "형식" in str(exc.value)


def test_reveal_needs_reason_and_is_logged(household, planner):
    r = _add(household, planner)
    with pytest.raises(ValidationError):
        resident_rrn_reveal(actor=planner, resident=r, reason=" ")
    assert not AccessLog.objects.filter(action="reveal").exists()
    assert resident_rrn_reveal(actor=planner, resident=r, reason="긴급복지 신청서 작성") == "510702-1234567"
    row = AccessLog.objects.get(action="reveal")
    assert (row.subject_type, row.subject_id, row.household_id, row.reason) == (
        "resident", r.pk, household.pk, "긴급복지 신청서 작성"
    )


def test_future_birth_date_and_bad_phone_are_refused(household, planner):
    # The resident form saved a birth date in 2090 and the phone "abc" as they were.
    with pytest.raises(ValidationError) as exc:
        _add(household, planner, rrn="", birth_date=datetime.date(2090, 2, 3), phone="abc")
    assert exc.value.message_dict == {
        "birth_date": ["생년월일이 오늘보다 뒤입니다."],
        "phone": ["연락처 형식이 올바르지 않습니다. 예: 010-1234-5678"],
    }
    assert not Resident.objects.exists()
    r = _add(household, planner, rrn="", phone="010-1234-5678")
    with pytest.raises(ValidationError) as exc:
        resident_update(actor=planner, resident=r, phone="12")
    assert "phone" in exc.value.message_dict
    r.refresh_from_db()
    assert r.phone == "010-1234-5678"
    resident_update(actor=planner, resident=r, job="경비")  # other edits don't re-check what wasn't sent


def test_resident_form_shows_the_errors_and_saves_nothing(client, household, planner):
    client.force_login(planner)
    response = client.post(f"/cases/households/{household.pk}/residents/new/", {
        "name": "최큐에이", "relation": "head", "sex": "F", "disability": "none", "care_grade": "none",
        "birth_date": "2090-02-03", "phone": "abc",
    })
    body = response.content.decode()
    assert response.status_code == 400
    assert "생년월일이 오늘보다 뒤입니다." in body and "연락처 형식이 올바르지 않습니다" in body
    assert not Resident.objects.exists()
