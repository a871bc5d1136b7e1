"""Navigation per role. Later apps add their entries to NAV_ITEMS (or call `register`).

Each entry names a URL and the roles that see it in the main menu. The home page shows the
same entries (except 홈 itself) as shortcuts, with their `description`.
"""

from dataclasses import dataclass

from chatdong.accounts.roles import DONG_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    description: str = ""


ALL_STAFF = frozenset(Role)
DONG_WORK = DONG_ROLES  # every dong role works the household screens

NAV_ITEMS: list[NavItem] = [
    NavItem("홈", "web:home", ALL_STAFF),
    # cases: the visiting-household screens
    NavItem("내 업무", "cases:worklist", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "기한이 지났거나 다가온 상담·방문을 기한 순으로"),
    NavItem("가구 찾기", "cases:household_search", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "이름·주소·전화번호·주민등록번호로 담당 구역의 가구 찾기"),
    NavItem("가구 등록", "cases:household_create", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "새 가구와 가구원 등록"),
    NavItem("가구 가져오기", "cases:import", frozenset({Role.TEAM_LEADER, Role.DONG_HEAD, Role.ADMIN}),
            "CSV·엑셀 파일로 가구·가구원 일괄 등록"),
    # cases: crisis-household discovery and the no-response procedure
    NavItem("제보 접수·분류", "cases:report_list", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "위기가구 제보를 배정하고 가구와 연결해 확인 방문 후 결과로 종료"),
    NavItem("무응답 대응", "cases:no_response_overview", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "고독사 무응답 대응 단계와 기한이 지난 단계"),
    # outreach: campaigns, their sweeps and visit tasks
    NavItem("방문 캠페인", "outreach:campaign_list", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN, Role.CITY_ANALYST},
            "보편방문(65·70세)·위기가구 집중발굴·고독사 실태조사 캠페인의 동별 진행 현황과 실행"),
    NavItem("방문 과제", "outreach:task_list", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "캠페인이 만든 방문 과제: 결과 기록(상담 완료·부재·거부·이사), 재배정"),
    NavItem("빅데이터 명단", "outreach:round_list",
            frozenset({Role.TEAM_LEADER, Role.DONG_HEAD, Role.GU_COORDINATOR, Role.ADMIN}),
            "복지사각지대 빅데이터 차수 명단 올리기, 미매칭 행 처리"),
    # cases: Care SOS (돌봄SOS) — dong intake and work; the gu's approvals and SLA board
    NavItem("돌봄SOS", "cases:care_request_list", DONG_WORK | {Role.GU_COORDINATOR, Role.ADMIN},
            "돌봄SOS 접수, 72시간 방문 기한, 욕구 사정·케어플랜·서비스 제공·사후관리"),
    NavItem("케어플랜 승인", "cases:care_plan_approvals", frozenset({Role.GU_COORDINATOR}),
            "동주민센터가 승인을 요청한 돌봄SOS 케어플랜을 오래된 순으로 승인·반려"),
    NavItem("SLA 현황", "cases:care_sos_sla", frozenset({Role.GU_COORDINATOR, Role.ADMIN, Role.CITY_ANALYST}),
            "동별 돌봄SOS 방문 기한 준수(기한 여유·임박·지남, 방문까지 걸린 시간)"),
    NavItem(
        "정책 기준값",
        "policy:list",
        frozenset({Role.ADMIN, Role.GU_COORDINATOR, Role.CITY_ANALYST, Role.TEAM_LEADER}),
        "지원 기준(연령·소득·기한 등)의 현재 값, 예정된 변경, 기준중위소득",
    ),
    NavItem("열람기록", "audit:list", frozenset({Role.ADMIN}), "누가 언제 어느 가구 정보를 열람했는지 조회"),
    NavItem("직원 관리", "admin:accounts_user_changelist", frozenset({Role.ADMIN}), "직원 계정, 역할, 담당 구역 관리"),
    NavItem("API 문서", "api-docs", frozenset({Role.ADMIN, Role.CITY_ANALYST}), "외부 연계·분석용 OpenAPI 문서"),
]


def register(item: NavItem, *, before: str | None = None) -> None:
    """Add `item` to the menu (once), optionally before the entry named `before`."""
    if any(existing.url_name == item.url_name for existing in NAV_ITEMS):
        return
    names = [existing.url_name for existing in NAV_ITEMS]
    NAV_ITEMS.insert(names.index(before) if before in names else len(NAV_ITEMS), item)


def role_of(user) -> Role | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        return Role(user.role)
    except ValueError:
        return None


def items_for(user) -> list[NavItem]:
    role = role_of(user)
    if role is None:
        return []
    return [item for item in NAV_ITEMS if role in item.roles]
