import pytest
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.web import navigation
from chatdong.web.context_processors import navigation as navigation_context

# What each role finds in the main menu among the screens that exist so far. Later apps add
# items; these must stay as they are.
EXPECTED = {
    "홈": set(Role),
    "정책 기준값": {Role.ADMIN, Role.GU_COORDINATOR, Role.CITY_ANALYST, Role.TEAM_LEADER},
    "열람기록": {Role.ADMIN},
    "직원 관리": {Role.ADMIN},
    "API 문서": {Role.ADMIN, Role.CITY_ANALYST},
}


@pytest.mark.parametrize("role", list(Role))
def test_items_for_each_role(staff, role):
    labels = {item.label for item in navigation.items_for(staff[role])}
    for label, roles in EXPECTED.items():
        assert (label in labels) == (role in roles), f"{role.label}: {label}"


def test_anonymous_and_unknown_roles_get_no_menu(staff, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert navigation.items_for(AnonymousUser()) == []
    odd = staff[Role.PLANNER]
    odd.role = "no_such_role"
    assert navigation.items_for(odd) == []


def test_superuser_gets_the_admin_menu(db):
    from tests.factories import UserFactory

    root = UserFactory(role=Role.CITY_ANALYST, is_superuser=True)
    labels = {item.label for item in navigation.items_for(root)}
    assert {"열람기록", "직원 관리"} <= labels


def test_context_marks_the_current_section_active_on_sub_pages(rf, staff):
    request = rf.get("/policy/care_sos.visit_deadline_hours/")
    request.user = staff[Role.ADMIN]
    items = {item["label"]: item for item in navigation_context(request)["nav_items"]}
    assert items["정책 기준값"]["active"] is True
    assert items["홈"]["active"] is False  # "/" is only active on the home page itself
    assert items["정책 기준값"]["url"] == reverse("policy:list")


def test_items_whose_url_does_not_exist_are_left_out(rf, staff, monkeypatch):
    monkeypatch.setattr(
        navigation, "NAV_ITEMS", [*navigation.NAV_ITEMS, navigation.NavItem("없는 화면", "nope:nothing", navigation.ALL_STAFF)]
    )
    request = rf.get("/")
    request.user = staff[Role.PLANNER]
    labels = [item["label"] for item in navigation_context(request)["nav_items"]]
    assert "없는 화면" not in labels
    assert labels[0] == "홈"


def test_register_adds_once_and_can_insert_before_an_item(monkeypatch):
    monkeypatch.setattr(navigation, "NAV_ITEMS", list(navigation.NAV_ITEMS))
    item = navigation.NavItem("업무 목록", "web:home-test", navigation.DONG_WORK, "오늘 할 일")
    navigation.register(item, before="policy:list")
    navigation.register(item, before="policy:list")
    names = [i.url_name for i in navigation.NAV_ITEMS]
    assert names.count("web:home-test") == 1
    assert names.index("web:home-test") == names.index("policy:list") - 1
