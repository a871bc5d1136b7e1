"""The provider registry is kept by administrators in the Django admin (Korean checks)."""

import pytest
from django.urls import reverse

from cases.care_sos.models import CareProvider
from chatdong.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_provider_and_area_mistakes_are_explained(client, gu, dong, far_dong):
    client.force_login(UserFactory(role=Role.ADMIN, dong=None, gu=None))
    url = reverse("admin:care_sos_careprovider_add")
    assert client.get(reverse("admin:care_sos_careprovider_changelist")).status_code == 200
    data = {"name": "새 재가센터", "kind": "home_care_agency", "care_kinds": ["emergency"], "gu": gu.pk,
            "dong": far_dong.pk, "active": "on"}
    response = client.post(url, data)
    assert response.status_code == 200 and f"{far_dong.name}은(는) {gu.name} 소속 동이 아닙니다." in response.content.decode()
    assert client.post(url, {**data, "dong": dong.pk}).status_code == 302
    provider = CareProvider.objects.get(name="새 재가센터")
    assert (provider.gu, provider.dong, provider.care_kinds) == (gu, dong, ["emergency"])


@pytest.mark.parametrize("role", [Role.CARE_MANAGER, Role.GU_COORDINATOR, Role.CITY_ANALYST])
def test_others_do_not_reach_the_registry_admin(client, dong, role):
    user = UserFactory(role=role, dong=dong if role == Role.CARE_MANAGER else None,
                       gu=dong.gu if role == Role.GU_COORDINATOR else None)
    client.force_login(user)
    response = client.get(reverse("admin:care_sos_careprovider_changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_admin_reaches_the_registry_from_the_providers_page_and_old_addresses(client, gu, dong):
    provider = CareProvider.objects.create(name="옛 주소 재가센터", kind="home_care_agency", gu=gu)
    client.force_login(UserFactory(role=Role.ADMIN, dong=None, gu=None))
    page = client.get(reverse("cases:care_sos_providers")).content.decode()
    assert reverse("admin:care_sos_careprovider_changelist") in page

    # Before Care SOS had its own app the registry lived under /admin/cases/.
    old = client.get(f"/admin/cases/careprovider/{provider.pk}/change/?_changelist_filters=active")
    assert old.status_code == 301
    assert old.url == f"{reverse('admin:care_sos_careprovider_change', args=[provider.pk])}?_changelist_filters=active"
    assert client.get(old.url).status_code == 200
