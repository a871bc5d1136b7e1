import datetime

from django.utils import timezone

from cases.models import Contact
from chatdong.audit.models import AccessLog

D = datetime.timedelta


def _url(h, suffix):
    return f"/cases/households/{h.pk}/{suffix}"


def test_contact_form_defaults(client, planner, household, nurse):
    client.force_login(planner)
    response = client.get(_url(household, "contacts/new/"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["mode"].value() == "visit"
    assert abs(form["occurred_at"].value() - timezone.localtime().replace(tzinfo=None)) < D(minutes=2)
    assert list(form.fields["joint"].queryset) == [nurse]
    body = response.content.decode()
    for label in ("안전 및 생활환경", "신체·정신 건강", "돌봄 체계", "사회적 관계", "서비스 이용 확인", "서비스 연계 필요"):
        assert label in body
    assert AccessLog.objects.filter(action="view", household_id=household.pk).exists()


def test_full_contact_joint_visit(client, planner, household, nurse, resident):
    client.force_login(planner)
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "mode": "visit", "occurred_at": now.strftime("%Y-%m-%dT%H:%M"), "outcome": "met", "resident": resident.pk,
        "joint": [nurse.pk], "companions": ["tong_leader"], "check_safety": "ok", "check_health": "problem",
        "needs_found": "난방비 부담", "notes": "보일러 고장으로 난방 못 함", "next_action": "긴급지원 신청",
        "next_action_on": (now.date() + D(days=3)).isoformat(),
    }
    response = client.post(_url(household, "contacts/new/"), data)
    assert response.status_code == 302
    c = Contact.objects.get()
    assert set(c.staff.all()) == {planner, nurse}
    assert c.checklist == {"safety": "ok", "health": "problem"}
    assert (c.resident, c.outcome, c.companions) == (resident, "met", ["tong_leader"])
    household.refresh_from_db()
    assert household.next_contact_due == now.date() + D(days=3)
    body = client.get(_url(household, "")).content.decode()
    assert "보건·복지 동행" in body and "보일러 고장" in body


def test_contact_form_errors_in_korean_save_nothing(client, planner, household):
    client.force_login(planner)
    future = (timezone.localtime() + D(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_url(household, "contacts/new/"), {"mode": "visit", "outcome": "met", "occurred_at": future,
                                                              "next_action_on": "2020-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "무엇을 할지 적어 주세요" in body
    response = client.post(_url(household, "contacts/new/"), {"mode": "visit", "outcome": "met", "occurred_at": future})
    assert "현재보다 뒤" in response.content.decode()
    assert not Contact.objects.exists()


def test_quick_not_home_without_js_redirects(client, planner, household, today):
    client.force_login(planner)
    response = client.post(_url(household, "contacts/not-home/"))
    assert response.status_code == 302 and response["Location"] == _url(household, "")
    c = Contact.objects.get()
    assert (c.mode, c.outcome, c.next_action_on) == ("visit", "not_home", today + D(days=2))
    assert list(c.staff.all()) == [planner]
    assert "부재(스티커 부착)를 기록했습니다" in client.get(response["Location"]).content.decode()


def test_quick_not_home_with_htmx_swaps_timeline(client, planner, household):
    client.force_login(planner)
    response = client.post(_url(household, "contacts/not-home/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="timeline"' in body and "부재(스티커 부착)" in body
    assert 'id="household-status" aria-labelledby="status-title" hx-swap-oob="true"' in body
    assert 'id="quick-message" hx-swap-oob="true"' in body
    assert "<html" not in body


def test_quick_refused_with_companion(client, planner, household, today):
    client.force_login(planner)
    response = client.post(_url(household, "contacts/refused/"), {"companion": "landlord"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    c = Contact.objects.get()
    assert (c.outcome, c.next_action, c.next_action_on) == ("refused", "동행 재방문 (집주인)", today + D(days=7))
    revisit = (today + D(days=3)).isoformat()
    client.post(_url(household, "contacts/refused/"), {"companion": "family", "revisit_on": revisit})
    assert Contact.objects.latest("pk").next_action_on == today + D(days=3)


def test_quick_refused_without_companion_is_an_error(client, planner, household):
    client.force_login(planner)
    response = client.post(_url(household, "contacts/refused/"), {}, HTTP_HX_REQUEST="true")
    assert "동행자를 선택하세요" in response.content.decode()
    assert not Contact.objects.exists()


def test_quick_refused_buttons_read_as_korean(client, planner, household):
    # The buttons read "가족와(과) 재방문" (a particle left to the reader); they name the companion.
    client.force_login(planner)
    body = client.get(f"/cases/households/{household.pk}/").content.decode()
    assert "와(과)" not in body
    assert "가족 동행 재방문" in body and "경찰 동행 재방문" in body
