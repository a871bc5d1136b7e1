"""manage.py generate_city: a synthetic city loaded with COPY, exact in size, re-runnable."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cases.models import Contact, ContactMode, Household, Resident
from chatdong.accounts.models import User
from chatdong.areas.models import Dong, Gu
from chatdong.areas.seoul import EUNPYEONG_DONGS, SEOUL_GU
from chatdong.demo.city import MARKER_PREFIX
from chatdong.demo.people import age_quota
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

N = 2000


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_city", "--residents", str(N), *args, stdout=out)
    return out.getvalue()


def generated_households():
    return Household.objects.filter(note__startswith=MARKER_PREFIX)


def generated_residents():
    return Resident.objects.filter(household__note__startswith=MARKER_PREFIX)


def test_exact_size_in_every_gu():
    output = generate()

    assert generated_residents().count() == N
    households = generated_households()
    assert 850 <= households.count() <= 1050  # ≈ 2.1 residents per household
    assert not households.filter(residents__isnull=True).exists()
    gu_codes = set(households.values_list("dong__gu__code", flat=True))
    assert gu_codes == {code for code, _ in SEOUL_GU}
    assert "rows/s" in output

    city_dongs = Dong.objects.filter(gu__code__in=gu_codes).filter(code__startswith="S") | Dong.objects.filter(
        code__in=[code for code, _ in EUNPYEONG_DONGS]
    )
    assert city_dongs.count() == 424
    assert Gu.objects.get(code="11110").dongs.filter(name="가상1동").exists()
    # 은평구 keeps its real dongs, and no synthetic ones.
    assert not Dong.objects.filter(gu__code="11380", code__startswith="S").exists()
    assert all(d.tongs.exists() for d in city_dongs)


def test_age_structure_and_life_events():
    generate()
    year = timezone.localdate().year
    quota = age_quota(N)
    residents = generated_residents()
    assert residents.filter(birth_date__year=year - 65).count() == quota[65] == round(N * 0.013)
    assert residents.filter(birth_date__year=year - 70).count() == quota[70] == round(N * 0.011)
    assert residents.filter(birth_date__year__gte=year - 5).exists()
    assert residents.filter(deceased_on__isnull=False).exists()
    assert residents.filter(moved_out_on__isnull=False).exists()
    assert not residents.filter(rrn_index__isnull=True).exists()
    assert not residents.filter(rrn_masked="").exists()
    assert not residents.filter(rrn_ciphertext="").exists()
    assert len(set(generated_households().values_list("housing_type", flat=True))) >= 6
    assert not generated_households().filter(planner__isnull=True).exists()


def test_reset_leaves_exactly_n_and_adding_without_reset_doubles():
    generate()
    first_ids = set(generated_households().values_list("pk", flat=True))
    staff = User.objects.count()

    generate("--reset")
    assert generated_residents().count() == N
    assert not first_ids & set(generated_households().values_list("pk", flat=True))
    assert User.objects.count() == staff  # staff and areas are reused, not duplicated

    generate()
    assert generated_residents().count() == 2 * N
    notes = set(generated_households().values_list("note", flat=True))
    assert len(notes) == 2  # two batches, told apart by their marker
    assert len(set(generated_residents().values_list("rrn_index", flat=True))) == 2 * N


def test_reset_removes_what_other_features_attached():
    generate()
    household = generated_households().first()
    planner = household.planner
    contact = Contact.objects.create(
        household=household, mode=ContactMode.PHONE, occurred_at=timezone.now(), created_by=planner
    )
    contact.staff.add(planner)

    generate("--reset")

    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert generated_residents().count() == N


def test_ids_come_from_the_sequence_and_history_is_skipped():
    before = Household.pgh_event_model.objects.count() if hasattr(Household, "pgh_event_model") else None
    generate()
    other = HouseholdFactory()  # an ordinary insert after the load
    assert other.pk > max(generated_households().values_list("pk", flat=True))
    if before is not None:
        assert Household.pgh_event_model.objects.count() == before + 1  # only the factory's row


def foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid IN ('cases_household'::regclass, 'cases_resident'::regclass) ORDER BY conname"
        )
        return cursor.fetchall()


def test_foreign_keys_are_back_after_the_load():
    before = foreign_keys()
    assert len(before) >= 6
    generate()
    assert foreign_keys() == before
    assert all(validated for _, _, validated in before)


def test_without_ciphertext_option():
    generate("--without-ciphertext")
    residents = generated_residents()
    assert residents.count() == N
    assert not residents.exclude(rrn_ciphertext="").exists()
    assert not residents.filter(rrn_index__isnull=True).exists()


def test_bad_size_is_refused_in_korean():
    with pytest.raises(CommandError, match="1 이상"):
        call_command("generate_city", "--residents", "0", stdout=io.StringIO())


def test_demo_and_city_live_side_by_side():
    generate()
    call_command("seed_demo", "--scale", "0.1", stdout=io.StringIO())
    generate()
    demo = Resident.objects.exclude(household__note__startswith=MARKER_PREFIX)
    assert demo.exists() and generated_residents().count() == 2 * N
    assert Resident.objects.values("rrn_index").distinct().count() == Resident.objects.count()
