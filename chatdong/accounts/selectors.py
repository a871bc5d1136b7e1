"""Staff pickers: active accounts by role and area, so role values stay in chatdong.accounts."""

from collections.abc import Iterable

from django.db.models import QuerySet

from chatdong.accounts.models import User
from chatdong.accounts.roles import DONG_ROLES, Role


def staff_with(roles: Role | Iterable[Role] = DONG_ROLES, *, dong=None, gu=None, among: QuerySet | None = None) -> QuerySet:
    """Active staff with one of `roles` (one Role or several), optionally of one dong (or dong id)
    or one gu (or gu id), narrowed from `among` when given (e.g. a scoped staff queryset)."""
    values = [roles.value] if isinstance(roles, Role) else sorted(Role(r).value for r in roles)
    qs = (among if among is not None else User.objects.all()).filter(is_active=True, role__in=values)
    if dong is not None:
        qs = qs.filter(dong=dong)
    if gu is not None:
        qs = qs.filter(gu=gu)
    return qs


def dong_staff(dong) -> QuerySet:
    """Active staff of a dong (every dong role): who may be assigned the dong's work."""
    return staff_with(DONG_ROLES, dong=dong)
