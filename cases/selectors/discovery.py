"""Reading crisis reports (위기가구 제보): the triage queue per dong, scoped by user. DOMAIN §5."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import CrisisReport, Household, Partner, ReporterReward, ReportStatus
from chatdong import policy
from chatdong.accounts.models import User
from chatdong.accounts.scoping import scope, writable_dongs
from chatdong.accounts.selectors import dong_staff
from chatdong.areas.models import Dong, Gu

STALE_DAYS_KEY = "discovery.stale_days"

QUEUES = {
    "": "전체",
    "open": "처리 중",
    "unassigned": "미배정",
    "stale": "지연",
    "mine": "내 담당",
}


def stale_days(*, on=None) -> int:
    """Days without a status change after which an open report shows as 지연 (policy)."""
    return int(policy.read(STALE_DAYS_KEY, on=on))


def stale_cutoff(*, now=None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=stale_days(on=now))


def _queue_q(queue: str, user, *, now=None) -> Q:
    open_q = ~Q(status=ReportStatus.CLOSED)
    if queue == "open":
        return open_q
    if queue == "unassigned":
        return open_q & Q(assignee__isnull=True)
    if queue == "stale":
        return open_q & Q(status_changed_at__lt=stale_cutoff(now=now))
    if queue == "mine":
        return open_q & Q(assignee=user)
    return Q()


def reports_for(user) -> QuerySet[CrisisReport]:
    """Every report in the user's area (dong staff: their dong; gu coordinator: the gu)."""
    return scope(CrisisReport.objects.all(), user).select_related("dong__gu", "assignee", "partner", "household")


def report_list_for(user, *, queue: str = "", status: str = "", channel: str = "", now=None) -> QuerySet[CrisisReport]:
    """The triage queue, filtered. `queue` is one of QUEUES; unknown values mean all."""
    rows = reports_for(user).filter(_queue_q(queue if queue in QUEUES else "", user, now=now))
    if status in ReportStatus.values:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    return rows.order_by("-received_at", "-pk")


def report_queue_counts(user, *, now=None) -> dict[str, int]:
    """How many open, unassigned, stale and own reports — the badges on the queue tabs."""
    return reports_for(user).aggregate(
        open=Count("pk", filter=_queue_q("open", user, now=now)),
        unassigned=Count("pk", filter=_queue_q("unassigned", user, now=now)),
        stale=Count("pk", filter=_queue_q("stale", user, now=now)),
        mine=Count("pk", filter=_queue_q("mine", user, now=now)),
    )


def report_get_for(user, pk: int) -> CrisisReport:
    """One report, or 404 when it does not exist or is outside the user's area."""
    return get_object_or_404(reports_for(user), pk=pk)


def is_stale(report: CrisisReport, *, now=None) -> bool:
    return report.status != ReportStatus.CLOSED and report.status_changed_at < stale_cutoff(now=now)


def assignable_staff_for(report: CrisisReport) -> QuerySet[User]:
    """Active staff of the report's dong."""
    return dong_staff(report.dong_id).order_by("name", "username")


def transfer_dongs_for(report: CrisisReport) -> QuerySet[Dong]:
    """Dongs a misfiled report may be forwarded to: the other dongs of the same gu."""
    return Dong.objects.filter(gu_id=report.dong.gu_id).exclude(pk=report.dong_id).order_by("name")


def partners_for(user) -> QuerySet[Partner]:
    """Active partners of the dongs the user may record reports in (the screens and the API)."""
    return (
        Partner.objects.filter(active=True, dong__in=writable_dongs(user))
        .select_related("dong").order_by("dong__name", "name")
    )


def reporting_dongs_for(user) -> QuerySet[Dong]:
    """Dongs a staff member may record a report for."""
    return writable_dongs(user).order_by("gu__name", "name")


def households_linkable(user, *, report: CrisisReport) -> QuerySet[Household]:
    """Households a report may be linked to: those of its dong, within the user's area."""
    return scope(Household.objects.filter(dong_id=report.dong_id), user)


def household_candidates(user, *, report: CrisisReport, q: str, limit: int = 20) -> list[Household]:
    """Existing households of the report's dong matching an address or a resident's name."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    rows = (
        households_linkable(user, report=report)
        .filter(Q(address__icontains=q) | Q(address_detail__icontains=q) | Q(residents__name__icontains=q))
        .distinct()
        .prefetch_related("residents")
        .order_by("address", "address_detail")
    )
    return list(rows[:limit])


def reward_for(report: CrisisReport) -> ReporterReward | None:
    return ReporterReward.objects.filter(report=report).select_related("paid_by").first()


# --- the public page ---------------------------------------------------------------------

def public_gus() -> QuerySet[Gu]:
    """Gus that have at least one dong in the database (the public page lists only those)."""
    return Gu.objects.filter(dongs__isnull=False).distinct().order_by("name")


def public_dongs(*, gu_id=None) -> QuerySet[Dong]:
    rows = Dong.objects.select_related("gu").order_by("gu__name", "name")
    if gu_id:
        rows = rows.filter(gu_id=gu_id)
    return rows
