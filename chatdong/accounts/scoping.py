"""Queryset scoping helpers: every selector of resident data narrows through these.

The rule (ARCHITECTURE.md): a dong role sees its own dong, a gu coordinator the gu, an
admin everything, and the city analyst no personal data at all. Out-of-scope objects are
simply not in the queryset, so views answer 404 rather than 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from chatdong.accounts.roles import AGGREGATE_ONLY_ROLES, DONG_ROLES, GU_ROLES, Role

NOTHING = Q(pk__in=[])


def area_q(user, *, dong_field: str = "dong", personal: bool = True) -> Q:
    """A Q object limiting rows to the user's area.

    `dong_field` is the lookup path from the model to its `Dong` (e.g. "household__dong").
    `personal=True` means the rows carry personal data: aggregate-only roles get nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.role in AGGREGATE_ONLY_ROLES:
        return NOTHING if personal else Q()
    if user.role in GU_ROLES:
        return Q(**{f"{dong_field}__gu_id": user.gu_id}) if user.gu_id else NOTHING
    if user.role in DONG_ROLES:
        return Q(**{f"{dong_field}_id": user.dong_id}) if user.dong_id else NOTHING
    return NOTHING


def scope(queryset: QuerySet, user, *, dong_field: str = "dong", personal: bool = True) -> QuerySet:
    """Narrow `queryset` to the rows `user` may see."""
    return queryset.filter(area_q(user, dong_field=dong_field, personal=personal))


def dongs_for(user) -> QuerySet:
    """The dongs in the user's scope (all of them for admins and city roles)."""
    from chatdong.areas.models import Dong

    dongs = Dong.objects.select_related("gu")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return dongs.none()
    if user.is_superuser or user.role in (Role.ADMIN, Role.CITY_ANALYST):
        return dongs
    if user.role in GU_ROLES:
        return dongs.filter(gu_id=user.gu_id) if user.gu_id else dongs.none()
    if user.role in DONG_ROLES:
        return dongs.filter(pk=user.dong_id) if user.dong_id else dongs.none()
    return dongs.none()


def writable_dongs(user) -> QuerySet:
    """The dongs the user may create or change personal data in: every write path (forms,
    services, the API) narrows its dong choices and checks through this one. `dongs_for` gives
    the city analyst every dong for aggregates; writing personal data is never theirs."""
    from chatdong.accounts.rules import can_see_personal_data

    dongs = dongs_for(user)
    return dongs if can_see_personal_data(user) else dongs.none()


def may_write_in_dong(user, obj) -> bool:
    """True when `obj` — a Dong, a dong id, or anything with a dong or a household (a
    household, a resident, a report) — lies in one of the user's writable dongs."""
    from chatdong.accounts.rules import dong_id_of

    dong_id = obj if isinstance(obj, int) else dong_id_of(obj)
    if dong_id is None:
        return False
    return writable_dongs(user).filter(pk=dong_id).exists()


def ensure_may_write(user, obj) -> None:
    """The services' backstop behind the scoped selectors: refuse a write outside the user's
    writable dongs (and any personal write by the city analyst)."""
    if not may_write_in_dong(user, obj):
        raise PermissionDenied("담당 구역 밖의 개인정보는 등록·수정할 수 없습니다.")


def tongs_for(user, *, dong=None) -> QuerySet:
    """Tongs of the user's writable dongs (of `dong` only, when given), by number."""
    from chatdong.areas.models import Tong

    tongs = Tong.objects.filter(dong__in=writable_dongs(user))
    if dong is not None:
        tongs = tongs.filter(dong=dong)
    return tongs.order_by("number")
