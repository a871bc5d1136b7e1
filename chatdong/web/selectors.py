"""Reads behind the home dashboard. Staff and area figures are narrowed to the user's scope
through chatdong.accounts.scoping; policy figures are city-wide public rules."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from chatdong.accounts.models import User
from chatdong.accounts.roles import Role, area_level
from chatdong.accounts.scoping import area_q, dongs_for
from chatdong.audit.selectors import access_log_search
from chatdong.policy.models import MedianIncome, PolicyThreshold
from chatdong.policy.selectors import in_force as policy_in_force


@dataclass(frozen=True)
class RoleCount:
    role: str
    label: str
    count: int


def scope_level(user) -> str:
    """'dong', 'gu' or 'city': the level of area the user's role works at."""
    return area_level(user)


def staff_in_scope(user) -> QuerySet:
    """Active staff accounts in the user's area: the dong's team for dong roles, every dong
    of the gu plus the gu's own staff for gu roles, everyone for city roles."""
    q = area_q(user, dong_field="dong", personal=False)
    if user.is_active and area_level(user) == "gu" and user.gu_id:
        q |= Q(gu_id=user.gu_id)
    return User.objects.filter(is_active=True).filter(q)


def staff_counts_by_role(user) -> list[RoleCount]:
    """Active staff in scope per role, in the order roles are declared (zero counts left out)."""
    rows = staff_in_scope(user).order_by().values("role").annotate(n=Count("pk"))
    counts = {row["role"]: row["n"] for row in rows}
    return [RoleCount(role.value, role.label, counts[role.value]) for role in Role if counts.get(role.value)]


def team_members(user, *, limit: int = 30) -> list[User]:
    """Colleagues in the user's dong (dong roles only), by role then name."""
    if scope_level(user) != "dong":
        return []
    return list(
        staff_in_scope(user).exclude(pk=user.pk).order_by("role", "name", "username")[:limit]
    )


def dong_count(user) -> int:
    return dongs_for(user).count()


def assigned_tongs(user) -> list:
    return list(user.tongs.select_related("dong").order_by("number")) if scope_level(user) == "dong" else []


@dataclass(frozen=True)
class PolicyOverview:
    in_force: int
    upcoming_count: int
    upcoming: list
    median_year: int | None
    median_rows: list


def policy_overview(*, on: datetime.date, upcoming_limit: int = 5) -> PolicyOverview:
    """How many thresholds are in force on `on`, the next scheduled versions, and the latest
    median-income year not after `on`'s year (falling back to the latest registered)."""
    in_force = PolicyThreshold.objects.filter(policy_in_force(on)).count()
    scheduled = PolicyThreshold.objects.filter(valid_from__gt=on)
    upcoming = list(scheduled.order_by("valid_from", "key")[:upcoming_limit])
    years = MedianIncome.objects.order_by("-year").values_list("year", flat=True).distinct()
    year = years.filter(year__lte=on.year).first() or years.first()
    rows = list(MedianIncome.objects.filter(year=year).order_by("household_size")) if year else []
    return PolicyOverview(
        in_force=in_force, upcoming_count=scheduled.count(), upcoming=upcoming, median_year=year, median_rows=rows
    )


def recent_access(user, *, limit: int = 5) -> list:
    """Latest access-log rows, for those allowed to review the log (admins)."""
    if not user.has_perm("audit.view_accesslog"):
        return []
    return list(access_log_search()[:limit])
