"""Reporter rewards: per-case and per-reporter-year caps from policy, keyed without raw phones,
and never over the yearly cap when payments race."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import ReporterReward, ReportOutcome, ReportStatus
from cases.services import rewards
from chatdong.accounts.roles import Role
from chatdong.policy.models import PolicyThreshold
from chatdong.policy.selectors import version
from tests.factories import CrisisReportFactory, PartnerFactory

SEED_DAY = datetime.date(2023, 5, 18)


def _ensure(key: str, value: int) -> PolicyThreshold:
    """The version in force today (seeded by the policy data migration), or one created here."""
    try:
        return version(key)
    except LookupError:
        return PolicyThreshold.objects.create(key=key, value=value, unit="원", valid_from=SEED_DAY, source="테스트")


@pytest.fixture
def caps(db):
    per_case = _ensure(rewards.PER_CASE_KEY, 50_000)
    per_year = _ensure(rewards.PER_YEAR_KEY, 300_000)
    return {"case": per_case, "year": per_year, "per_case": int(per_case.value), "per_year": int(per_year.value)}


@pytest.fixture
def leader(make_user, dong):
    return make_user(role=Role.TEAM_LEADER, dong=dong)


def _closed(dong, **kwargs):
    return CrisisReportFactory(
        dong=dong, status=ReportStatus.CLOSED, outcome=ReportOutcome.PUBLIC_BENEFIT, closed_at=timezone.now(), **kwargs
    )


@pytest.mark.django_db
def test_payment_stores_policy_versions(caps, leader, dong):
    report = _closed(dong, partner=PartnerFactory(dong=dong))
    reward = rewards.reward_pay(actor=leader, report=report, amount=caps["per_case"])
    assert reward.reporter_key == f"partner:{report.partner_id}"
    assert reward.policy_versions == {rewards.PER_CASE_KEY: caps["case"].pk, rewards.PER_YEAR_KEY: caps["year"].pk}
    assert reward.paid_by == leader and reward.paid_on == timezone.localdate()


@pytest.mark.django_db
def test_per_case_cap(caps, leader, dong):
    report = _closed(dong, partner=PartnerFactory(dong=dong))
    with pytest.raises(ValidationError) as exc:
        rewards.reward_pay(actor=leader, report=report, amount=caps["per_case"] + 1)
    assert "1건당 포상금 한도" in str(exc.value)
    assert not ReporterReward.objects.exists()


@pytest.mark.django_db
def test_per_reporter_year_cap(caps, leader, dong):
    partner = PartnerFactory(dong=dong)
    full_payments = caps["per_year"] // caps["per_case"]
    for _ in range(full_payments):
        rewards.reward_pay(actor=leader, report=_closed(dong, partner=partner), amount=caps["per_case"])
    paid = full_payments * caps["per_case"]
    over = _closed(dong, partner=partner)
    with pytest.raises(ValidationError) as exc:
        rewards.reward_pay(actor=leader, report=over, amount=caps["per_year"] - paid + 1)
    assert "연간 한도" in str(exc.value)
    assert ReporterReward.objects.filter(reporter_key=f"partner:{partner.pk}").count() == full_payments
    # Another reporter is unaffected.
    rewards.reward_pay(actor=leader, report=_closed(dong, partner=PartnerFactory(dong=dong)), amount=1000)


@pytest.mark.django_db
def test_year_cap_resets_in_a_new_calendar_year(caps, leader, dong):
    partner = PartnerFactory(dong=dong)
    last_year = datetime.date(timezone.localdate().year - 1, 12, 31)
    for _ in range(caps["per_year"] // caps["per_case"]):
        rewards.reward_pay(actor=leader, report=_closed(dong, partner=partner), amount=caps["per_case"], paid_on=last_year)
    rewards.reward_pay(actor=leader, report=_closed(dong, partner=partner), amount=caps["per_case"])


@pytest.mark.django_db
def test_phone_reporter_key_is_an_hmac_and_format_independent(caps, leader, dong):
    a = _closed(dong, reporter_phone="010-1234-5678")
    b = _closed(dong, reporter_phone="+82 10 1234 5678")
    key = rewards.reporter_key_for(a)
    assert key == rewards.reporter_key_for(b)
    assert "1234" not in key and "5678" not in key and len(key) == 64
    reward = rewards.reward_pay(actor=leader, report=a, amount=10_000)
    assert reward.reporter_key == key
    assert "01012345678" not in str(ReporterReward.objects.values_list("reporter_key", "policy_versions").get())


@pytest.mark.django_db
def test_refusals(caps, leader, dong, make_user):
    anonymous = _closed(dong)
    with pytest.raises(ValidationError, match="제보자"):
        rewards.reward_pay(actor=leader, report=anonymous, amount=10_000)
    open_report = CrisisReportFactory(dong=dong, partner=PartnerFactory(dong=dong))
    with pytest.raises(ValidationError, match="처리 완료된 제보에만"):
        rewards.reward_pay(actor=leader, report=open_report, amount=10_000)
    planner = make_user(role=Role.PLANNER, dong=dong)
    report = _closed(dong, partner=PartnerFactory(dong=dong))
    with pytest.raises(ValidationError, match="복지팀장"):
        rewards.reward_pay(actor=planner, report=report, amount=10_000)
    with pytest.raises(ValidationError, match="0원보다"):
        rewards.reward_pay(actor=leader, report=report, amount=0)
    rewards.reward_pay(actor=leader, report=report, amount=10_000)
    with pytest.raises(ValidationError, match="이미 포상금이 지급된"):
        rewards.reward_pay(actor=leader, report=report, amount=10_000)
    assert ReporterReward.objects.count() == 1


@pytest.mark.django_db
def test_reward_view_shows_korean_error(caps, leader, dong):
    report = _closed(dong, partner=PartnerFactory(dong=dong))
    client = Client()
    client.force_login(leader)
    response = client.post(
        reverse("cases:report_reward", args=[report.pk]),
        {"amount": caps["per_case"] + 10_000, "paid_on": timezone.localdate().isoformat()}, follow=True,
    )
    assert "1건당 포상금 한도" in response.content.decode()
    assert not ReporterReward.objects.exists()
    client.post(reverse("cases:report_reward", args=[report.pk]),
                {"amount": caps["per_case"], "paid_on": timezone.localdate().isoformat()})
    assert ReporterReward.objects.get().amount == caps["per_case"]


# --- concurrency: real connections, one per thread ----------------------------------------------

def _run_in_threads(n, target):
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_exceed_the_year_cap(caps, leader, dong):
    partner = PartnerFactory(dong=dong)
    per_case, per_year = caps["per_case"], caps["per_year"]
    # Pay up to one case below the cap, then race eight payments of one case each.
    for _ in range(per_year // per_case - 1):
        rewards.reward_pay(actor=leader, report=_closed(dong, partner=partner), amount=per_case)
    reports = [_closed(dong, partner=partner) for _ in range(8)]

    results = _run_in_threads(8, lambda i: rewards.reward_pay(actor=leader, report=reports[i], amount=per_case))

    successes = [r for r in results if isinstance(r, ReporterReward)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(successes) == 1, results
    assert len(refusals) == 7, results
    assert rewards.reporter_paid_in_year(f"partner:{partner.pk}", timezone.localdate().year) == per_year


@pytest.mark.django_db(transaction=True)
def test_payment_waits_for_the_reporter_lock(caps, leader, dong):
    partner = PartnerFactory(dong=dong)
    report = _closed(dong, partner=partner)
    key = f"partner:{partner.pk}"
    done = threading.Event()

    def pay():
        try:
            rewards.reward_pay(actor=leader, report=report, amount=1000)
        finally:
            done.set()
            connections.close_all()

    with transaction.atomic():
        rewards._lock_reporter(key)  # another payment to the same reporter is in progress
        thread = threading.Thread(target=pay)
        thread.start()
        assert not done.wait(1.0), "payment did not wait for the reporter's lock"
        assert connection.in_atomic_block
    assert done.wait(10)
    thread.join(10)
    assert ReporterReward.objects.filter(report=report).exists()
