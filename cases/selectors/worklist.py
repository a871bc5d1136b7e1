"""The planner's worklist (내 업무): every piece of due work in the user's scope, merged.

Work comes from several sources: households whose next contact is due (from the tier
cadence and the latest contact's next action, see `cases.services.households`), and the
campaigns' visit tasks (`outreach.VisitTask`, registered by `outreach.worklist`). A source is a `WorkSource`; register
one with `work_source(...)` and it joins the list. The sources are merged in SQL (UNION ALL
ordered by due date), so a page costs the same number of queries whatever its length:
one count, one page of (kind, due, household, ref) rows, one query for the page's
households, and one per source that has details of its own.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from cases.models import Household
from cases.selectors.households import (
    ASSIGNED_MINE,
    ASSIGNED_NONE,
    apply_filters,
    due_text,
    with_summary,
)
from chatdong.accounts.scoping import area_q

PAGE_SIZE = 50
# How far ahead the worklist looks by default (days); overdue work is always included.
DEFAULT_WITHIN_DAYS = 7


@dataclass
class WorkItem:
    """One thing to do, whatever its source."""

    kind: str
    kind_label: str
    due: datetime.date
    household: Household
    title: str
    link: str
    today: datetime.date
    detail: str = ""
    assignee: str = ""
    ref: object = None
    extra: dict = field(default_factory=dict)
    # How the row reads (from its source): the title next to the kind (e.g. a campaign's
    # name), what the detail is, and the one action that replaces the household actions.
    show_title: bool = False
    detail_label: str = "다음 조치"
    action_label: str = ""

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def due_today(self) -> bool:
        return self.days_left == 0

    @property
    def due_text(self) -> str:
        return due_text(self.due, self.today)


@dataclass(frozen=True)
class WorkSource:
    """A kind of work item.

    - `queryset()`: the open items (unscoped; the worklist scopes and filters them).
    - `household_path`: lookup prefix from the item to its household ("" for Household).
    - `due_field`: the item's due date field.
    - `mine(user)` / `unassigned()`: Q objects for the assignment filter.
    - `hydrate(ids)`: {ref id: object} for the page (one query), or None when the ref is the household.
    - `describe(ref, household)`: (title, detail, assignee, link) for one item.
    - How its rows read: `show_title` puts the title next to the kind (a campaign's name);
      `detail_label` names the detail ("다음 조치", "방문 사유"); `action_label`, when set,
      is the row's one action (to `link`, e.g. "과제 처리") instead of the household actions
      (상담 기록, 가구 보기).
    """

    kind: str
    label: str
    queryset: Callable[[], QuerySet]
    household_path: str
    due_field: str
    mine: Callable[[object], Q]
    unassigned: Callable[[], Q]
    describe: Callable[[object, Household], tuple[str, str, str, str]]
    hydrate: Callable[[list[int]], dict] | None = None
    show_title: bool = False
    detail_label: str = "다음 조치"
    action_label: str = ""


WORK_SOURCES: list[WorkSource] = []


def work_source(source: WorkSource) -> WorkSource:
    WORK_SOURCES.append(source)
    return source


def _describe_household(ref, household: Household) -> tuple[str, str, str, str]:
    detail = household.next_action or ""
    assignee = household.planner.display_name if household.planner else "미배정"
    return "상담 예정", detail, assignee, reverse("cases:household_detail", args=[household.pk])


work_source(
    WorkSource(
        kind="household_due",
        label="정기 상담",
        queryset=lambda: Household.objects.filter(next_contact_due__isnull=False),
        household_path="",
        due_field="next_contact_due",
        mine=lambda user: Q(planner=user) | Q(nurse=user),
        unassigned=lambda: Q(planner__isnull=True),
        describe=_describe_household,
    )
)


def _source_rows(source: WorkSource, index: int, *, user, until, assigned, filters) -> QuerySet:
    path = source.household_path
    qs = source.queryset().filter(area_q(user, dong_field=f"{path}dong"))
    qs = apply_filters(qs, user=user, path=path, **filters)
    if assigned == ASSIGNED_MINE:
        qs = qs.filter(source.mine(user))
    elif assigned == ASSIGNED_NONE:
        qs = qs.filter(source.unassigned())
    qs = qs.filter(**{f"{source.due_field}__lte": until})
    return qs.order_by().values(
        w_source=Value(index, output_field=IntegerField()),
        w_due=F(source.due_field),
        w_household=F(f"{path}pk" if path else "pk"),
        w_ref=F("pk"),
    )


def worklist_rows(
    *, user, assigned: str, within_days: int = DEFAULT_WITHIN_DAYS, today: datetime.date | None = None, **filters
) -> QuerySet:
    """The merged (source, due, household, ref) rows, ordered most overdue first."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=within_days)
    parts = [
        _source_rows(src, i, user=user, until=until, assigned=assigned, filters=filters)
        for i, src in enumerate(WORK_SOURCES)
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("w_due", "w_household", "w_source", "w_ref")


def worklist_items(rows: list[dict], *, today: datetime.date | None = None) -> list[WorkItem]:
    """Turn a page of rows into WorkItems with one query for households and one per source."""
    today = today or timezone.localdate()
    household_ids = {r["w_household"] for r in rows}
    households = {h.pk: h for h in with_summary(Household.objects.filter(pk__in=household_ids))}
    refs: dict[int, dict] = {}
    for i, src in enumerate(WORK_SOURCES):
        ids = [r["w_ref"] for r in rows if r["w_source"] == i]
        refs[i] = src.hydrate(ids) if (src.hydrate and ids) else {}
    items = []
    for r in rows:
        src = WORK_SOURCES[r["w_source"]]
        household = households[r["w_household"]]
        ref = refs[r["w_source"]].get(r["w_ref"], household)
        title, detail, assignee, link = src.describe(ref, household)
        items.append(
            WorkItem(
                kind=src.kind, kind_label=src.label, due=r["w_due"], household=household, title=title, link=link,
                today=today, detail=detail, assignee=assignee, ref=ref, show_title=src.show_title,
                detail_label=src.detail_label, action_label=src.action_label,
            )
        )
    return items


def worklist_household_ids(*, user, assigned: str, within_days: int = DEFAULT_WITHIN_DAYS, limit: int, **filters) -> list[int]:
    """Distinct households on the worklist (for the Excel export), most overdue first; at most
    `limit` + 1 of them, so the caller can tell the list was longer than its limit."""
    seen: dict[int, None] = {}
    for row in worklist_rows(user=user, assigned=assigned, within_days=within_days, **filters).iterator():
        seen.setdefault(row["w_household"], None)
        if len(seen) > limit:
            break
    return list(seen)
