"""Reading Care SOS requests, always through the user's area (DOMAIN §8; ARCHITECTURE: scoped).

The visit SLA (on track / due soon / overdue / visited on time / late) is computed at read
time from the request's stored timestamps — `received_at`, `visit_due_at`, `due_soon_at`,
`visited_at` — against the time of the query, so it is right even when Celery or beat were
down. The deadline itself was fixed at intake with the policy version then in force.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cases.care_sos.models import (
    AWAITING_VISIT,
    TERMINAL_STATES,
    Approval,
    CarePlanLine,
    CareProvider,
    CareRequest,
    CareRequestEvent,
    ServiceDelivery,
)
from cases.care_sos.models import CareRequestStatus as S
from cases.models import Household
from cases.selectors.households import TimelineEntry, timeline_source
from chatdong.accounts.rules import is_city_wide
from chatdong.accounts.scoping import dongs_for, scope
from chatdong.areas.models import Dong, Gu

# --- the visit SLA -------------------------------------------------------------------------

ON_TRACK, DUE_SOON, OVERDUE, MET, LATE, STOPPED = "on_track", "due_soon", "overdue", "met", "late", "stopped"
SLA_LABELS = {
    ON_TRACK: "기한 여유",
    DUE_SOON: "기한 임박",
    OVERDUE: "기한 지남",
    MET: "기한 내 방문",
    LATE: "기한 후 방문",
    STOPPED: "방문 전 종료",
}
SLA_TONES = {ON_TRACK: "success", DUE_SOON: "warning", OVERDUE: "danger", MET: "information", LATE: "gray",
             STOPPED: "gray"}
SLA_ORDER = {OVERDUE: 0, DUE_SOON: 1, ON_TRACK: 2, LATE: 3, MET: 4, STOPPED: 5}
STOPPED_STATES = sorted(TERMINAL_STATES)


def sla_expression(now: datetime.datetime) -> Case:
    """The SLA state of each row at `now`, in SQL."""
    at = Value(now)
    return Case(
        When(visited_at__isnull=False, visited_at__lte=F("visit_due_at"), then=Value(MET)),
        When(visited_at__isnull=False, then=Value(LATE)),
        When(status__in=STOPPED_STATES, then=Value(STOPPED)),
        When(visit_due_at__lte=at, then=Value(OVERDUE)),
        When(due_soon_at__lte=at, then=Value(DUE_SOON)),
        default=Value(ON_TRACK),
        output_field=CharField(),
    )


def with_sla(qs: QuerySet[CareRequest], *, now: datetime.datetime | None = None) -> QuerySet[CareRequest]:
    now = now or timezone.now()
    return qs.annotate(
        sla_state=sla_expression(now),
        sla_rank=Case(*[When(sla_state=k, then=Value(v)) for k, v in SLA_ORDER.items()], default=Value(9),
                      output_field=IntegerField()),
    )


def hours_text(delta: datetime.timedelta) -> str:
    """'41시간 남음' / '3시간 지남' / '35분 남음' (the screens and the deadline warnings)."""
    seconds = delta.total_seconds()
    past = seconds <= 0
    seconds = abs(seconds)
    amount = f"{int(seconds // 60)}분" if seconds < 3600 else f"{int(seconds // 3600)}시간"
    return f"{amount} {'지남' if past else '남음'}"


def sla_state_of(care_request: CareRequest, *, now: datetime.datetime) -> str:
    """The same rule as `sla_expression`, for one loaded request."""
    if care_request.visited_at is not None:
        return MET if care_request.visited_at <= care_request.visit_due_at else LATE
    if care_request.status in TERMINAL_STATES:
        return STOPPED
    if now >= care_request.visit_due_at:
        return OVERDUE
    if now >= care_request.due_soon_at:
        return DUE_SOON
    return ON_TRACK


@dataclass(frozen=True)
class Sla:
    state: str
    label: str
    tone: str
    text: str  # "41시간 남음", "3시간 지남", "접수 후 20시간 만에 방문"
    due_at: datetime.datetime


def sla_of(care_request: CareRequest, *, now: datetime.datetime | None = None) -> Sla:
    now = now or timezone.now()
    state = getattr(care_request, "sla_state", None) or sla_state_of(care_request, now=now)
    if state in (MET, LATE):
        hours = (care_request.visited_at - care_request.received_at).total_seconds() / 3600
        text = f"접수 후 {hours:.0f}시간 만에 방문"
    elif state == STOPPED:
        text = "방문 전에 종료"
    else:
        text = hours_text(care_request.visit_due_at - now)
    return Sla(state=state, label=SLA_LABELS[state], tone=SLA_TONES[state], text=text, due_at=care_request.visit_due_at)


# --- lists and one request -----------------------------------------------------------------

GROUPS = {
    "open": "진행 중",
    "visit": "방문 전",
    "approval": "승인 단계",
    "service": "서비스·사후관리",
    "done": "종료",
    "": "전체",
}
_GROUP_Q = {
    "open": ~Q(status__in=STOPPED_STATES),
    "visit": Q(status__in=sorted(AWAITING_VISIT)),
    "approval": Q(status__in=[S.SUBMITTED, S.RETURNED, S.REVISED]),
    "service": Q(status__in=[S.APPROVED, S.IN_SERVICE, S.FOLLOW_UP]),
    "done": Q(status__in=STOPPED_STATES),
    "": Q(),
}


def care_requests_for(user) -> QuerySet[CareRequest]:
    """Every request in the user's area (dong staff: their dong; gu coordinator: the gu; admin:
    all; the city analyst: none — these rows are personal data)."""
    return scope(CareRequest.objects.all(), user, dong_field="dong").select_related(
        "dong__gu", "household", "resident", "received_by"
    )


def care_request_list_for(
    user, *, group: str = "open", sla: str = "", mine: bool = False, now: datetime.datetime | None = None
) -> QuerySet[CareRequest]:
    """The 'my care requests' list: most urgent first (overdue, due soon, on track…), then by
    deadline. `mine` keeps the requests the user is a care manager of."""
    rows = with_sla(care_requests_for(user).filter(_GROUP_Q.get(group, Q())), now=now)
    if sla in SLA_LABELS:
        rows = rows.filter(sla_state=sla)
    if mine:
        rows = rows.filter(care_managers=user)
    return rows.prefetch_related("care_managers").order_by("sla_rank", "visit_due_at", "-pk")


def care_request_counts(user, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Badges for the list tabs and the SLA filter, in one query."""
    rows = with_sla(care_requests_for(user), now=now)
    return rows.aggregate(
        **{f"group_{key}": Count("pk", filter=q) for key, q in _GROUP_Q.items() if key},
        **{f"sla_{key}": Count("pk", filter=Q(sla_state=key)) for key in (ON_TRACK, DUE_SOON, OVERDUE)},
    )


