"""Reading campaigns, runs, progress and tasks — always through the user's scope."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from chatdong import policy
from chatdong.accounts.scoping import NOTHING, area_q
from chatdong.accounts.selectors import dong_staff
from chatdong.areas.models import Dong
from chatdong.policy.models import PolicyThreshold
from chatdong.policy.selectors import ThresholdMissing
from outreach.models import (
    BigDataRound,
    BigDataRow,
    Campaign,
    CampaignKind,
    SweepRun,
    TaskStatus,
    VisitTask,
)

# The rate universal campaigns are compared with: Seoul's 2018 result for the 65·70 cohort
# (DOMAIN §6) as seeded; admins may register a newer figure.
COUNSELLING_BENCHMARK_KEY = "outreach.universal_counselling_rate_benchmark"


def counselling_rate_benchmark(*, on=None) -> PolicyThreshold | None:
    """The benchmark version in force (its label says whose result it is), None if none is."""
    used = policy.VersionsUsed()
    try:
        policy.read(COUNSELLING_BENCHMARK_KEY, on=on, record=used)
    except ThresholdMissing:
        return None
    return used[COUNSELLING_BENCHMARK_KEY]


def campaigns_for(user) -> QuerySet:
    """Campaigns whose area touches the user's: city-wide ones, or with a dong in scope."""
    qs = Campaign.objects.all()
    area = area_q(user, personal=False)
    if area == NOTHING:
        return qs.none()
    if not area:  # admins and city roles: every campaign
        return qs
    city_wide = ~Exists(Campaign.dongs.through.objects.filter(campaign_id=OuterRef("pk")))
    mine = Exists(Campaign.dongs.through.objects.filter(area, campaign_id=OuterRef("pk")))
    return qs.filter(city_wide | mine)


def campaign_get(user, pk: int) -> Campaign:
    return get_object_or_404(campaigns_for(user), pk=pk)


STALE_SQL = (
    "outreach_sweeprun.status = 'running' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
    "WHERE a.pid = outreach_sweeprun.backend_pid AND a.backend_start = outreach_sweeprun.backend_start)"
)


def runs_for(campaign: Campaign) -> QuerySet:
    """The campaign's runs, newest first; `stale` marks a 실행 중 run whose session is gone."""
    return (
        SweepRun.objects.filter(campaign=campaign)
        .select_related("triggered_by")
        .annotate(stale=RawSQL(STALE_SQL, []))  # noqa: S611 - constant SQL, no input
        .order_by("-started_at")
    )


@dataclass
class ProgressRow:
    dong: Dong | None
    total: int
    open: int
    done: int
    not_home: int
    refused: int
    moved: int
    cancelled: int

    @property
    def handled(self) -> int:
        return self.done + self.not_home + self.refused + self.moved

    @property
    def counted(self) -> int:
        return self.total - self.cancelled

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.handled / self.counted, 1) if self.counted else None

    @property
    def counselling_rate(self) -> float | None:
        """상담률: residents actually counselled (상담 완료) out of the cohort."""
        return round(100 * self.done / self.counted, 1) if self.counted else None


def _counts(qs) -> dict:
    aggregates = {"total": Count("id")}
    for status in TaskStatus:
        aggregates[status.value] = Count("id", filter=Q(status=status.value))
    return aggregates


def campaign_progress(campaign: Campaign, user) -> tuple[list[ProgressRow], ProgressRow]:
    """Per dong (in the user's area) and in total: assigned, open, done, not home, refused,
    moved; completion and counselling rates. Aggregates only: visible to city analysts too."""
    qs = VisitTask.objects.filter(campaign=campaign).filter(area_q(user, personal=False))
    per_dong = qs.values("dong_id").annotate(**_counts(qs)).order_by()
    dongs = Dong.objects.in_bulk([r["dong_id"] for r in per_dong])
    rows = []
    for r in per_dong:
        rows.append(ProgressRow(
            dong=dongs.get(r["dong_id"]), total=r["total"], open=r["open"], done=r["done"],
            not_home=r["not_home"], refused=r["refused"], moved=r["moved"], cancelled=r["cancelled"],
        ))
    rows.sort(key=lambda row: (row.dong.gu.name, row.dong.name) if row.dong else ("", ""))
    total = ProgressRow(dong=None, **{
        key: sum(getattr(row, key) for row in rows)
        for key in ("total", "open", "done", "not_home", "refused", "moved", "cancelled")
    })
    return rows, total


def is_universal(campaign: Campaign) -> bool:
    return campaign.kind == CampaignKind.UNIVERSAL


TASK_SCOPES = (("mine", "내 과제"), ("dong", "동 전체"), ("unassigned", "미배정"))


def tasks_for(user, *, scope: str = "mine", status: str = TaskStatus.OPEN, campaign_id: int | None = None) -> QuerySet:
    """Visit tasks the user may see (personal data: area-scoped, none for analysts)."""
    qs = VisitTask.objects.filter(area_q(user)).select_related(
        "campaign", "household", "household__tong", "resident", "assignee", "dong"
    )
    if scope == "mine":
        qs = qs.filter(assignee=user)
    elif scope == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    if status:
        qs = qs.filter(status=status)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.order_by("due_on", "-priority", "id")


def task_get(user, pk: int) -> VisitTask:
    return get_object_or_404(
        VisitTask.objects.filter(area_q(user)).select_related(
            "campaign", "household", "household__tong", "household__dong", "resident", "assignee", "source_task",
            "done_by",
        ),
        pk=pk,
    )


def rounds_for(user) -> QuerySet:
    return BigDataRound.objects.filter(campaign__in=campaigns_for(user)).select_related("campaign", "uploaded_by")


def round_rows(round_: BigDataRound, user) -> dict[str, QuerySet]:
    """The round's rows by status; matched rows only in the user's area."""
    rows = BigDataRow.objects.filter(round=round_).select_related("resident", "dong", "decided_by")
    return {
        "unmatched": rows.filter(status=BigDataRow.Status.UNMATCHED),
        "invalid": rows.filter(status=BigDataRow.Status.INVALID),
        "matched": rows.filter(status__in=[BigDataRow.Status.MATCHED, BigDataRow.Status.CREATED]).filter(
            area_q(user)
        ),
        "rejected": rows.filter(status=BigDataRow.Status.REJECTED),
    }


def staff_choices(user, dong_id: int | None):
    """Active staff of a dong a supervisor may hand tasks to."""
    if dong_id is None:
        return dong_staff(None).none()
    return dong_staff(dong_id).order_by("role", "name", "username")
