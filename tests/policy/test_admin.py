"""Admins edit thresholds in the Django admin; every write goes through the services."""

import datetime
import json

import pytest
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.policy import read
from chatdong.policy.models import MedianIncome, PolicyThreshold
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
ADD_URL = reverse("admin:policy_policythreshold_add")
LIST_URL = reverse("admin:policy_policythreshold_changelist")


def change_url(row):
    return reverse("admin:policy_policythreshold_change", args=[row.pk])


def delete_url(row):
    return reverse("admin:policy_policythreshold_delete", args=[row.pk])


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def form_data(**overrides):
    data = {
        "key": "test.visit_days",
        "label": "시험 방문 주기",
        "value": "5",
        "unit": "일",
        "valid_from": "",
        "source": "운영위원회 결정(시험)",
        "note": "",
        "_save": "저장",
    }
    data.update(overrides)
    return data


def snapshot(key):
    rows = PolicyThreshold.objects.filter(key=key).order_by("valid_from")
    return list(rows.values_list("pk", "value", "valid_from", "valid_to"))


def test_admin_sees_the_list_with_seeds(admin_client):
    response = admin_client.get(LIST_URL, {"q": "care_sos"})
    assert response.status_code == 200
    assert "care_sos.visit_deadline_hours" in response.text


def test_new_version_link_prefills_the_add_form(admin_client, in_force):
    page = admin_client.get(change_url(in_force))
    assert page.status_code == 200
    assert "이 기준의 새 버전 등록" in page.text
    response = admin_client.get(ADD_URL, {"key": in_force.key, "label": in_force.label, "unit": "일", "value": "7"})
    form = response.context["adminform"].form
    assert form.initial["key"] == in_force.key
    assert form.initial["unit"] == "일"
    assert form.initial["value"] == 7


def test_adding_a_version_closes_the_previous_one(admin_client, admin_user, in_force, today):
    start = today + 7 * DAY
    response = admin_client.post(ADD_URL, form_data(valid_from=start.isoformat()))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    in_force.refresh_from_db()
    assert in_force.valid_to == start - DAY
    new = PolicyThreshold.objects.get(key=in_force.key, valid_from=start)
    assert (new.value, new.created_by, new.source) == (5, admin_user, "운영위원회 결정(시험)")
    assert read(in_force.key, on=start) == 5
    # The history names the admin.
    page = admin_client.get(change_url(new))
    assert "변경 이력" in page.text and admin_user.display_name in page.text


@pytest.mark.parametrize(
    ("start_offset", "message"),
    [(-1, "이미 지난 날짜"), (0, "기간이 겹칩니다")],
)
def test_refusals_are_shown_on_the_form_and_nothing_changes(admin_client, in_force, today, start_offset, message):
    # A version starting today exists already, so a second one today overlaps it.
    PolicyThreshold.objects.filter(pk=in_force.pk).update(valid_to=today - DAY)
    PolicyThreshold.objects.create(key=in_force.key, value=6, source="문서", valid_from=today)
    before = snapshot(in_force.key)
    response = admin_client.post(ADD_URL, form_data(valid_from=(today + start_offset * DAY).isoformat()))
    assert response.status_code == 200
    assert message in response.text
    assert snapshot(in_force.key) == before


def test_bad_json_value_is_refused(admin_client, in_force, today):
    before = snapshot(in_force.key)
    response = admin_client.post(ADD_URL, form_data(value="{nope", valid_from=(today + DAY).isoformat()))
    assert response.status_code == 200
    assert snapshot(in_force.key) == before


def test_a_version_in_force_is_read_only(admin_client, in_force, today):
    page = admin_client.get(change_url(in_force))
    assert page.status_code == 200
    assert 'name="value"' not in page.text  # shown, not editable
    assert delete_url(in_force) not in page.text
    response = admin_client.post(change_url(in_force), form_data(value="99", valid_from=in_force.valid_from.isoformat()))
    assert response.status_code == 403
    assert admin_client.post(delete_url(in_force), {"post": "yes"}).status_code == 403
    in_force.refresh_from_db()
    assert in_force.value == 7


def test_a_scheduled_version_can_be_edited(admin_client, in_force, today):
    admin_client.post(ADD_URL, form_data(valid_from=(today + 20 * DAY).isoformat()))
    scheduled = PolicyThreshold.objects.get(key=in_force.key, valid_from=today + 20 * DAY)
    page = admin_client.get(change_url(scheduled))
    assert 'name="value"' in page.text
    response = admin_client.post(
        change_url(scheduled),
        form_data(value=json.dumps(4), valid_from=(today + 10 * DAY).isoformat(), source="고친 근거"),
    )
    assert response.status_code == 302
    scheduled.refresh_from_db()
    in_force.refresh_from_db()
    assert (scheduled.value, scheduled.valid_from, scheduled.source) == (4, today + 10 * DAY, "고친 근거")
    assert in_force.valid_to == today + 9 * DAY


def test_editing_a_scheduled_version_into_the_past_is_refused(admin_client, in_force, today):
    admin_client.post(ADD_URL, form_data(valid_from=(today + 20 * DAY).isoformat()))
    scheduled = PolicyThreshold.objects.get(key=in_force.key, valid_from=today + 20 * DAY)
    before = snapshot(in_force.key)
    response = admin_client.post(change_url(scheduled), form_data(valid_from=(today - 3 * DAY).isoformat()))
    assert response.status_code == 200
    assert "이미 지난 날짜" in response.text
    assert snapshot(in_force.key) == before


def test_a_scheduled_version_can_be_withdrawn(admin_client, in_force, today):
    admin_client.post(ADD_URL, form_data(valid_from=(today + 20 * DAY).isoformat()))
    scheduled = PolicyThreshold.objects.get(key=in_force.key, valid_from=today + 20 * DAY)
    response = admin_client.post(delete_url(scheduled), {"post": "yes"})
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.valid_to is None
    page = admin_client.get(change_url(in_force))
    assert "삭제" in page.text  # the withdrawal is in the key's history


def test_bulk_delete_is_not_offered(admin_client):
    response = admin_client.get(LIST_URL)
    assert "delete_selected" not in response.text


def test_median_income_admin_and_import_page(admin_client):
    row = MedianIncome.objects.get(year=2024, household_size=4)
    assert admin_client.get(reverse("admin:policy_medianincome_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:policy_medianincome_change", args=[row.pk])).status_code == 200
    assert admin_client.get(reverse("admin:policy_medianincome_import")).status_code == 200


@pytest.mark.parametrize("role", [Role.PLANNER, Role.GU_COORDINATOR, Role.CITY_ANALYST, Role.TEAM_LEADER])
def test_non_admins_get_no_access(client, role, in_force, today):
    client.force_login(UserFactory(role=role))
    for url in (LIST_URL, ADD_URL, change_url(in_force), reverse("admin:policy_medianincome_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    client.post(ADD_URL, form_data(valid_from=(today + DAY).isoformat()))
    assert PolicyThreshold.objects.filter(key="test.visit_days").count() == 1