def care_request_get(user, pk) -> CareRequest:
    """One request in the user's area, or 404."""
    return get_object_or_404(care_requests_for(user).select_related("visit_deadline_policy", "due_soon_policy",
                                                                    "follow_up_policy", "transferred_to",
                                                                    "crisis_report"), pk=pk)


def request_events(care_request: CareRequest) -> list[CareRequestEvent]:
    return list(care_request.events.select_related("actor").order_by("at", "pk"))


def request_approvals(care_request: CareRequest) -> list[Approval]:
    return list(care_request.approvals.select_related("decided_by", "requested_by").order_by("decided_at", "pk"))


def request_deliveries(care_request: CareRequest) -> list[ServiceDelivery]:
    return list(
        care_request.deliveries.select_related("line", "provider", "recorded_by").order_by("delivered_on", "pk")
    )


def plan_of(care_request: CareRequest):
    from cases.care_sos.models import CarePlan

    return CarePlan.objects.filter(request=care_request).select_related("submitted_by").first()


def plan_lines(plan) -> list[CarePlanLine]:
    if plan is None:
        return []
    return list(plan.lines.select_related("provider").order_by("start_on", "pk"))


def assessment_of(care_request: CareRequest):
    from cases.care_sos.models import CareAssessment

    return CareAssessment.objects.filter(request=care_request).select_related("assessed_by").first()


