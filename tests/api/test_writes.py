"""Writes through the API go through the cases services: same rules, same access-log rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, CrisisReport, Household, Resident, RiskTier, RiskTierChange
from chatdong.accounts.roles import Role
from chatdong.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def _iso(at: datetime.datetime) -> str:
    return at.isoformat()


# --- contacts --------------------------------------------------------------------------------

def test_contact_create_updates_the_households_next_due(world, api_for):
    household = world.inside.household
    Household.objects.filter(pk=household.pk).update(risk_tier=RiskTier.WATCH, next_contact_due=None)
    user = world.users[Role.PLANNER]
    nurse = world.users[Role.NURSE]
    occurred = timezone.now() - datetime.timedelta(hours=2)

    response = api_for(user).post(
        reverse("api:contact-list"),
        {
            "household": household.pk, "resident": world.inside.resident.pk, "mode": "visit",
            "occurred_at": _iso(occurred), "staff": [user.pk, nurse.pk], "companions": ["tong_leader"],
            "outcome": "met", "checklist": {"safety": "ok", "health": "concern"}, "notes": "안부 확인",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get(pk=body["id"])
    assert set(contact.staff.values_list("pk", flat=True)) == {user.pk, nurse.pk}
    assert contact.checklist == {"safety": "ok", "health": "concern"}
    assert body["checklist"] == {"safety": "ok", "health": "concern"}

    household.refresh_from_db()
    # 주의 (watch): monthly cadence from the policy, counted from this contact.
    assert household.last_contact_at == occurred
    assert household.next_contact_due == timezone.localdate(occurred) + datetime.timedelta(days=30)
    assert AccessLog.objects.filter(
        user=user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk, action=AccessLog.Action.CREATE
    ).exists()


def test_contact_staff_defaults_to_the_requesting_user(world, api_for):
    user = world.users[Role.NURSE]
    response = api_for(user).post(
        reverse("api:contact-list"),
        {"household": world.inside.household.pk, "mode": "phone", "occurred_at": _iso(timezone.now()),
         "outcome": "met"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["staff"] == [user.pk]


def test_contact_for_an_out_of_scope_household_is_refused_like_a_missing_one(world, api_for):
    client = api_for(world.users[Role.PLANNER])
    before = Contact.objects.count()
    hidden = client.post(
        reverse("api:contact-list"),
        {"household": world.outside.household.pk, "mode": "phone", "occurred_at": _iso(timezone.now()),
         "outcome": "met"},
        format="json",
    )
    missing = client.post(
        reverse("api:contact-list"),
        {"household": 10**9, "mode": "phone", "occurred_at": _iso(timezone.now()), "outcome": "met"},
        format="json",
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["household"][0].replace(str(world.outside.household.pk), "X") == \
        missing.json()["household"][0].replace(str(10**9), "X")
    assert Contact.objects.count() == before


def test_contact_service_rules_come_back_as_korean_field_errors(world, api_for):
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:contact-list"),
        {"household": world.inside.household.pk, "mode": "visit",
         "occurred_at": _iso(timezone.now() + datetime.timedelta(days=2)), "outcome": "met"},
        format="json",
    )
    assert response.status_code == 400
    assert "현재보다 뒤" in response.json()["occurred_at"][0]


def test_contact_rejects_a_resident_of_another_household(world, api_for, make_user):
    from tests.factories import HouseholdFactory, ResidentFactory

    other = ResidentFactory(household=HouseholdFactory(dong=world.inside.dong))
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:contact-list"),
        {"household": world.inside.household.pk, "resident": other.pk, "mode": "phone",
         "occurred_at": _iso(timezone.now()), "outcome": "met"},
        format="json",
    )
    assert response.status_code == 400
    assert "이 가구의 가구원이 아닙니다" in response.json()["resident"][0]


def test_city_analyst_cannot_write(world, api_for):
    client = api_for(world.users[Role.CITY_ANALYST])
    payloads = {
        "api:contact-list": {"household": world.inside.household.pk, "mode": "phone",
                             "occurred_at": _iso(timezone.now()), "outcome": "met"},
        "api:report-list": {"dong": world.inside.dong.pk, "channel": "hotline", "address": "어딘가",
                            "situation": "상황"},
        "api:household-list": {"dong": world.inside.dong.pk, "address": "어딘가"},
        "api:resident-list": {"household": world.inside.household.pk, "name": "가", "birth_date": "1950-01-01",
                              "sex": "F"},
    }
    for name, payload in payloads.items():
        response = client.post(reverse(name), payload, format="json")
        assert response.status_code == 403, name
        assert "통계만" in response.json()["detail"]


# --- crisis reports --------------------------------------------------------------------------

def test_report_create_lands_in_the_dong_queue(world, api_for):
    user = world.users[Role.COUNSELLOR]
    response = api_for(user).post(
        reverse("api:report-list"),
        {"dong": world.inside.dong.pk, "channel": "meter_reader", "address": "통일로 1 반지하",
         "situation": "검침원: 우편물이 쌓여 있음", "reporter_name": "김검침", "reporter_phone": "010-9876-5432",
         "consent": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    report = CrisisReport.objects.get(pk=body["id"])
    assert (report.dong, report.status, report.created_by) == (world.inside.dong, "new", user)
    assert report.reporter_phone == "01098765432"
    assert body["reference"] and len(body["reference"]) == 9


def test_report_without_consent_keeps_no_reporter_data(world, api_for):
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:report-list"),
        {"dong": world.inside.dong.pk, "channel": "hotline", "address": "어딘가", "situation": "상황",
         "reporter_name": "익명 아님"},
        format="json",
    )
    assert response.status_code == 400
    assert "동의" in response.json()["consent"][0]


def test_report_for_another_dong_is_refused(world, api_for):
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:report-list"),
        {"dong": world.outside.dong.pk, "channel": "hotline", "address": "어딘가", "situation": "상황"},
        format="json",
    )
    assert response.status_code == 400
    assert "dong" in response.json()


# --- households and residents ------------------------------------------------------------------

def test_household_create_and_patch(world, api_for):
    user = world.users[Role.PLANNER]
    client = api_for(user)
    response = client.post(
        reverse("api:household-list"),
        {"dong": world.inside.dong.pk, "tong": world.inside.tong.pk, "address": "통일로 7", "housing_type": "rooftop",
         "benefits": ["livelihood", "medical"], "risk_tier": "high", "tier_reason": "독거 어르신, 중증 질환"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["risk_tier"], body["benefits"]) == ("high", ["livelihood", "medical"])
    assert RiskTierChange.objects.filter(household_id=body["id"], to_tier="high").exists()

    patched = client.patch(
        reverse("api:household-detail", kwargs={"pk": body["id"]}), {"address_detail": "옥탑"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["address_detail"] == "옥탑"
    assert patched.json()["housing_type"] == "rooftop"  # untouched by a partial update


def test_household_patch_out_of_scope_is_404_and_changes_nothing(world, api_for):
    household = world.outside.household
    response = api_for(world.users[Role.PLANNER]).patch(
        reverse("api:household-detail", kwargs={"pk": household.pk}), {"address": "바뀜"}, format="json"
    )
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.address != "바뀜"


def test_household_tong_of_another_dong_is_refused(world, api_for):
    response = api_for(world.users[Role.ADMIN]).post(
        reverse("api:household-list"),
        {"dong": world.inside.dong.pk, "tong": world.outside.tong.pk, "address": "통일로 7"},
        format="json",
    )
    assert response.status_code == 400
    assert "소속이 아닙니다" in response.json()["tong"][0]


def test_risk_tier_change_needs_a_reason_and_records_history(world, api_for):
    client = api_for(world.users[Role.TEAM_LEADER])
    url = reverse("api:household-risk-tier", kwargs={"pk": world.inside.household.pk})
    assert client.post(url, {"to_tier": "high", "reason": ""}, format="json").status_code == 400
    response = client.post(url, {"to_tier": "high", "reason": "무응답 반복"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["risk_tier"] == "high"
    assert response.json()["next_contact_due"] is not None
    assert RiskTierChange.objects.get(household=world.inside.household).reason == "무응답 반복"
    outside = reverse("api:household-risk-tier", kwargs={"pk": world.outside.household.pk})
    assert client.post(outside, {"to_tier": "high", "reason": "x"}, format="json").status_code == 404


def test_resident_create_stores_the_rrn_encrypted_and_answers_masked(world, api_for):
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:resident-list"),
        {"household": world.inside.household.pk, "name": "박영희", "birth_date": "1950-03-15", "sex": "F",
         "rrn": "500315-2345678"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rrn_masked"] == "500315-2******"
    assert "rrn" not in body and "rrn_ciphertext" not in body and "rrn_index" not in body
    assert "2345678" not in response.content.decode()
    resident = Resident.objects.get(pk=body["id"])
    assert resident.rrn_ciphertext and "500315" not in resident.rrn_ciphertext


def test_resident_rrn_must_match_the_birth_date(world, api_for):
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:resident-list"),
        {"household": world.inside.household.pk, "name": "박영희", "birth_date": "1951-03-15", "sex": "F",
         "rrn": "500315-2345678"},
        format="json",
    )
    assert response.status_code == 400
    assert "생년월일" in response.json()["rrn"][0]
    assert "2345678" not in response.content.decode()


def test_resident_patch_keeps_the_rrn_when_none_is_sent(world, api_for):
    from cases.services.residents import resident_set_rrn

    resident = world.inside.resident
    resident.birth_date = datetime.date(1945, 8, 15)
    resident.save()
    resident_set_rrn(resident=resident, rrn="450815-1234561")
    response = api_for(world.users[Role.NURSE]).patch(
        reverse("api:resident-detail", kwargs={"pk": resident.pk}), {"health_notes": "고혈압"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["rrn_masked"] == "450815-1******"
    assert response.json()["health_notes"] == "고혈압"


def test_rrn_reveal_needs_a_reason_is_logged_and_not_cached(world, api_for):
    from cases.services.residents import resident_set_rrn

    resident = world.inside.resident
    resident.birth_date = datetime.date(1945, 8, 15)
    resident.save()
    resident_set_rrn(resident=resident, rrn="450815-1234561")
    user = world.users[Role.PLANNER]
    client = api_for(user)
    url = reverse("api:resident-rrn-reveal", kwargs={"pk": resident.pk})

    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL).exists()

    response = client.post(url, {"reason": "긴급지원 신청서 작성"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"rrn": "450815-1234561"}
    assert response["Cache-Control"] == "no-store"
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert (log.user, log.subject_id, log.reason) == (user, resident.pk, "긴급지원 신청서 작성")

    outside = reverse("api:resident-rrn-reveal", kwargs={"pk": world.outside.resident.pk})
    assert client.post(outside, {"reason": "x"}, format="json").status_code == 404
    assert api_for(world.users[Role.CITY_ANALYST]).post(url, {"reason": "x"}, format="json").status_code == 404


def test_validation_errors_never_echo_an_rrn(world, api_for):
    """A mistyped RRN in a choice field would be quoted back by DRF; the handler masks it."""
    response = api_for(world.users[Role.PLANNER]).post(
        reverse("api:contact-list"),
        {"household": world.inside.household.pk, "mode": "900101-1234567", "occurred_at": _iso(timezone.now()),
         "outcome": "9001011234567"},
        format="json",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "1234567" not in text
    assert "900101-1******" in text
