"""Every asset is served from this site: no CDN, no web font, no remote @import."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from chatdong.accounts.roles import Role

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "action", "data") and value:
                self.urls.append((tag, name, value))


def urls_in(html: str) -> list[tuple[str, str, str]]:
    parser = LinkCollector()
    parser.feed(html)
    return parser.urls


def assert_local(html: str) -> list[str]:
    """No src/href points at another host; every /static/ file exists. Returns static paths."""
    statics = []
    for tag, attr, url in urls_in(html):
        assert not re.match(r"^(https?:)?//", url), f"<{tag} {attr}> loads from another host: {url}"
        if url.startswith(settings.STATIC_URL):
            path = url[len(settings.STATIC_URL) :].split("?")[0]
            assert finders.find(path), f"missing static file {path}"
            statics.append(path)
    return statics


@pytest.mark.django_db
def test_login_page_uses_only_local_assets(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    statics = assert_local(response.text)
    # The page really is built on the vendored KRDS, htmx and our own files.
    for expected in (
        "vendor/krds/css/krds.min.css",
        "vendor/krds/fonts/pretendard-gov.css",
        "vendor/htmx/htmx.min.js",
        "css/chatdong.css",
        "js/chatdong.js",
    ):
        assert expected in statics


@pytest.mark.parametrize("url_name", ["web:home", "policy:list", "audit:list"])
def test_signed_in_pages_use_only_local_assets(client_for, staff, url_name):
    response = client_for(staff[Role.ADMIN]).get(reverse(url_name))
    assert response.status_code == 200
    assert_local(response.text)


def test_error_pages_use_only_local_assets(client, rf):
    from chatdong.web.views import error_500

    assert_local(error_500(rf.get("/")).content.decode())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_local(response.text)


def stylesheets():
    return sorted(STATIC_DIR.rglob("*.css"))


@pytest.mark.parametrize("path", stylesheets(), ids=lambda p: str(p.relative_to(STATIC_DIR)))
def test_stylesheets_load_nothing_from_other_hosts(path):
    css = path.read_text(encoding="utf-8")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), f"{path} has a remote url()"
    assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", css), f"{path} imports a remote stylesheet"
    # Every local url() in the stylesheet resolves to a vendored file.
    for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css):
        if ref.startswith("data:"):
            continue
        assert (path.parent / ref).resolve().is_file(), f"{path}: url({ref}) is not vendored"


def test_vendored_packages_are_the_expected_majors_with_licenses():
    htmx = (STATIC_DIR / "vendor/htmx/htmx.min.js").read_text(encoding="utf-8")
    assert re.search(r'version:"2\.\d+\.\d+"', htmx), "htmx 2.x expected"
    chart = (STATIC_DIR / "vendor/chartjs/chart.umd.min.js").read_text(encoding="utf-8")
    assert re.search(r"Chart\.js v4\.\d+\.\d+", chart), "Chart.js 4.x expected"
    assert "sourceMappingURL" not in htmx + chart
    for licence in ("krds/LICENSE.md", "krds/fonts/OFL.txt", "htmx/LICENSE", "chartjs/LICENSE.md"):
        assert (STATIC_DIR / "vendor" / licence).is_file(), licence
    # Only the package's built files: no source maps, no SCSS, no demo pages.
    leftovers = [p for p in (STATIC_DIR / "vendor").rglob("*") if p.suffix in (".map", ".scss", ".html")]
    assert leftovers == []


def test_htmx_requests_carry_the_csrf_token_from_the_page(staff):
    """The token in <body hx-headers> is accepted by CSRF-protected views (htmx sends it)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff[Role.PLANNER])
    page = client.get(reverse("web:home")).text
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([A-Za-z0-9]+)\"\}'", page)
    assert token, "base.html must set the CSRF header for htmx"
    refused = client.post(reverse("accounts:logout"), headers={"HX-Request": "true"})
    assert refused.status_code == 403
    accepted = client.post(
        reverse("accounts:logout"), headers={"HX-Request": "true", "X-CSRFToken": token.group(1)}
    )
    assert accepted.status_code == 302
    assert "_auth_user_id" not in client.session
