"""The shell's menu highlights one section; radio/checkbox group labels are visible legends."""

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.web.context_processors import active_url
from chatdong.web.context_processors import navigation as navigation_context


def active_labels(rf, user, path: str) -> list[str]:
    request = rf.get(path)
    request.user = user
    return [item["label"] for item in navigation_context(request)["nav_items"] if item["active"]]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/cases/households/new/", "/cases/households/new/"),
        ("/cases/households/", "/cases/households/"),
        ("/cases/households/12/", "/cases/households/"),
        ("/policy/x/", "/policy/"),
        ("/", "/"),
        ("/nowhere/", None),
    ],
)
def test_active_url_is_the_longest_matching_prefix(path, expected):
    urls = ["/", "/cases/households/", "/cases/households/new/", "/policy/"]
    assert active_url(path, urls) == expected


def test_household_registration_highlights_only_its_own_entry(rf, staff):
    planner = staff[Role.PLANNER]
    assert active_labels(rf, planner, reverse("cases:household_create")) == ["가구 등록"]
    assert active_labels(rf, planner, reverse("cases:household_search")) == ["가구 찾기"]
    assert active_labels(rf, planner, "/") == ["홈"]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_at_most_one_entry_is_active_on_every_menu_page(rf, staff, role):
    user = staff[role]
    request = rf.get("/")
    request.user = user
    for item in navigation_context(request)["nav_items"]:
        for path in (item["url"], item["url"] + "1/", item["url"] + "new/"):
            assert len(active_labels(rf, user, path)) <= 1, path
        assert active_labels(rf, user, item["url"]) == [item["label"]]


class GroupForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="주거 형태", choices=[("a", "고시원"), ("b", "옥탑방")], widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(
        label="상담 방법", choices=[("v", "방문"), ("p", "전화")], widget=forms.RadioSelect, required=False
    )


def test_group_labels_are_marked_visible_legends():
    html = render_to_string("includes/form.html", {"form": GroupForm()})
    legends = re.findall(r"<legend class=\"([^\"]*)\">(.*?)</legend>", html, flags=re.S)
    assert [(cls, re.sub(r"<[^>]+>", "", text)) for cls, text in legends] == [
        ("form-tit cd-legend", "주거 형태*(필수)"),
        ("form-tit cd-legend", "상담 방법"),
    ]


def test_stylesheet_shows_marked_legends_over_krds():
    css = Path(finders.find("css/chatdong.css")).read_text(encoding="utf-8")
    rule = re.search(r"legend\.cd-legend[^{]*\{([^}]*)\}", css)
    assert rule, "chatdong.css has no rule for legend.cd-legend"
    body = rule.group(1)
    # Each property KRDS forces on `legend` is undone with !important (same importance, higher specificity).
    for prop in ("position", "width", "height", "overflow", "clip", "white-space", "margin"):
        assert re.search(rf"(^|[;\s]){prop}:[^;]*!important", body), prop
