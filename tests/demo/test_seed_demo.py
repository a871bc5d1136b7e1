"""manage.py seed_demo: deterministic, idempotent 은평구 demo with one login per role."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import crypto
from cases.models import (
    CHECKLIST_ITEMS,
    Contact,
    CrisisReport,
    Household,
    Partner,
    Resident,
    RiskTier,
    RiskTierChange,
)
from chatdong.accounts.models import User
from chatdong.accounts.roles import DONG_ROLES, Role
from chatdong.areas.models import Tong
from chatdong.demo.people import rrn_check_digit
from chatdong.demo.seed import DEFAULT_DEMO_PASSWORD, DEMO_LOGINS, demo_seed

pytestmark = pytest.mark.django_db

SCALE = "0.2"  # ~160 households: the same code paths as the full demo, in a fraction of the time


def seed(**kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", SCALE, stdout=out, **kwargs)
    return out.getvalue()


def can_log_in(username: str, password: str) -> bool:
    """Through the real login page (axes, validators and all)."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client.session.get("_auth_user_id") == str(User.objects.get(username=username).pk)


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "tongs": Tong.objects.count(),
        "user_tongs": User.tongs.through.objects.count(),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
        "contacts": Contact.objects.count(),
        "contact_staff": Contact.staff.through.objects.count(),
        "tier_changes": RiskTierChange.objects.count(),
        "partners": Partner.objects.count(),
        "reports": CrisisReport.objects.count(),
    }


@pytest.fixture
def seeded():
    return seed()


def test_seed_twice_changes_nothing(seeded):
    first = counts()
    assert first["households"] > 100 and first["residents"] > first["households"]
    assert first["contacts"] > 0 and first["partners"] > 0 and first["reports"] > 0

    output = seed()

    assert counts() == first
    assert "이미 있습니다" in output


def test_one_login_per_role_that_authenticates(seeded):
    logins = list(User.objects.filter(username__in=DEMO_LOGINS))
    assert sorted(u.role for u in logins) == sorted(Role.values)
    for user in logins:
        assert can_log_in(user.username, DEFAULT_DEMO_PASSWORD), user.username
        assert user.username in seeded
    planner1 = User.objects.get(username="planner1")
    assert planner1.dong.name == "불광1동" and planner1.tongs.exists()
    for user in logins:
        if user.role in DONG_ROLES:
            assert user.dong.name == "불광1동"
    coordinator = User.objects.get(username="coordinator1")
    assert coordinator.gu.name == "은평구" and coordinator.dong is None
    assert User.objects.get(username="planner2").dong.name == "응암2동"
    assert User.objects.get(username="officer1").tongs.count() == Tong.objects.filter(dong=planner1.dong).count()
    assert DEFAULT_DEMO_PASSWORD in seeded


def test_password_comes_from_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "다른-시연-비번-7731")
    output = seed()
    assert can_log_in("leader1", "다른-시연-비번-7731")
    assert not can_log_in("leader1", DEFAULT_DEMO_PASSWORD)
    assert "다른-시연-비번-7731" in output


def test_weak_password_is_refused_in_korean(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "1234567890")
    with pytest.raises(CommandError, match="비밀번호 규칙"):
        seed()
    assert not User.objects.filter(username="planner1").exists()


RRN_IN_CLEAR = re.compile(r"(?<![0-9])[0-9]{6}-?[1-4][0-9]{6}(?![0-9])")


