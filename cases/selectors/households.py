"""Reading households and residents, always through the user's area scope (ARCHITECTURE).

Out-of-scope rows are simply absent, so a view asking for one answers 404.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from cases import crypto
from cases.models import (
    Arrear,
    Benefit,
    Companion,
    Contact,
    CrisisReport,
    Cutoff,
    Household,
    NoResponseProcedure,
    Relation,
    Resident,
    RiskTier,
    RiskTierChange,
)
from cases.models.households import active_resident_q
from chatdong.accounts.rules import is_nurse, works_own_caseload
from chatdong.accounts.scoping import scope

# Assignment filter values shared by search and worklist.
ASSIGNED_MINE = "mine"
ASSIGNED_ALL = "all"
ASSIGNED_NONE = "unassigned"


def due_text(due: datetime.date, today: datetime.date) -> str:
    """Time left in Korean: '3일 지남', '오늘', '2일 남음'."""
    days = (due - today).days
    if days < 0:
        return f"{-days}일 지남"
    if days == 0:
        return "오늘"
    return f"{days}일 남음"


def contact_status(household: Household, *, today: datetime.date) -> dict:
    """What the household page says about the next contact."""
    due = household.next_contact_due
    if due is None:
        return {"due_text": "", "overdue": False}
    return {"due_text": due_text(due, today), "overdue": due < today}


def households_for(user) -> QuerySet[Household]:
    """Every household the user may see."""
    return scope(Household.objects.all(), user)


def with_summary(qs: QuerySet[Household]) -> QuerySet[Household]:
    """Annotate what a list row shows (head's name and masked RRN, member count) in one query."""
    head = (
        Resident.objects.active()
        .filter(household=OuterRef("pk"))
        .annotate(is_head=Case(When(relation=Relation.HEAD, then=0), default=1, output_field=IntegerField()))
        .order_by("is_head", "birth_date", "pk")
    )
    members = (
        Resident.objects.active().filter(household=OuterRef("pk")).order_by().values("household")
        .annotate(n=Count("pk")).values("n")
    )
    latest = Contact.objects.filter(household=OuterRef("pk")).order_by("-occurred_at", "-pk")
    return qs.select_related("dong", "tong", "planner", "nurse").annotate(
        head_name=Subquery(head.values("name")[:1]),
        head_rrn_masked=Subquery(head.values("rrn_masked")[:1]),
        head_phone=Subquery(head.values("phone")[:1]),
        member_count=Coalesce(Subquery(members[:1], output_field=IntegerField()), 0),
        next_action=Subquery(latest.values("next_action")[:1]),
    )


def apply_filters(
    qs: QuerySet,
    *,
    user,
    path: str = "",
    dong=None,
    tong=None,
    tier: str = "",
    benefit: str = "",
    housing: str = "",
    assigned: str = ASSIGNED_ALL,
) -> QuerySet:
    """The list filters (동, 통, 위험 등급, 수급, 주거 형태, 담당) on a queryset reaching a household
    through `path` ("" for Household itself, "household__" for rows that point at one)."""
    if dong is not None:
        qs = qs.filter(**{f"{path}dong": dong})
    if tong is not None:
        qs = qs.filter(**{f"{path}tong": tong})
    if tier:
        qs = qs.filter(**{f"{path}risk_tier": tier})
    if benefit:
        qs = qs.filter(**{f"{path}benefits__contains": [benefit]})
    if housing:
        qs = qs.filter(**{f"{path}housing_type": housing})
    if assigned == ASSIGNED_MINE:
        qs = qs.filter(Q(**{f"{path}planner": user}) | Q(**{f"{path}nurse": user}))
    elif assigned == ASSIGNED_NONE:
        qs = qs.filter(**{f"{path}planner__isnull": True})
    return qs


def default_assignment(user) -> str:
    """Planners and nurses start on their own households; supervisors and gu/city roles on all."""
    if works_own_caseload(user):
        return ASSIGNED_MINE
    return ASSIGNED_ALL


_RRN_LIKE = re.compile(r"\d{6}\s*-?\s*\d{7}")


def looks_like_rrn(text: str) -> bool:
    """True when free text holds something shaped like an RRN (it must not go into a URL)."""
    return bool(_RRN_LIKE.search(text or ""))


def household_search(*, user, q: str = "", **filters) -> QuerySet[Household]:
    """Households in scope matching name, address or phone (free text), with list filters.

    RRNs are not searched here: they go through `household_search_by_rrn` (POST only).
    """
    qs = apply_filters(households_for(user), user=user, **filters)
    q = (q or "").strip()
    if q:
        residents = Resident.objects.filter(household=OuterRef("pk"))
        match = Q(name__icontains=q)
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 4:
            residents = residents.annotate(
                phone_digits=Func(F("phone"), Value(r"\D"), Value(""), Value("g"), function="regexp_replace",
                                  output_field=CharField())
            )
            match |= Q(phone_digits__contains=digits)
        qs = qs.filter(
            Q(address__icontains=q) | Q(address_detail__icontains=q) | Q(registered_address__icontains=q)
            | Exists(residents.filter(match))
        )
    return with_summary(qs).order_by("address", "address_detail", "pk")


def household_search_by_rrn(*, user, rrn: str) -> QuerySet[Household]:
    """Exact match through the blind index; malformed input raises a Korean ValidationError
    before any query runs."""
    index = crypto.blind_index(rrn)
    qs = households_for(user).filter(Exists(Resident.objects.filter(household=OuterRef("pk"), rrn_index=index)))
    return with_summary(qs).order_by("pk")


def household_get(*, user, pk) -> Household:
    """One household in the user's scope, or 404."""
    qs = households_for(user).select_related("dong__gu", "tong", "planner", "nurse", "registered_dong")
    try:
        return qs.get(pk=pk)
    except (Household.DoesNotExist, ValueError, ValidationError):
        raise Http404("가구를 찾을 수 없습니다.") from None


def resident_get(*, user, household_pk, pk) -> Resident:
    qs = scope(Resident.objects.select_related("household"), user, dong_field="household__dong")
    try:
        return qs.get(pk=pk, household_id=household_pk)
    except (Resident.DoesNotExist, ValueError, ValidationError):
        raise Http404("가구원을 찾을 수 없습니다.") from None


def household_members(*, household: Household) -> list[Resident]:
    """Members, active first, the head first among them."""
    return list(
        household.residents.annotate(
            gone=Case(When(active_resident_q(), then=0), default=1,
                      output_field=IntegerField()),
            is_head=Case(When(relation=Relation.HEAD, then=0), default=1, output_field=IntegerField()),
        ).order_by("gone", "is_head", "birth_date", "pk")
    )


def household_labels(household: Household) -> dict[str, list[str]]:
    """Korean labels of the household's multi-valued fields (benefits, arrears, cut-offs)."""
    return {
        "benefits": [Benefit(v).label for v in household.benefits if v in Benefit.values],
        "arrears": [Arrear(v).label for v in household.arrears if v in Arrear.values],
        "cutoffs": [Cutoff(v).label for v in household.cutoffs if v in Cutoff.values],
    }


def tier_history(*, household: Household) -> list[RiskTierChange]:
    return list(household.tier_changes.select_related("changed_by").order_by("-changed_at", "-pk"))


def staff_choices_for(household: Household) -> QuerySet:
    """Staff who may take part in a contact with this household: active staff of its dong."""
    return get_user_model().objects.filter(dong_id=household.dong_id, is_active=True).order_by("name", "username")


# --- the household timeline ---------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEntry:
    """One event on a household's timeline, whatever its source."""

    at: datetime.datetime
    kind: str
    kind_label: str
    title: str
    detail: str = ""
    actors: str = ""
    link: str = ""
    tone: str = ""  # "danger" | "warning" | "success" | "" (badge colour)
    extra: dict = field(default_factory=dict)


TimelineSource = Callable[[Household], Iterable[TimelineEntry]]
TIMELINE_SOURCES: list[TimelineSource] = []


def timeline_source(fn: TimelineSource) -> TimelineSource:
    """Register a source of timeline entries (other modules add cases, care requests…)."""
    TIMELINE_SOURCES.append(fn)
    return fn


def household_timeline(*, household: Household, limit: int = 200) -> list[TimelineEntry]:
    """Every registered source's entries, newest first (a constant number of queries per source)."""
    entries: list[TimelineEntry] = []
    for source in TIMELINE_SOURCES:
        entries.extend(source(household))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


_OUTCOME_TONE = {"met": "success", "not_home": "warning", "refused": "warning", "moved": "", "deceased": "danger"}


@timeline_source
def _contacts(household: Household) -> Iterable[TimelineEntry]:
    contacts = (
        household.contacts.select_related("resident", "created_by")
        .prefetch_related(Prefetch("staff", queryset=get_user_model().objects.order_by("pk")))
        .order_by("-occurred_at")[:200]
    )
    for c in contacts:
        parts = []
        if c.companions:
            parts.append("동행: " + ", ".join(Companion(x).label for x in c.companions if x in Companion.values))
        if c.needs_found:
            parts.append(f"욕구: {c.needs_found}")
        if c.notes:
            parts.append(c.notes)
        if c.next_action or c.next_action_on:
            when = f" ({c.next_action_on:%Y-%m-%d})" if c.next_action_on else ""
            parts.append(f"다음 조치: {c.next_action or '재상담'}{when}")
        title = f"{c.get_mode_display()} · {c.get_outcome_display()}"
        if c.resident_id:
            title += f" · {c.resident.name}"
        yield TimelineEntry(
            at=c.occurred_at, kind="contact", kind_label="상담", title=title, detail="\n".join(parts),
            actors=", ".join(u.display_name for u in c.staff.all()), tone=_OUTCOME_TONE.get(c.outcome, ""),
            extra={"checklist": c.checklist, "joint": any(is_nurse(u) for u in c.staff.all())},
        )


def _report_link(pk: int) -> str:
    try:
        return reverse("cases:report_detail", args=[pk])
    except NoReverseMatch:
        return ""


@timeline_source
def _crisis_reports(household: Household) -> Iterable[TimelineEntry]:
    for r in CrisisReport.objects.filter(household=household).order_by("-received_at")[:100]:
        detail = r.situation
        if r.outcome:
            detail += f"\n처리 결과: {r.get_outcome_display()}"
        yield TimelineEntry(
            at=r.received_at, kind="crisis_report", kind_label="위기 제보",
            title=f"{r.get_channel_display()} · {r.get_status_display()}", detail=detail,
            link=_report_link(r.pk), tone="danger" if r.status != "closed" else "",
        )


@timeline_source
def _tier_changes(household: Household) -> Iterable[TimelineEntry]:
    for t in household.tier_changes.select_related("changed_by").order_by("-changed_at")[:100]:
        yield TimelineEntry(
            at=t.changed_at, kind="tier_change", kind_label="위험 등급",
            title=f"{t.get_from_tier_display()} → {t.get_to_tier_display()}", detail=t.reason,
            actors=t.changed_by.display_name if t.changed_by else "",
            tone="danger" if t.to_tier == RiskTier.HIGH else "",
        )


@timeline_source
def _no_response(household: Household) -> Iterable[TimelineEntry]:
    for p in NoResponseProcedure.objects.filter(household=household).select_related("started_by")[:50]:
        yield TimelineEntry(
            at=p.started_at, kind="no_response", kind_label="무응답 대응",
            title=f"무응답 대응 {p.get_status_display()}", detail=p.trigger + (f"\n{p.outcome_note}" if p.outcome_note else ""),
            actors=p.started_by.display_name if p.started_by else "",
            tone="danger" if p.status == NoResponseProcedure.Status.OPEN else "",
        )
