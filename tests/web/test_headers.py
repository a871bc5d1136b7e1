"""Security headers: a Content-Security-Policy without inline script on every page, and
`Cache-Control: no-store` on everything a signed-in user or an API client gets."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from chatdong.accounts.roles import Role
from chatdong.web import navigation

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def _assert_strict(response, url):
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"], url
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], url
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"], url
    if url != reverse("api-docs"):  # Swagger UI styles its widgets inline (see chatdong/urls.py)
        assert policy["style-src"] == ["'self'"], url


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_menu_page_has_the_policy_and_is_not_stored(staff, client, role):
    client.force_login(staff[role])
    urls = [reverse(item.url_name) for item in navigation.items_for(staff[role])]
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)
        assert _no_store(response), url
        assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/report/", "/no-such-page/"])
def test_anonymous_pages_have_the_policy_and_are_not_stored(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    _assert_strict(response, url)
    assert _no_store(response)


@pytest.mark.django_db
def test_api_answers_to_a_token_are_not_stored(staff):
    token, _ = Token.objects.get_or_create(user=staff[Role.ADMIN])
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/households/")
    assert response.status_code == 200
    assert _no_store(response)
    assert _no_store(client.get("/api/v1/households/", HTTP_AUTHORIZATION="Token wrong"))


@pytest.mark.django_db
def test_a_signed_in_user_is_not_stored_even_where_a_view_asked_for_caching(staff, client, rf):
    from chatdong.web.headers import NoStoreMiddleware

    def cached_view(request):
        from django.http import HttpResponse

        response = HttpResponse("ok")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = staff[Role.PLANNER]
    cc = NoStoreMiddleware(cached_view)(request)["Cache-Control"]
    assert "no-store" in cc and "public" not in cc and "max-age=0" in cc

    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert NoStoreMiddleware(cached_view)(request)["Cache-Control"] == "public, max-age=3600"


def test_a_nonce_is_in_the_header_only_where_a_page_used_it(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def uses_nonce(request):
        return HttpResponse(f'<style nonce="{request.csp_nonce}">p {{}}</style>')

    def plain(request):
        return HttpResponse("<p>")

    response = CSPMiddleware(uses_nonce)(rf.get("/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert _policy(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert _policy(CSPMiddleware(plain)(rf.get("/")))["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_static_files_keep_their_caching(client):
    response = client.get("/static/js/chatdong.js")
    assert response.status_code == 200
    assert not _no_store(response)
    assert "Content-Security-Policy" not in response


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
# A <style> block must carry the request's CSP nonce.
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>|<[a-z][^>]*\sstyle\s*=\s*[\"']", re.I)


def _templates():
    for root in TEMPLATE_DIRS:
        yield from sorted(root.rglob("*.html"))


def test_no_template_has_an_inline_script_handler_or_style():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            offenders += [f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert offenders == []
