"""주민등록번호 is never stored, logged or shown in clear (ARCHITECTURE: privacy).

Residents get known RRNs through every way in — the services, the CSV import, the HTML
forms and the API — and are then searched, viewed, edited, exported and revealed. After
that, both spellings of each number (`9001011234567`, `900101-1234567`) must be absent
from every column of every table (pghistory events and the access log included), from
the log output of the configured handler and of pytest's capture (SQL statements with
their parameters included), from every response except the deliberate, logged reveal,
from the Excel export, and from the 404/500 pages.
"""

import datetime
import io
import logging
import re
import sys
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.exception import response_for_exception
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Resident, Sex
from cases.services.exports import households_export
from cases.services.residents import resident_add, resident_update
from chatdong.accounts.roles import Role
from chatdong.audit.logging import RedactRRNFilter
from chatdong.audit.models import AccessLog
from chatdong.web.views import error_500
from tests.factories import HouseholdFactory, ResidentFactory, UserFactory

# One number per way in: (RRN, birth date, sex).
RRNS = {
    "service_add": ("900101-1234567", datetime.date(1990, 1, 1), Sex.MALE),
    "service_update": ("850505-2345678", datetime.date(1985, 5, 5), Sex.FEMALE),
    "import": ("770707-1357913", datetime.date(1977, 7, 7), Sex.MALE),
    "api_create": ("660606-2468024", datetime.date(1966, 6, 6), Sex.FEMALE),
    "api_update": ("480315-2736451", datetime.date(1948, 3, 15), Sex.FEMALE),
    "html_create": ("550505-1122334", datetime.date(1955, 5, 5), Sex.MALE),
}


def _forms(rrn: str) -> tuple[str, str]:
    digits = rrn.replace("-", "")
    return digits, f"{digits[:6]}-{digits[6:]}"


ALL_FORMS = [form for rrn, _, _ in RRNS.values() for form in _forms(rrn)]
CLEAR = re.compile("|".join(re.escape(f) for f in ALL_FORMS))


def _leaks(text: str) -> list[str]:
    return sorted(set(CLEAR.findall(text)))


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # xlsx: read the sheets, not the compressed bytes
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def _scan_database() -> dict[str, int]:
    """Every table of the public schema, each row cast to text: which tables hold a clear RRN."""
    pattern = "|".join(re.escape(f) for f in ALL_FORMS)
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        assert "audit_accesslog" in tables and any(t.endswith("event") for t in tables)
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}" AS t WHERE t::text ~ %s', [pattern])
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def _configured_handlers() -> list[logging.Handler]:
    """The root handlers from settings.LOGGING that carry the RRN filter (the console)."""
    return [
        h for h in logging.getLogger().handlers
        if any(isinstance(f, RedactRRNFilter) for f in h.filters)
    ]


@pytest.fixture
def log_capture(caplog):
    """(configured handler output, caplog) with SQL statements and their parameters logged too."""
    handlers = _configured_handlers()
    assert handlers, "settings.LOGGING must put the RRN filter on the root handler"
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in handlers]
    caplog.handler.addFilter(RedactRRNFilter())
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        yield buffer, caplog
    finally:
        connection.force_debug_cursor = False
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)


