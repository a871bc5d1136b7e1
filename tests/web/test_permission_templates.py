"""Templates ask permissions (rules-registered perms), never a role: the provider registry's
edit link and the outreach tab bar."""

import pytest
from django.urls import reverse

from chatdong.accounts.roles import Role

pytestmark = pytest.mark.django_db
EDIT_LINK = "관리자 화면에서 편집"


@pytest.mark.parametrize("role", list(Role))
def test_the_provider_edit_link_is_for_admins(client_for, staff, role):
    body = client_for(staff[role]).get(reverse("cases:care_sos_providers")).content.decode()
    assert (EDIT_LINK in body) is (role == Role.ADMIN), role


@pytest.mark.parametrize("role", [Role.CITY_ANALYST, Role.PLANNER, Role.GU_COORDINATOR])
def test_the_outreach_tabs_hide_visit_tasks_from_the_city_analyst(client_for, staff, role):
    response = client_for(staff[role]).get(reverse("outreach:campaign_list"))
    assert response.status_code == 200
    tab = f'href="{reverse("outreach:task_list")}"'
    assert (tab in response.content.decode()) is (role != Role.CITY_ANALYST), role