def providers_for_request(care_request: CareRequest) -> QuerySet[CareProvider]:
    """Active providers a plan line of this request may use: the gu's, or this dong's own."""
    return CareProvider.objects.filter(active=True, gu_id=care_request.dong.gu_id).filter(
        Q(dong__isnull=True) | Q(dong_id=care_request.dong_id)
    ).order_by("name")


def policy_rows(ids: Iterable[int]) -> dict:
    from chatdong.policy.models import PolicyThreshold

    return {row.pk: row for row in PolicyThreshold.objects.filter(pk__in=[i for i in ids if i])}


# --- the gu: approval queue and SLA board ------------------------------------------------------

def approval_queue_for(user, *, now: datetime.datetime | None = None) -> QuerySet[CareRequest]:
    """Submitted plans in the coordinator's gu, oldest submission first, with what the queue
    shows about each (events for the SLA history, earlier decisions) prefetched: the query
    count does not grow with the queue."""
    rows = with_sla(care_requests_for(user).filter(status=S.SUBMITTED), now=now)
    return (
        rows.select_related("plan", "plan__submitted_by")
        .prefetch_related(
            Prefetch("events", queryset=CareRequestEvent.objects.select_related("actor").order_by("at", "pk")),
            Prefetch("approvals", queryset=Approval.objects.select_related("decided_by").order_by("decided_at", "pk")),
        )
        .order_by("plan__submitted_at", "pk")
    )


class Median(Aggregate):
    """PostgreSQL's median of an interval: percentile_cont(0.5) WITHIN GROUP (ORDER BY …)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass
class DongSla:
    dong: Dong
    open_visits: int
    on_track: int
    due_soon: int
    overdue: int
    visited: int
    visited_on_time: int
    median_to_visit: datetime.timedelta | None

    @property
    def compliance(self) -> float | None:
        """72-hour compliance (%) of the requests visited in the period."""
        return round(self.visited_on_time * 100 / self.visited, 1) if self.visited else None

    @property
    def median_hours(self) -> float | None:
        return round(self.median_to_visit.total_seconds() / 3600, 1) if self.median_to_visit is not None else None


def board_gus_for(user) -> QuerySet[Gu]:
    """Gus whose board the user may open: any for admins and city analysts, else their own."""
    if is_city_wide(user):
        return Gu.objects.filter(dongs__isnull=False).distinct().order_by("name")
    return Gu.objects.filter(pk=user.gu_id)


def sla_board(
    user, *, gu: Gu | None = None, days: int = 90, now: datetime.datetime | None = None
) -> list[DongSla]:
    """Per dong: requests awaiting the visit now (on track / due soon / overdue), and for those
    received in the last `days` days, how many were visited, how many within the deadline, and
    the median time from intake to visit. Aggregates only (no personal data); two queries
    whatever the number of dongs."""
    now = now or timezone.now()
    dongs = dongs_for(user)
    if gu is not None:
        dongs = dongs.filter(gu=gu)
    dong_ids = list(dongs.values_list("pk", flat=True))
    rows = scope(CareRequest.objects.filter(dong_id__in=dong_ids), user, dong_field="dong", personal=False)
    at = Value(now)
    waiting = Q(visited_at__isnull=True, status__in=sorted(AWAITING_VISIT))
    recent = Q(received_at__gte=now - datetime.timedelta(days=days))
    to_visit = ExpressionWrapper(F("visited_at") - F("received_at"), output_field=DurationField())
    stats = {
        row["dong_id"]: row
        for row in rows.values("dong_id").order_by("dong_id").annotate(
            open_visits=Count("pk", filter=waiting),
            on_track=Count("pk", filter=waiting & Q(due_soon_at__gt=at)),
            due_soon=Count("pk", filter=waiting & Q(due_soon_at__lte=at, visit_due_at__gt=at)),
            overdue=Count("pk", filter=waiting & Q(visit_due_at__lte=at)),
            visited=Count("pk", filter=recent & Q(visited_at__isnull=False)),
            visited_on_time=Count("pk", filter=recent & Q(visited_at__isnull=False, visited_at__lte=F("visit_due_at"))),
            median_to_visit=Median(to_visit, filter=recent & Q(visited_at__isnull=False)),
        )
    }
    board = []
    for dong in dongs.order_by("gu__name", "name"):
        row = stats.get(dong.pk)
        if row is None:
            board.append(DongSla(dong, 0, 0, 0, 0, 0, 0, None))
            continue
        board.append(DongSla(
            dong=dong, open_visits=row["open_visits"], on_track=row["on_track"], due_soon=row["due_soon"],
            overdue=row["overdue"], visited=row["visited"], visited_on_time=row["visited_on_time"],
            median_to_visit=row["median_to_visit"],
        ))
    board.sort(key=lambda r: (-r.overdue, -r.due_soon, r.dong.name))
    return board


def providers_for(user, *, kind: str = "", active: str = "1") -> QuerySet[CareProvider]:
    """The provider registry of the user's gu (all gus for admins and city analysts)."""
    rows = CareProvider.objects.select_related("gu", "dong")
    if user.gu_id and not is_city_wide(user):
        rows = rows.filter(gu_id=user.gu_id)
    if kind:
        rows = rows.filter(kind=kind)
    if active == "1":
        rows = rows.filter(active=True)
    elif active == "0":
        rows = rows.filter(active=False)
    return rows.order_by("gu__name", "name")


