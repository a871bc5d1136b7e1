"""One 65·70 universal campaign per dong and year: a second one would give every resident of
the cohort a second visit task. The service refuses it with a Korean message on the form; the
database refuses it too, whoever writes the rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from chatdong.accounts.roles import Role
from outreach.models import Campaign, CampaignKind
from outreach.services.campaigns import campaign_create
from tests.factories import DongFactory, UserFactory
from tests.outreach.factories import CampaignFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def dongs(db):
    return DongFactory(name="갑동"), DongFactory(name="을동")


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMIN)


def _create(actor, dongs, *, name="보편방문", year=YEAR, kind=CampaignKind.UNIVERSAL):
    return campaign_create(actor=actor, kind=kind, name=name, year=year, dongs=list(dongs))


def test_a_second_universal_campaign_for_a_dong_and_year_is_refused(outreach_policy, admin, dongs):
    first_dong, second_dong = dongs
    _create(admin, [first_dong], name="2025 보편방문 갑동")
    with pytest.raises(ValidationError) as caught:
        _create(admin, [first_dong, second_dong], name="2025 보편방문 다시")
    message = caught.value.message_dict["dongs"][0]
    assert "2025년 보편방문(65·70세) 캠페인이 이미 있습니다" in message
    assert "갑동은(는) 이미 '2025 보편방문 갑동' 캠페인의 대상입니다" in message
    assert not Campaign.objects.filter(name="2025 보편방문 다시").exists()


def test_city_wide_overlaps_every_dong(outreach_policy, admin, dongs):
    first_dong, second_dong = dongs
    _create(admin, [], name="서울시 전체")
    with pytest.raises(ValidationError, match="'서울시 전체' 캠페인이 이미 서울시 전체를 대상으로 합니다"):
        _create(admin, [second_dong], name="을동만")
    Campaign.objects.filter(name="서울시 전체").delete()
    _create(admin, [first_dong], name="갑동만")
    with pytest.raises(ValidationError, match="서울시 전체를 대상으로 하면 '갑동만' 캠페인과 겹칩니다"):
        _create(admin, [], name="서울시 전체 다시")


def test_other_dongs_years_and_kinds_are_allowed(outreach_policy, admin, dongs):
    first_dong, second_dong = dongs
    _create(admin, [first_dong], name="갑동")
    _create(admin, [second_dong], name="을동")
    _create(admin, [first_dong], name="갑동 내년", year=YEAR + 1)
    _create(admin, [first_dong], name="하절기", kind=CampaignKind.SUMMER)
    assert Campaign.objects.filter(kind=CampaignKind.UNIVERSAL).count() == 3


def test_the_form_shows_the_refusal(client, outreach_policy, dongs):
    first_dong, _ = dongs
    leader = UserFactory(role=Role.TEAM_LEADER, dong=first_dong)
    CampaignFactory(kind=CampaignKind.UNIVERSAL, name="기존 보편방문", year=YEAR, dongs=[first_dong])
    client.force_login(leader)
    response = client.post(reverse("outreach:campaign_create"), {
        "kind": CampaignKind.UNIVERSAL, "name": "새 보편방문", "year": YEAR, "dongs": [first_dong.pk], "due_days": 30,
    })
    assert response.status_code == 200
    assert "갑동은(는) 이미 &#x27;기존 보편방문&#x27; 캠페인의 대상입니다" in response.content.decode()
    assert response.context["form"].errors["dongs"]
    assert not Campaign.objects.filter(name="새 보편방문").exists()


def _check_now():
    """The rule is checked at COMMIT (a campaign's dongs are written after the campaign);
    inside the test's transaction, run the pending checks now, then defer again."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_the_database_refuses_a_duplicate_written_past_the_service(dongs):
    first_dong, second_dong = dongs
    CampaignFactory(kind=CampaignKind.UNIVERSAL, name="갑동 보편방문", year=YEAR, dongs=[first_dong])
    _check_now()
    overlap = "보편방문 캠페인 \"갑동 보편방문\"과\\(와\\) 대상 동이 겹칩니다"
    with pytest.raises(IntegrityError, match=overlap), transaction.atomic():
        CampaignFactory(kind=CampaignKind.UNIVERSAL, name="중복", year=YEAR, dongs=[second_dong, first_dong])
        _check_now()
    # a city-wide one (no dongs) overlaps too
    with pytest.raises(IntegrityError, match="대상 동이 겹칩니다"), transaction.atomic():
        CampaignFactory(kind=CampaignKind.UNIVERSAL, name="서울시 전체", year=YEAR)
        _check_now()
    # removing every dong of a campaign makes it city-wide
    other = CampaignFactory(kind=CampaignKind.UNIVERSAL, name="을동 보편방문", year=YEAR, dongs=[second_dong])
    _check_now()
    with pytest.raises(IntegrityError, match="대상 동이 겹칩니다"), transaction.atomic():
        other.dongs.clear()
        _check_now()
    # another dong, year or kind is fine
    CampaignFactory(kind=CampaignKind.UNIVERSAL, name="갑동 내년", year=YEAR + 1, dongs=[first_dong])
    CampaignFactory(kind=CampaignKind.TARGETED, name="기획조사", year=YEAR, dongs=[first_dong])
    _check_now()


@pytest.mark.django_db(transaction=True)
def test_the_database_check_runs_at_commit(dongs):
    """Without any test help: two committed transactions, the second one fails at COMMIT."""
    first_dong, _ = dongs
    with transaction.atomic():
        CampaignFactory(kind=CampaignKind.UNIVERSAL, name="먼저", year=YEAR, dongs=[first_dong])
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        CampaignFactory(
            kind=CampaignKind.UNIVERSAL, name="나중", year=YEAR, dongs=[first_dong],
            period_start=datetime.date(YEAR, 3, 1),
        )
    error = caught.value.__cause__
    assert (error.pgcode, error.diag.constraint_name) == ("23505", "outreach_one_universal_per_dong_year")
    assert list(Campaign.objects.values_list("name", flat=True)) == ["먼저"]


def test_the_admin_form_refuses_it_too(dongs):
    from outreach.admin import CampaignAdminForm

    first_dong, second_dong = dongs
    existing = CampaignFactory(kind=CampaignKind.UNIVERSAL, name="갑동 보편방문", year=YEAR, dongs=[first_dong])
    data = {
        "kind": CampaignKind.UNIVERSAL, "name": "관리자 화면", "year": YEAR, "params": "{}", "due_days": 30,
        "period_start": "2025-01-01", "period_end": "2025-12-31", "active": "on",
    }
    form = CampaignAdminForm(data={**data, "dongs": [first_dong.pk]})
    assert not form.is_valid() and "갑동은(는) 이미 '갑동 보편방문' 캠페인의 대상입니다" in form.errors["dongs"][0]
    assert CampaignAdminForm(data={**data, "dongs": [second_dong.pk]}).is_valid()
    # editing the existing campaign itself is not a clash with itself
    edit = CampaignAdminForm(data={**data, "name": existing.name, "dongs": [first_dong.pk]}, instance=existing)
    assert edit.is_valid(), edit.errors
