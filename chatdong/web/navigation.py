"""Navigation per role. Later apps add their entries here, one list per role."""

from dataclasses import dataclass

from chatdong.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


ALL_STAFF = frozenset(Role)
DONG_WORK = frozenset(
    {Role.PLANNER, Role.NURSE, Role.NEIGHBOURHOOD_OFFICER, Role.COUNSELLOR, Role.TEAM_LEADER, Role.DONG_HEAD, Role.CARE_MANAGER}
)

NAV_ITEMS: list[NavItem] = [
    NavItem("홈", "web:home", ALL_STAFF),
    NavItem("정책 기준값", "policy:list", frozenset({Role.ADMIN, Role.GU_COORDINATOR, Role.CITY_ANALYST, Role.TEAM_LEADER})),
    NavItem("열람기록", "audit:list", frozenset({Role.ADMIN})),
    NavItem("직원 관리", "admin:accounts_user_changelist", frozenset({Role.ADMIN})),
]


def items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    return [item for item in NAV_ITEMS if role in item.roles]
