"""Permission predicates (django-rules): every "may this user do X (to this object)" of the
project is named here, so no code elsewhere compares roles. Object predicates accept anything
with a dong (a Dong, an object with `dong`, or one with a `household`).

The answers:
- Personal data: dong staff in their dong, gu coordinators in their gu, admins everywhere; the
  city analyst never (aggregates only). Writing follows seeing: `chatdong.accounts.scoping.writable_dongs`.
- Supervisors (`is_supervisor`): team leaders and dong heads of a dong, the gu coordinators
  (the gu's control tower, DOMAIN §1, §8) and admins. They assign and reassign work, pay
  rewards and run campaigns, each within their own area.
"""

import rules

from chatdong.accounts.roles import DONG_ROLES, SUPERVISOR_ROLES, Role


@rules.predicate
def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


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


@rules.predicate
def is_planner(user) -> bool:
    return getattr(user, "role", None) == Role.PLANNER


@rules.predicate
def is_nurse(user) -> bool:
    return getattr(user, "role", None) == Role.NURSE


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


def dong_id_of(obj):
    """Like `_dong_of`, but only the id (no query for an object that carries `dong_id`)."""
    from chatdong.areas.models import Dong

    if obj is None:
        return None
    if isinstance(obj, Dong):
        return obj.pk
    if getattr(obj, "dong_id", None) is not None:
        return obj.dong_id
    household = getattr(obj, "household", None)
    return getattr(household, "dong_id", None) if household is not None else None


@rules.predicate
def is_in_user_dong(user, obj) -> bool:
    dong_id = dong_id_of(obj)
    return dong_id is not None and getattr(user, "dong_id", None) == dong_id


@rules.predicate
def is_in_user_gu(user, obj) -> bool:
    dong = _dong_of(obj)
    return dong is not None and getattr(user, "gu_id", None) == dong.gu_id


can_see_personal_data = ~is_city_analyst & (is_admin | is_gu_coordinator | is_dong_staff)
can_view_area_object = is_admin | (is_gu_coordinator & is_in_user_gu) | (is_dong_staff & is_in_user_dong)

# The one "supervisor" of the project (see the module docstring).
is_supervisor = is_admin | is_team_leader | is_gu_coordinator
# Planners, nurses and the other dong staff start on their own caseload; supervisors on all.
works_own_caseload = is_dong_staff & ~is_team_leader
# Sees every gu's aggregates (SLA boards, the provider registry).
is_city_wide = is_admin | is_city_analyst

# Dong work on an object (a Care SOS request, a visit task, a report): staff of its own dong.
works_in_dong = is_active_user & is_dong_staff & is_in_user_dong
# The gu care-support team (돌봄지원단) of the object's gu.
coordinates_gu_of = is_active_user & is_gu_coordinator & is_in_user_gu

# Bulk household import (가구 가져오기): team leaders, dong heads and admins.
may_import_households = is_team_leader | is_admin
# The Care SOS approval queue is the gu team's screen (admins look in too).
may_open_care_plan_approvals = is_gu_coordinator | is_admin
# The Care SOS SLA board: aggregates for the gu team, the city, and the dong's supervisors
# and care managers.
may_view_care_sos_board = is_admin | is_gu_coordinator | is_city_analyst | is_team_leader | is_care_manager

rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("policy.edit_thresholds", is_admin)
rules.add_perm("audit.view_accesslog", is_admin)
rules.add_perm("areas.view_area_object", can_view_area_object)
# For templates: `{% if perms.accounts.view_personal_data %}`.
rules.add_perm("accounts.view_personal_data", can_see_personal_data)

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