# --- the household timeline ---------------------------------------------------------------------

_EVENT_TONES = {
    "receive": "warning", "record_visit": "success", "approve": "success", "return_plan": "warning",
    "close": "success", "withdraw": "", "mark_ineligible": "", "transfer": "",
}


def _request_link(pk: int) -> str:
    return reverse("cases:care_request_detail", args=[pk])


@timeline_source
def _care_sos_timeline(household: Household) -> Iterable[TimelineEntry]:
    """Every Care SOS step of the household's requests (two queries)."""
    events = (
        CareRequestEvent.objects.filter(request__household=household)
        .select_related("actor", "request")
        .order_by("-at", "-pk")[:300]
    )
    for e in events:
        r = e.request
        yield TimelineEntry(
            at=e.at, kind="care_sos", kind_label="돌봄SOS",
            title=f"{r.number} · {e.transition_label}",
            detail=e.comment, actors=e.actor.display_name if e.actor else "",
            link=_request_link(r.pk), tone=_EVENT_TONES.get(e.transition, "information"),
            extra={"transition": e.transition},
        )
    deliveries = (
        ServiceDelivery.objects.filter(request__household=household)
        .select_related("line", "provider", "request", "recorded_by")
        .order_by("-delivered_on", "-pk")[:300]
    )
    for d in deliveries:
        # Recorded on the day itself: its time; recorded later: midday of the delivery date.
        at = d.recorded_at if timezone.localdate(d.recorded_at) == d.delivered_on else timezone.make_aware(
            datetime.datetime.combine(d.delivered_on, datetime.time(12, 0))
        )
        yield TimelineEntry(
            at=at, kind="care_sos_delivery", kind_label="돌봄SOS 서비스",
            title=f"{d.request.number} · {d.line.get_service_display()} {d.quantity_text}{d.line.get_unit_display()}"
                  f" · {d.provider.name}",
            detail=d.result_note, actors=d.recorded_by.display_name, link=_request_link(d.request_id),
            tone="success", extra={"transition": "delivery"},
        )
