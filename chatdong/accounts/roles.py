"""Roles (GLOSSARY.md) and the level of area each one is scoped to."""

from django.db import models


class Role(models.TextChoices):
    PLANNER = "planner", "복지플래너"
    NURSE = "nurse", "방문간호사"
    NEIGHBOURHOOD_OFFICER = "neighbourhood_officer", "우리동네주무관"
    COUNSELLOR = "counsellor", "복지상담전문관"
    TEAM_LEADER = "team_leader", "복지팀장"
    DONG_HEAD = "dong_head", "동장"
    CARE_MANAGER = "care_manager", "돌봄매니저"
    GU_COORDINATOR = "gu_coordinator", "구 돌봄지원단·찾동 총괄"
    CITY_ANALYST = "city_analyst", "시 분석담당"
    ADMIN = "admin", "관리자"


DONG_ROLES = frozenset(
    {
        Role.PLANNER,
        Role.NURSE,
        Role.NEIGHBOURHOOD_OFFICER,
        Role.COUNSELLOR,
        Role.TEAM_LEADER,
        Role.DONG_HEAD,
        Role.CARE_MANAGER,
    }
)
GU_ROLES = frozenset({Role.GU_COORDINATOR})
CITY_ROLES = frozenset({Role.CITY_ANALYST, Role.ADMIN})
# Roles that supervise a dong's team: they see unassigned/stale work of the whole dong.
SUPERVISOR_ROLES = frozenset({Role.TEAM_LEADER, Role.DONG_HEAD})
# Roles that never see personal data (aggregates only).
AGGREGATE_ONLY_ROLES = frozenset({Role.CITY_ANALYST})


# Staff who may be a household's planner (담당 복지플래너): planners, counsellors and team leaders.
HOUSEHOLD_PLANNER_ROLES = frozenset({Role.PLANNER, Role.COUNSELLOR, Role.TEAM_LEADER})
# Staff who may be a household's nurse (담당 방문간호사).
HOUSEHOLD_NURSE_ROLES = frozenset({Role.NURSE})
# Staff given tongs of their dong to cover (담당 통).
TONG_ROLES = frozenset({Role.PLANNER, Role.NEIGHBOURHOOD_OFFICER})
# Who is told when a Care SOS request arrives in a dong: its care managers and team leaders.
CARE_SOS_RECEIVER_ROLES = frozenset({Role.CARE_MANAGER, Role.TEAM_LEADER})


def has_role(user_or_role, roles) -> bool:
    """True when the user (or a role value) is one of `roles` (a Role or a collection of them).

    The one place a role is compared; code elsewhere asks a named predicate of
    chatdong.accounts.rules, or this for data such as the demo's staff table."""
    role = getattr(user_or_role, "role", user_or_role)
    if isinstance(roles, Role):
        return role == roles
    return role in roles


def area_level(user_or_role) -> str:
    """'dong', 'gu' or 'city': the level of area a role works at (a superuser: 'city')."""
    if getattr(user_or_role, "is_superuser", False):
        return "city"
    role = getattr(user_or_role, "role", user_or_role)
    if role in DONG_ROLES:
        return "dong"
    if role in GU_ROLES:
        return "gu"
    return "city"
