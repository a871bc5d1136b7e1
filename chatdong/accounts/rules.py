"""Permission predicates (django-rules). Object predicates accept anything with a dong."""

import rules

from chatdong.accounts.roles import DONG_ROLES, SUPERVISOR_ROLES, Role


@rules.predicate
def is_admin(user) -> bool:
    return user.is_superuser or getattr(user, "role", None) == Role.ADMIN


@rules.predicate
def is_gu_coordinator(user) -> bool:
    return getattr(user, "role", None) == Role.GU_COORDINATOR


@rules.predicate
def is_city_analyst(user) -> bool:
    return getattr(user, "role", None) == Role.CITY_ANALYST


@rules.predicate
def is_dong_staff(user) -> bool:
    return getattr(user, "role", None) in DONG_ROLES


@rules.predicate
def is_team_leader(user) -> bool:
    return getattr(user, "role", None) in SUPERVISOR_ROLES


@rules.predicate
def is_care_manager(user) -> bool:
    return getattr(user, "role", None) == Role.CARE_MANAGER


def _dong_of(obj):
    """The Dong an object belongs to: the object itself, its `dong`, or its household's dong."""
    from chatdong.areas.models import Dong

    if obj is None:
        return None
    if isinstance(obj, Dong):
        return obj
    if getattr(obj, "dong_id", None) is not None:
        return obj.dong
    household = getattr(obj, "household", None)
    if household is not None and getattr(household, "dong_id", None) is not None:
        return household.dong
    return None


@rules.predicate
def is_in_user_dong(user, obj) -> bool:
    dong = _dong_of(obj)
    return dong is not None and getattr(user, "dong_id", None) == dong.pk


@rules.predicate
def is_in_user_gu(user, obj) -> bool:
    dong = _dong_of(obj)
    return dong is not None and getattr(user, "gu_id", None) == dong.gu_id


can_see_personal_data = ~is_city_analyst & (is_admin | is_gu_coordinator | is_dong_staff)
can_view_area_object = is_admin | (is_gu_coordinator & is_in_user_gu) | (is_dong_staff & is_in_user_dong)

rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("policy.edit_thresholds", is_admin)
rules.add_perm("audit.view_accesslog", is_admin)
rules.add_perm("areas.view_area_object", can_view_area_object)

# The Django admin (/admin/) is for admins only: staff accounts, the area map, policy
# thresholds and the median-income table. The access log is view-only there (its table
# rejects UPDATE/DELETE). `is_staff` is set from the role in User.save.
ADMIN_MANAGED_MODELS = {
    "accounts": ["user"],
    "areas": ["gu", "region", "dong", "tong"],
    "policy": ["policythreshold", "medianincome"],
}
for _app, _models in ADMIN_MANAGED_MODELS.items():
    rules.add_perm(_app, is_admin)
    for _model in _models:
        for _action in ("view", "add", "change", "delete"):
            rules.add_perm(f"{_app}.{_action}_{_model}", is_admin)
rules.add_perm("audit", is_admin)
