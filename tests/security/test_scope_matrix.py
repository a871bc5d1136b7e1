"""The scope matrix: every household / resident / contact / report route, HTML and API, ×
every role × an object in the user's area and one outside it.

- Outside the area: 404 for GET and for POST with empty data, nothing in the database
  changes, and nothing of the outside object appears in any response.
- Inside the area: roles that may see personal data get 200 on every detail page and
  never 404 (a role-restricted action may answer 403); the city analyst gets 403/404
  everywhere and sees none of either area's data, not even in lists.
- Anonymous: the HTML redirects to the login page, the API answers 401.

Routes are enumerated from the URL resolver (tests/security/routes.py), so screens added
later are in the matrix automatically.
"""

import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.accounts.rules import can_see_personal_data
from tests.security import routes as route_registry

OBJECT_ROUTES = route_registry.object_routes()
PLAIN_ROUTES = route_registry.plain_routes()
ROLES = list(Role)
NONEXISTENT_PK = 2_000_000_000
ALL_ROLES_200 = {
    # Pages that show a record: every role that may see personal data must get them in scope.
    "cases:household_detail", "cases:report_detail", "cases:no_response_detail",
    "api:household-detail", "api:resident-detail", "api:contact-detail", "api:report-detail",
}


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _url(route, area) -> str:
    objects = area.objects()
    kwargs = {}
    for kwarg, model in route.kwargs.items():
        if model not in objects:
            pytest.skip(f"no {model.__name__} in the test world")
        kwargs[kwarg] = objects[model].pk
    return reverse(route.name, kwargs=kwargs)


def _missing_url(route) -> str:
    return reverse(route.name, kwargs=dict.fromkeys(route.kwargs, NONEXISTENT_PK))


def _body_text(response) -> str:
    """Response text, including the cells of an Excel file (markers would hide in the zip)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def _digest() -> str:
    """A fingerprint of every cases table (and the access log): a refused POST changes none of it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND (table_name LIKE 'cases\\_%%' OR table_name = 'audit_accesslog') "
            "ORDER BY table_name"
        )
        parts = []
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table}" t')
            parts.append(f"{table}:{cursor.fetchone()[0]}")
    return "\n".join(parts)


def _post(client, url):
    return client.post(url, {}, HTTP_ACCEPT="text/html")