@pytest.mark.django_db
def test_rrns_never_appear_in_clear(log_capture, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    buffer, caplog = log_capture
    household = HouseholdFactory(address="통일로 100", address_detail="1층")
    dong = household.dong
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    leader = UserFactory(role=Role.TEAM_LEADER, dong=dong)
    responses = []  # (label, response) that must not show an RRN

    # --- the services ---------------------------------------------------------------------
    rrn, birth, sex = RRNS["service_add"]
    added = resident_add(actor=planner, household=household, rrn=rrn, name="김서비스", birth_date=birth, sex=sex)
    rrn, birth, sex = RRNS["service_update"]
    other = ResidentFactory(household=household, name="이수정", birth_date=birth, sex=sex)
    resident_update(actor=planner, resident=other, rrn=rrn.replace("-", ""), job="자영업")

    # --- the import (HTML upload → cases.services.imports) ---------------------------------
    html = Client(raise_request_exception=False)
    html.force_login(leader)
    rrn, birth, sex = RRNS["import"]
    csv_text = (
        "주소,상세주소,이름,생년월일,성별,주민등록번호\n"
        f"통일로 200,B01호,박가져옴,{birth.isoformat()},남,{rrn}\n"
    )
    upload = SimpleUploadedFile("가구.csv", csv_text.encode("utf-8"), content_type="text/csv")
    response = html.post(reverse("cases:import"), {"dong": dong.pk, "file": upload})
    assert response.status_code == 200, _text(response)[:2000]
    responses.append(("import", response))
    assert Resident.objects.filter(name="박가져옴", rrn_masked=f"{rrn[:8]}******").exists()
    # The same number again, with a birth date that does not match it: row errors on the page.
    bad = SimpleUploadedFile(
        "가구2.csv", f"주소,이름,생년월일,성별,주민등록번호\n통일로 201,최오류,1980-01-01,남,{rrn}\n".encode(),
        content_type="text/csv",
    )
    response = html.post(reverse("cases:import"), {"dong": dong.pk, "file": bad})
    assert response.status_code == 400
    responses.append(("import with errors", response))

    # --- the HTML forms ---------------------------------------------------------------------
    html_planner = Client(raise_request_exception=False)
    html_planner.force_login(planner)
    rrn, birth, sex = RRNS["html_create"]
    form = {"name": "정화면", "relation": "spouse", "birth_date": birth.isoformat(), "sex": sex, "living_together": "on",
            "disability": "none", "care_grade": "none", "rrn": rrn}
    response = html_planner.post(reverse("cases:resident_create", kwargs={"pk": household.pk}), form)
    assert response.status_code in (200, 302), _text(response)[:2000]
    responses.append(("html resident create", response))
    assert Resident.objects.filter(name="정화면", rrn_masked__startswith=rrn[:8]).exists()
    # Search by RRN: POST through the blind index, never in a URL.
    response = html_planner.post(reverse("cases:household_search"), {"rrn": RRNS["service_add"][0]})
    assert response.status_code == 200
    assert household.address in _text(response)
    # (the page itself is checked in test_html_forms_never_show_an_rrn below)
    response = html_planner.get(reverse("cases:household_detail", kwargs={"pk": household.pk}))
    assert response.status_code == 200
    responses.append(("html household page", response))

    # --- the API ----------------------------------------------------------------------------
    api = APIClient()
    api.force_authenticate(planner)
    rrn, birth, sex = RRNS["api_create"]
    response = api.post(
        reverse("api:resident-list"),
        {"household": household.pk, "name": "한에이피", "birth_date": birth.isoformat(), "sex": sex, "rrn": rrn},
        format="json",
    )
    assert response.status_code == 201
    responses.append(("api create", response))
    rrn, birth, sex = RRNS["api_update"]
    target = ResidentFactory(household=household, name="윤수정", birth_date=birth, sex=sex)
    response = api.patch(reverse("api:resident-detail", kwargs={"pk": target.pk}), {"rrn": rrn}, format="json")
    assert response.status_code == 200
    responses.append(("api update", response))
    # Wrong fields and a duplicate number: 400s that must not quote the number back.
    response = api.patch(reverse("api:resident-detail", kwargs={"pk": target.pk}),
                         {"rrn": RRNS["api_create"][0], "sex": RRNS["api_create"][0]}, format="json")
    assert response.status_code == 400
    responses.append(("api 400", response))
    for url in (reverse("api:resident-list"), reverse("api:resident-detail", kwargs={"pk": added.pk}),
                reverse("api:household-detail", kwargs={"pk": household.pk}),
                reverse("api:resident-list") + f"?household={household.pk}"):
        response = api.get(url)
        assert response.status_code == 200
        responses.append((f"api GET {url}", response))

    # --- the deliberate reveal: the number in this one response only, and logged -------------
    response = api.post(reverse("api:resident-rrn-reveal", kwargs={"pk": added.pk}), {"reason": "긴급지원 신청"},
                        format="json")
    assert response.json() == {"rrn": RRNS["service_add"][0]}
    response = html_planner.post(
        reverse("cases:resident_reveal", kwargs={"pk": household.pk, "resident_pk": other.pk}), {"reason": "서류 확인"}
    )
    assert RRNS["service_update"][0] in _text(response)
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL).count() == 2

    # --- the Excel export (service and screen) ----------------------------------------------
    content, count = households_export(actor=planner, households=household.__class__.objects.all(), reason="점검")
    assert count >= 1
    export_text = _text(type("R", (), {"streaming": False, "content": content})())
    assert household.address in export_text
    response = html_planner.post(reverse("cases:household_export"), {"reason": "폭염 안부 확인"})
    assert response.status_code == 200
    responses.append(("html export", response))

    # --- error pages: a 404 with the number in the URL, a 500 with it in the exception ---------
    response = html_planner.get(f"/cases/households/{RRNS['service_add'][0]}/")
    assert response.status_code == 404
    responses.append(("404 page", response))
    response = api.get(f"/api/v1/residents/{RRNS['service_add'][0].replace('-', '')}/")
    assert response.status_code == 404
    responses.append(("api 404", response))
    request = RequestFactory().get(f"/cases/households/?rrn={RRNS['service_add'][0]}")
    try:
        raise ValueError(f"주민등록번호 {RRNS['service_add'][0]} 처리 중 오류")
    except ValueError as exc:
        response = response_for_exception(request, exc)
    assert response.status_code == 500
    responses.append(("500 page", response))
    responses.append(("500 view", error_500(request)))

    # --- now prove it ------------------------------------------------------------------------
    problems = []
    for label, response in responses:
        leaked = _leaks(_text(response))
        if leaked:
            problems.append(f"response '{label}' contains {leaked}")
    if _leaks(export_text):
        problems.append(f"Excel export contains {_leaks(export_text)}")
    for table, rows in _scan_database().items():
        problems.append(f"table {table}: {rows} row(s) contain an RRN in clear")
    handler_output = buffer.getvalue()
    if _leaks(handler_output):
        problems.append(f"configured log handler output contains {_leaks(handler_output)}")
    if _leaks(caplog.text):
        problems.append(f"captured log records contain {_leaks(caplog.text)}")
    assert not problems, "\n".join(problems)

    # The checks above are not vacuous: the RRNs did reach the logs (masked) and the SQL log.
    assert "Internal Server Error" in handler_output and "900101-1******" in handler_output
    assert "INSERT INTO" in caplog.text