def test_no_rrn_in_clear_anywhere(seeded):
    residents = list(Resident.objects.all())
    assert residents and all(r.rrn_ciphertext and r.rrn_index and r.rrn_masked for r in residents)
    with connection.cursor() as cursor:
        # Every text column of residents (and their history) except the hex blind index.
        for table in ("cases_resident", "cases_residentevent", "cases_household"):
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND data_type IN ('character varying', 'text') AND column_name <> 'rrn_index'",
                [table],
            )
            columns = [row[0] for row in cursor.fetchall()]
            text = " || ' ' || ".join(f'coalesce("{c}", \'\')' for c in columns)
            cursor.execute(f"SELECT count(*) FROM {table} WHERE ({text}) ~ %s", [r"(^|[^0-9])[0-9]{6}-?[1-4][0-9]{6}([^0-9]|$)"])
            assert cursor.fetchone()[0] == 0, table
    # The real numbers (decrypted) appear nowhere in the rows.
    for resident in residents[:200]:
        number = crypto.decrypt_rrn(resident.rrn_ciphertext)
        row_text = " ".join(str(v) for v in Resident.objects.filter(pk=resident.pk).values().first().values())
        assert number not in row_text and number.replace("-", "") not in row_text


def test_rrns_match_birth_date_and_sex(seeded):
    for resident in Resident.objects.all():
        number = crypto.decrypt_rrn(resident.rrn_ciphertext).replace("-", "")
        assert number[:6] == resident.birth_date.strftime("%y%m%d")
        century = "12" if resident.birth_date.year < 2000 else "34"
        assert number[6] == (century[0] if resident.sex == "M" else century[1])
        assert int(number[12]) == rrn_check_digit(number[:12])
        assert resident.rrn_index == crypto.blind_index(number)
        assert resident.rrn_masked == f"{number[:6]}-{number[6]}******"


def test_caseload_is_realistic(seeded):
    year = timezone.localdate().year
    today = timezone.localdate()
    residents = Resident.objects.all()
    assert residents.filter(birth_date__year=year - 65).exists()
    assert residents.filter(birth_date__year=year - 70).exists()
    assert residents.filter(birth_date__gte=today - datetime.timedelta(days=6 * 365)).exists()
    elderly_alone = [
        h for h in Household.objects.prefetch_related("residents")
        if len(h.residents.all()) == 1 and h.residents.all()[0].birth_date.year <= year - 65
    ]
    assert elderly_alone

    households = Household.objects.all()
    assert set(households.values_list("dong__name", flat=True)) == {"불광1동", "응암2동", "녹번동", "진관동"}
    assert {RiskTier.HIGH, RiskTier.WATCH, RiskTier.CONCERN, RiskTier.NONE} <= set(households.values_list("risk_tier", flat=True))
    tiered = households.exclude(risk_tier=RiskTier.NONE)
    assert not tiered.filter(next_contact_due__isnull=True).exists()
    assert tiered.filter(next_contact_due__lt=today).exists()  # overdue
    assert tiered.filter(next_contact_due__gte=today).exists()  # due now or later
    assert not households.filter(risk_tier=RiskTier.NONE, next_contact_due__isnull=False).exists()
    for household in households.select_related("planner", "tong"):
        assert household.planner.dong_id == household.dong_id
        assert household.tong.dong_id == household.dong_id
        assert 1 <= household.ban <= household.tong.ban_count
        assert household.address.startswith("서울특별시 은평구 ")
    assert households.exclude(benefits=[]).exists() and households.exclude(arrears=[]).exists()

    keys = {key for key, _ in CHECKLIST_ITEMS}
    contacts = Contact.objects.all()
    assert any(c.checklist for c in contacts)
    assert all(set(c.checklist) <= keys for c in contacts)
    assert all(c.occurred_at <= timezone.now() for c in contacts)
    assert len(set(CrisisReport.objects.values_list("channel", flat=True))) >= 4
    assert not CrisisReport.objects.filter(status="closed", outcome="").exists()


def test_seed_is_deterministic():
    def fingerprint():
        return [
            (r.name, r.birth_date, r.sex, r.rrn_masked, r.household.address, r.household.risk_tier)
            for r in Resident.objects.select_related("household").order_by("id")
        ]

    runs = []
    for _ in range(2):
        with transaction.atomic():
            demo_seed(password=DEFAULT_DEMO_PASSWORD, scale=0.1)
            runs.append(fingerprint())
            transaction.set_rollback(True)
    assert runs[0] and runs[0] == runs[1]