def test_the_matrix_covers_every_object_route():
    """Routes with object kwargs the registry cannot map would silently escape the matrix."""
    unmapped = [f"{r.name} {r.route} {r.unmapped}" for r in OBJECT_ROUTES if r.unmapped]
    assert not unmapped, f"add these kwargs to tests/security/routes.py: {unmapped}"
    mismatched = [
        r.name for r in OBJECT_ROUTES
        if r.view_model is not None and r.view_model not in set(r.kwargs.values())
    ]
    assert not mismatched, f"path says one model, the view another: {mismatched}"
    names = {r.name for r in OBJECT_ROUTES}
    assert {"cases:household_detail", "api:household-detail", "api:resident-detail", "api:contact-detail",
            "api:report-detail", "cases:report_detail"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_object_route_scope(route, world):
    if route.unmapped:
        pytest.skip(f"unmapped kwargs {route.unmapped} (reported by test_the_matrix_covers_every_object_route)")
    failures: list[str] = []
    inside_url, outside_url, missing_url = _url(route, world.inside), _url(route, world.outside), _missing_url(route)
    inside_marker, outside_marker = world.inside.marker, world.outside.marker

    # Does the route answer GET at all? (POST-only views answer 405 whatever the object.)
    admin = _client(world.users[Role.ADMIN])
    post_only = admin.get(inside_url).status_code == 405

    for role in ROLES:
        user = world.users[role]
        client = _client(user)
        personal = can_see_personal_data(user)
        sees_outside = role == Role.ADMIN

        # --- in scope ---------------------------------------------------------------------
        if not post_only:
            response = client.get(inside_url)
            body = _body_text(response)
            status = response.status_code
            if not personal:
                if status not in (403, 404):
                    failures.append(f"{role} in-scope GET {inside_url} → {status} (expected 403/404)")
                if inside_marker in body or outside_marker in body:
                    failures.append(f"{role} in-scope GET {inside_url} shows personal data")
            elif route.name in ALL_ROLES_200 and status != 200:
                failures.append(f"{role} in-scope GET {inside_url} → {status} (expected 200)")
            elif status not in (200, 403):
                failures.append(f"{role} in-scope GET {inside_url} → {status} (expected 200, or 403 for the role)")
            if outside_marker in body and not sees_outside:
                failures.append(f"{role} in-scope GET {inside_url} shows the outside area's data")
        if not personal:
            # The analyst cannot write to an object in the area either (405: the route takes no POST).
            before = _digest()
            status = _post(client, inside_url).status_code
            if status not in (403, 404, 405):
                failures.append(f"{role} in-scope POST {inside_url} → {status} (expected 403/404/405)")
            if _digest() != before:
                failures.append(f"{role} in-scope POST {inside_url} changed the database")

        # --- out of scope -------------------------------------------------------------------
        if sees_outside:
            continue
        # The analyst may be refused by role (403) rather than by area (404): the same answer for
        # every object, so it reveals nothing.
        refused = (403, 404) if not personal else (404,)
        missing_get = client.get(missing_url).status_code
        response = client.get(outside_url)
        status = response.status_code
        if post_only:
            if status not in (405, *refused[:-1]) or status != missing_get:
                failures.append(f"{role} out-of-scope GET {outside_url} → {status} (POST-only route: expected 405)")
        elif status not in refused or status != missing_get:
            failures.append(f"{role} out-of-scope GET {outside_url} → {status} (expected 404; missing → {missing_get})")
        if outside_marker in _body_text(response):
            failures.append(f"{role} out-of-scope GET {outside_url} shows the outside object")

        before = _digest()
        response = _post(client, outside_url)
        status = response.status_code
        missing_post = _post(client, missing_url).status_code
        if status == 405:
            if missing_post != 405:
                failures.append(f"{role} out-of-scope POST {outside_url} → 405 but a missing object → {missing_post}")
        elif status not in refused or status != missing_post:
            failures.append(f"{role} out-of-scope POST {outside_url} → {status} (expected 404; missing → {missing_post})")
        if outside_marker in _body_text(response):
            failures.append(f"{role} out-of-scope POST {outside_url} shows the outside object")
        if _digest() != before:
            failures.append(f"{role} out-of-scope POST {outside_url} changed the database")

    # --- anonymous ------------------------------------------------------------------------
    anonymous = _client()
    for method in ("get", "post"):
        response = getattr(anonymous, method)(inside_url)
        status = response.status_code
        if route.name.startswith("api:"):
            ok = status == 401
        else:
            ok = (status == 302 and "/accounts/login/" in response["Location"]) or (method == "get" and post_only
                                                                                       and status == 405)
        if not ok:
            failures.append(f"anonymous {method.upper()} {inside_url} → {status}")

    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=str)
def test_list_routes_show_only_the_users_area(route, world):
    """Lists, searches, forms and exports: nothing from outside the area; nothing at all for the analyst."""
    url = reverse(route.name)
    failures = []
    for role in ROLES:
        user = world.users[role]
        response = _client(user).get(url)
        status = response.status_code
        body = _body_text(response)
        if status >= 500:
            failures.append(f"{role} GET {url} → {status}")
            continue
        if role != Role.ADMIN and world.outside.marker in body:
            failures.append(f"{role} GET {url} shows the outside area's data")
        if not can_see_personal_data(user):
            if world.inside.marker in body:
                failures.append(f"{role} GET {url} shows personal data")
            if route.name.startswith("api:") and status == 200 and response.json().get("results"):
                failures.append(f"{role} GET {url} lists rows")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in PLAIN_ROUTES if r.name.endswith("-list")], ids=str)
def test_api_lists_in_scope(route, world):
    """Each API list has the in-area object for area roles, both for the admin, none for the analyst."""
    resource = route.name.split(":")[1].removesuffix("-list")
    inside, outside = getattr(world.inside, resource).pk, getattr(world.outside, resource).pk
    for role in ROLES:
        response = _client(world.users[role]).get(reverse(route.name))
        assert response.status_code == 200, role
        ids = {row["id"] for row in response.json()["results"]}
        if role == Role.ADMIN:
            assert ids == {inside, outside}
        elif role == Role.CITY_ANALYST:
            assert ids == set()
        else:
            assert ids == {inside}, role
