"""The public report page (/report/): no login, consent, honeypot, throttling, CSRF."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cases.models import CrisisReport, ReportChannel, ReportStatus
from chatdong.accounts.roles import Role
from tests.factories import DongFactory, GuFactory, HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

URL = "/report/"


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def _data(the_dong, **overrides):
    data = {
        "gu": the_dong.gu_id,
        "dong": the_dong.pk,
        "address": "은평로 12 반지하",
        "situation": "혼자 사시는 어르신이 며칠째 보이지 않고 우편물이 쌓여 있어요.",
        "reporter_name": "",
        "reporter_phone": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_page_opens_without_login_and_states_consent_terms(client, dong):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("개인정보 수집·이용 동의", "수집·이용 목적", "수집 항목", "보유·이용 기간", "동의를 거부할 권리"):
        assert text in html
    assert f'value="{dong.gu_id}"' in html
    assert 'name="viewport"' in html


def test_only_gus_with_dongs_are_offered(client, dong):
    empty_gu = GuFactory()
    html = client.get(URL).content.decode()
    assert dong.gu.name in html
    assert empty_gu.name not in html


def test_report_lands_in_the_right_dong_queue(client, dong, other_dong, make_user):
    response = client.post(URL, _data(dong, reporter_name="김제보", reporter_phone="010-1234-5678"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:report_done")
    report = CrisisReport.objects.get()
    assert report.dong == dong
    assert report.channel == ReportChannel.PUBLIC_WEB
    assert report.status == ReportStatus.NEW
    assert report.consent is True
    assert report.reporter_phone == "01012345678"
    assert report.created_by is None
    assert report.reference and report.reference != str(report.pk)

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert report.reference in done.content.decode()
    assert "고맙습니다" in done.content.decode()

    staff = make_user(role=Role.PLANNER, dong=dong)
    staff_client = Client()
    staff_client.force_login(staff)
    queue = staff_client.get(reverse("cases:report_list"), {"queue": "unassigned"})
    assert report.reference in queue.content.decode()

    outsider = make_user(role=Role.PLANNER, dong=other_dong)
    outsider_client = Client()
    outsider_client.force_login(outsider)
    assert report.reference not in outsider_client.get(reverse("cases:report_list")).content.decode()
    assert outsider_client.get(reverse("cases:report_detail", args=[report.pk])).status_code == 404


def test_anonymous_report_is_allowed(client, dong):
    assert client.post(URL, _data(dong)).status_code == 302
    report = CrisisReport.objects.get()
    assert report.reporter_name == "" and report.reporter_phone == ""


def test_missing_consent_is_refused_in_korean_and_nothing_written(client, dong):
    data = _data(dong)
    del data["consent"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "개인정보 수집·이용에 동의해야 제보할 수 있습니다." in response.content.decode()
    assert not CrisisReport.objects.exists()


def test_missing_place_and_situation_are_refused(client, dong):
    response = client.post(URL, _data(dong, address="", situation=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "주소나 위치를 입력하세요." in html
    assert "어떤 어려움이 있는지 입력하세요." in html
    assert not CrisisReport.objects.exists()


def test_dong_must_belong_to_the_chosen_gu(client, dong, other_dong):
    response = client.post(URL, _data(dong, dong=other_dong.pk))
    assert response.status_code == 400
    assert "선택한 구에 속한 동을 선택하세요." in response.content.decode()
    assert not CrisisReport.objects.exists()


def test_bad_phone_is_refused(client, dong):
    response = client.post(URL, _data(dong, reporter_phone="12"))
    assert response.status_code == 400
    assert "연락처 형식이 올바르지 않습니다." in response.content.decode()
    assert not CrisisReport.objects.exists()


def test_honeypot_rejects_bots(client, dong):
    response = client.post(URL, _data(dong, website="http://spam.example"))
    assert response.status_code == 400
    assert not CrisisReport.objects.exists()


def test_throttle_per_ip(client, dong, settings):
    settings.PUBLIC_REPORT_LIMIT = 5
    for _ in range(5):
        assert client.post(URL, _data(dong), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(URL, _data(dong), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "잠시 후 다시 제보해 주세요" in response.content.decode()
    assert CrisisReport.objects.count() == 5
    # Another address is not affected.
    assert client.post(URL, _data(dong), REMOTE_ADDR="203.0.113.8").status_code == 302
    assert CrisisReport.objects.count() == 6


def test_invalid_submissions_do_not_use_up_the_limit(client, dong, settings):
    settings.PUBLIC_REPORT_LIMIT = 2
    data = _data(dong)
    del data["consent"]
    for _ in range(3):
        assert client.post(URL, data, REMOTE_ADDR="203.0.113.9").status_code == 400
    assert client.post(URL, _data(dong), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_csrf_is_enforced(dong):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(URL, _data(dong))
    assert response.status_code == 403
    assert not CrisisReport.objects.exists()
    # With the token from the page, the same submission goes through.
    csrf_client.get(URL)
    token = csrf_client.cookies["csrftoken"].value
    assert csrf_client.post(URL, {**_data(dong), "csrfmiddlewaretoken": token}).status_code == 302


def test_dong_options_follow_the_gu(client):
    gu = GuFactory()
    a, b = DongFactory(gu=gu), DongFactory(gu=gu)
    elsewhere = DongFactory()
    html = client.get(reverse("public:dong_options"), {"gu": gu.pk}).content.decode()
    assert a.name in html and b.name in html
    assert elsewhere.name not in html


def test_done_page_without_a_report_goes_back_to_the_form(client):
    response = client.get(reverse("public:report_done"))
    assert response.status_code == 302
    assert response["Location"] == URL


def test_public_pages_reveal_no_household_data(client, dong):
    household = HouseholdFactory(dong=dong, address="비공개로 12길 34")
    ResidentFactory(household=household, name="홍비밀")
    response = client.post(URL, _data(dong, address="비공개로 12길 34"))
    pages = [client.get(URL), client.get(response["Location"]),
             client.get(reverse("public:dong_options"), {"gu": dong.gu_id})]
    for page in pages:
        html = page.content.decode()
        assert "홍비밀" not in html
        assert "비공개로 12길 34" not in html


def test_large_ids_are_not_localised(client):
    # USE_THOUSAND_SEPARATOR is on: an id rendered as "12,345" would break the form.
    gu = GuFactory(id=54321)
    dong = DongFactory(id=123456, gu=gu)
    html = client.get(URL).content.decode()
    assert 'value="54321"' in html and 'value="123456"' in html
    assert 'value="123456"' in client.get(reverse("public:dong_options"), {"gu": gu.pk}).content.decode()
    assert client.post(URL, _data(dong)).status_code == 302
    assert CrisisReport.objects.get().dong == dong