def test_every_log_handler_that_can_write_in_production_masks_rrns(settings):
    """A handler without the filter would print what the console handler masks (e.g. mail_admins)."""
    from django.utils.log import AdminEmailHandler, RequireDebugTrue

    handlers = {id(h): h for h in logging.getLogger().handlers}
    for name in list(logging.Logger.manager.loggerDict):
        if name == "django.server":
            continue  # runserver's request line log (development server only; gunicorn serves production)
        logger = logging.getLogger(name)
        handlers.update({id(h): h for h in getattr(logger, "handlers", [])})
    unfiltered = []
    for handler in handlers.values():
        if type(handler).__module__.startswith("_pytest") or isinstance(handler, logging.NullHandler):
            continue
        if isinstance(handler, AdminEmailHandler) and not django_settings.ADMINS:
            continue  # sends nothing without ADMINS
        if any(isinstance(f, RedactRRNFilter) for f in handler.filters):
            continue
        if any(isinstance(f, RequireDebugTrue) for f in handler.filters):
            continue  # development only
        unfiltered.append(f"{type(handler).__name__} {handler}")
    assert not unfiltered, unfiltered


@pytest.mark.django_db
def test_the_500_page_with_debug_off_shows_no_exception_text(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/cases/")
    try:
        raise RuntimeError("9001011234567 주민등록번호가 포함된 오류")
    except RuntimeError as exc:
        response = response_for_exception(request, exc)
    text = response.content.decode()
    assert response.status_code == 500
    assert "9001011234567" not in text and "900101-1234567" not in text
    assert "주민등록번호가 포함된 오류" not in text  # no exception text at all on the page
    assert sys.exc_info() == (None, None, None)


@pytest.mark.django_db
def test_html_forms_never_show_an_rrn(settings):
    """No RRN-shaped text on form pages: not as a placeholder or example (RRN scanners flag those
    pages), not echoed back from a refused search box, not in a form error."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    household = HouseholdFactory()
    planner = UserFactory(role=Role.PLANNER, dong=household.dong)
    rrn, birth, sex = RRNS["service_add"]
    resident_add(actor=planner, household=household, rrn=rrn, name="김서비스", birth_date=birth, sex=sex)
    client = Client(raise_request_exception=False)
    client.force_login(planner)
    pages = {
        "resident form": client.get(reverse("cases:resident_create", kwargs={"pk": household.pk})),
        "resident form with a mismatching birth date": client.post(
            reverse("cases:resident_create", kwargs={"pk": household.pk}),
            {"name": "정오류", "relation": "spouse", "birth_date": "1956-01-01", "sex": "M", "disability": "none",
             "care_grade": "none", "rrn": rrn},
        ),
        "resident form with a malformed number": client.post(
            reverse("cases:resident_create", kwargs={"pk": household.pk}),
            {"name": "정오류", "relation": "spouse", "birth_date": "1956-01-01", "sex": "M", "disability": "none",
             "care_grade": "none", "rrn": "12-34"},
        ),
        "search by RRN": client.post(reverse("cases:household_search"), {"rrn": rrn}),
        "text search refusing an RRN": client.get(reverse("cases:household_search"), {"q": rrn.replace("-", "")}),
    }
    leaks = {label: _leaks(_text(r)) for label, r in pages.items() if _leaks(_text(r))}
    assert not leaks, leaks
