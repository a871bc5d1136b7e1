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
