"""돌봄SOS (Care SOS) in the 은평구 demo: the gu's service providers and a set of requests in
every stage of the workflow, so each Care SOS screen has something to show.

Requests are driven through the real services of `cases.care_sos.services` — intake (with
a `received_at` in the past, which the intake service accepts), visit scheduling and
records, assessment, plan lines, submission, the gu coordinator's return/approval,
deliveries, follow-up, closure and the side exits — so every request carries the events,
approvals, access-log rows and notifications the screens would have produced. Nothing sets
a state directly.

Time: intake, visit, plan period, delivery and follow-up dates are set relative to now
(the services accept past dates for those), so the just-received requests are on track,
due soon and overdue on the day the demo is seeded. The services stamp their own records
(events, assessments, submissions, decisions) with the time they run; those show the
seeding time.

Idempotent: a scenario is identified by its dong and its reason text; a scenario whose
request exists is skipped, and households that already have a request are never picked
again. Providers are looked up by (gu, name). Deterministic: people are chosen from the
caseload in a stable order (household, resident id) by fixed criteria.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from cases.care_sos.models import (
    CareKind,
    CareProvider,
    CareRequest,
    CareService,
    CloseOutcome,
    InformalCarer,
    IntakeChannel,
    ProviderKind,
    ReasonKind,
    ServiceUnit,
    Urgency,
)
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services.approvals import care_plan_approve, care_plan_return
from cases.care_sos.services.assessment import care_assessment_save
from cases.care_sos.services.delivery import (
    care_request_close,
    care_request_finish_service,
    care_request_record_follow_up,
    service_delivery_record,
)
from cases.care_sos.services.intake import care_request_intake
from cases.care_sos.services.plans import (
    FREE_BENEFITS,
    FREE_RATIO_KEY,
    care_plan_line_add,
    care_plan_line_remove,
    care_plan_revise,
    care_plan_start,
    care_plan_submit,
    care_plan_update,
)
from cases.care_sos.services.visits import (
    care_request_mark_ineligible,
    care_request_record_visit,
    care_request_schedule_visit,
    care_request_withdraw,
)
from cases.models import CrisisReport, ReportStatus, Resident
from cases.models.households import active_resident_q
from chatdong import policy
from chatdong.accounts.models import User
from chatdong.areas.models import Dong, Gu

# The gu care-support team member who decides on plans in the demo.
APPROVER = "coordinator1"
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)

# --- providers ---------------------------------------------------------------------------------

EMERGENCY, GENERAL, DAILY = CareKind.EMERGENCY, CareKind.GENERAL, CareKind.DAILY


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    kind: str
    care_kinds: tuple[str, ...]
    contact_name: str
    phone: str
    address: str
    dong: str | None = None  # a provider active in one dong only
    active: bool = True
    note: str = ""


PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec("은평구 재가노인복지센터", ProviderKind.HOME_CARE_AGENCY, (EMERGENCY,), "오경숙 센터장", "02-352-4471",
                 "서울특별시 은평구 통일로 684", note="일시재가: 요양보호사 방문, 1회 2~4시간"),
    ProviderSpec("은평햇살 방문요양센터", ProviderKind.HOME_CARE_AGENCY, (EMERGENCY,), "한상미 사회복지사", "02-383-2210",
                 "서울특별시 은평구 연서로 195", note="야간·주말 일시재가 가능"),
    ProviderSpec("은평구립 주야간·단기보호센터", ProviderKind.CARE_FACILITY, (EMERGENCY,), "김태호 팀장", "02-385-9031",
                 "서울특별시 은평구 서오릉로 41", note="단기시설 입소 최대 14일, 정원 10명"),
    ProviderSpec("서울특별시 서북병원 공공의료팀", ProviderKind.HOSPITAL, (GENERAL,), "정유리 의료사회복지사",
                 "02-3156-3000", "서울특별시 은평구 역말로 49", note="퇴원 환자 지역사회 연계"),
    ProviderSpec("은평구보건소 방문건강관리팀", ProviderKind.HEALTH_CENTRE, (GENERAL,), "이선영 간호사", "02-351-8081",
                 "서울특별시 은평구 은평로 195", note="방문건강관리, 영양 상담, 치매 조기검진"),
    ProviderSpec("은평노인종합복지관", ProviderKind.WELFARE_CENTRE, (GENERAL, DAILY), "박준호 사례관리팀장",
                 "02-382-3123", "서울특별시 은평구 은평터널로 7가길 36", note="재가 사례관리, 밑반찬 지원"),
    ProviderSpec("함께가는길 병원동행 사회적협동조합", ProviderKind.SOCIAL_ENTERPRISE, (DAILY,), "윤미경 코디네이터",
                 "070-4228-5117", "서울특별시 은평구 진흥로 95", note="병원 동행·귀가 지원, 시간 단위"),
    ProviderSpec("은평 집수리 사회적협동조합", ProviderKind.SOCIAL_ENTERPRISE, (DAILY,), "최동욱 반장", "02-6406-7730",
                 "서울특별시 은평구 갈현로 242", note="안전손잡이·전등·문턱 등 간단 수리"),
    ProviderSpec("은평클린케어", ProviderKind.SOCIAL_ENTERPRISE, (DAILY,), "강민지 실장", "02-357-0925",
                 "서울특별시 은평구 증산로 377", note="청소·방역, 저장강박 가구 대청소"),
    ProviderSpec("은평 나눔도시락", ProviderKind.SOCIAL_ENTERPRISE, (DAILY,), "서영희 대표", "02-388-6214",
                 "서울특별시 은평구 응암로 182", note="점심·저녁 도시락 배달(주 5일)"),
    ProviderSpec("불광1동 우리동네 나눔반장", ProviderKind.NEIGHBOURHOOD_HELPER, (DAILY,), "나눔반장 3명", "02-351-6711",
                 "서울특별시 은평구 불광1동 주민센터", dong="불광1동", note="안부 확인, 전구 교체 등 일상편의"),
    ProviderSpec("응암2동 우리동네 나눔반장", ProviderKind.NEIGHBOURHOOD_HELPER, (DAILY,), "나눔반장 2명", "02-351-6851",
                 "서울특별시 은평구 응암2동 주민센터", dong="응암2동", note="안부 확인, 장보기 동행"),
    ProviderSpec("녹번동 우리동네 나눔반장", ProviderKind.NEIGHBOURHOOD_HELPER, (DAILY,), "나눔반장 2명", "02-351-6531",
                 "서울특별시 은평구 녹번동 주민센터", dong="녹번동", note="안부 확인"),
    ProviderSpec("진관동 우리동네 나눔반장", ProviderKind.NEIGHBOURHOOD_HELPER, (DAILY,), "나눔반장 2명", "02-351-8451",
                 "서울특별시 은평구 진관동 주민센터", dong="진관동", note="안부 확인"),
    ProviderSpec("연서 방문요양센터", ProviderKind.HOME_CARE_AGENCY, (EMERGENCY,), "", "02-388-4402",
                 "서울특별시 은평구 연서로 310", active=False, note="2025년 협약 종료"),
)


def _ensure_providers(gu: Gu, dongs: dict[str, Dong]) -> tuple[dict[str, CareProvider], int]:
    """The gu's providers by name; missing ones are created (existing ones, admin edits
    included, are left as they are). Returns (providers, created count)."""
    existing = {p.name: p for p in CareProvider.objects.filter(gu=gu, name__in=[s.name for s in PROVIDERS])}
    missing = [
        CareProvider(
            name=s.name, kind=s.kind, care_kinds=list(s.care_kinds), gu=gu, dong=dongs.get(s.dong) if s.dong else None,
            contact_name=s.contact_name, phone=s.phone, address=s.address, active=s.active, note=s.note,
        )
        for s in PROVIDERS if s.name not in existing
    ]
    for provider in CareProvider.objects.bulk_create(missing):
        existing[provider.name] = provider
    return existing, len(missing)


# --- scenarios ---------------------------------------------------------------------------------

HELPER = "{dong} 우리동네 나눔반장"  # the request's own dong's neighbourhood helpers


@dataclass(frozen=True)
class Line:
    """A plan line; `start`/`end` are days after the plan's first day."""

    kind: str
    service: str
    provider: str
    quantity: str
    unit: str
    unit_cost: int
    start: int
    end: int
    note: str = ""


@dataclass(frozen=True)
class Delivery:
    line: int  # index into the scenario's (final) lines
    day: int  # days after the plan's first day
    quantity: str
    note: str


@dataclass(frozen=True)
class Scenario:
    dong: str
    actor: str
    target: str  # the CareRequestStatus the request is left in
    reason: str  # with the dong: the scenario's identity (idempotency)
    reason_kind: str
    informal_carer: str
    received_ago: datetime.timedelta
    channel: str = IntakeChannel.PHONE
    urgency: str = Urgency.HIGH
    carer_note: str = ""
    applicant: tuple[str, str, str] = ("", "", "")  # name, relation, phone
    managers: tuple[str, ...] = ()  # () → the dong's care managers (intake's default)
    person: str = "alone"  # a key of PERSON_RULES
    from_report: bool = False  # referred from an open crisis report of the person's household
    scheduled_after: datetime.timedelta | None = None
    schedule_note: str = ""
    visited_after: datetime.timedelta | None = None
    visit_note: str = ""
    assessment: dict = field(default_factory=dict)
    goal: str = ""
    plan_start: int = 2  # days after the day of intake
    plan_days: int = 14
    lines: tuple[Line, ...] = ()
    submit_comment: str = ""
    return_comment: str = ""
    revised_lines: tuple[Line, ...] = ()  # replace `lines` after a return, then resubmit
    approve_comment: str = ""
    deliveries: tuple[Delivery, ...] = ()
    finish_comment: str = ""
    follow_up_note: str = ""
    outcome: str = ""
    outcome_note: str = ""
    exit_reason: str = ""


def _assessment(kinds, summary, *, health=("none", ""), care=("none", ""), daily=("none", ""),
                housing=("none", ""), safety=("none", ""), adl=(), carer=False, carer_note="") -> dict:
    return {
        "health_level": health[0], "health_note": health[1], "care_level": care[0], "care_note": care[1],
        "daily_life_level": daily[0], "daily_life_note": daily[1], "housing_level": housing[0],
        "housing_note": housing[1], "safety_level": safety[0], "safety_note": safety[1],
        "adl_difficulties": list(adl), "carer_available": carer, "carer_note": carer_note,
        "care_kinds": list(kinds), "summary": summary,
    }


HOME_CARE = (EMERGENCY, CareService.TEMPORARY_HOME_CARE)
MEALS = (DAILY, CareService.MEALS)
ESCORT = (DAILY, CareService.ESCORT)
CLEANING = (DAILY, CareService.CLEANING)
HOME_FIX = (DAILY, CareService.HOME_FIX)
CHECK_IN = (DAILY, CareService.CHECK_IN)
HOSPITAL = (GENERAL, CareService.HOSPITAL_LINK)
HEALTH_CENTRE = (GENERAL, CareService.HEALTH_CENTRE_LINK)
WELFARE_CENTRE = (GENERAL, CareService.WELFARE_CENTRE_LINK)


def _line(what, provider, quantity, unit, unit_cost, start, end, note="") -> Line:
    kind, service = what
    return Line(kind, service, provider, quantity, unit, unit_cost, start, end, note)


SCENARIOS: tuple[Scenario, ...] = (
    # --- waiting for the 72-hour visit: on track, due soon, overdue ----------------------------
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.RECEIVED, received_ago=3 * H,
        reason="어제 낙상으로 손목 골절 진단 후 귀가. 혼자 살며 깁스 때문에 식사 준비·세면이 어렵다고 딸이 전화로 신청.",
        reason_kind=ReasonKind.ILLNESS, informal_carer=InformalCarer.FAMILY_APART,
        carer_note="딸이 경기도 화성에 살며 주말에만 방문 가능", applicant=("이수진", "딸", "010-4827-3306"),
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.RECEIVED, received_ago=54 * H, person="couple",
        channel=IntakeChannel.CALL_120, urgency=Urgency.URGENT,
        reason="함께 사는 배우자(주 돌봄자)가 뇌경색으로 입원해 치매 초기 어르신이 "
               "혼자 남음. 식사·복약을 챙길 사람이 없음(120다산콜 연계).",
        reason_kind=ReasonKind.CARER_ABSENT, informal_carer=InformalCarer.UNABLE,
        carer_note="배우자 입원 중, 자녀는 지방 거주로 당장 올 수 없음",
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.RECEIVED, received_ago=79 * H, from_report=True,
        channel=IntakeChannel.DONG_VISIT, urgency=Urgency.NORMAL,
        reason="무릎 통증으로 거동이 어려워 장보기·청소를 못 하고 집 안에 쓰레기가 쌓여 있다는 통장 제보. 본인도 도움을 원함.",
        reason_kind=ReasonKind.DAILY_LIVING, informal_carer=InformalCarer.NONE,
        applicant=("김영순", "통장", "010-3391-5820"),
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.VISIT_SCHEDULED, received_ago=18 * H,
        scheduled_after=44 * H, schedule_note="본인과 통화해 방문 시간 확정, 간호사 동행",
        reason="대상포진으로 통증이 심해 2주간 외출이 어렵다며 본인이 전화 신청. 병원 통원과 식사 준비 도움 요청.",
        reason_kind=ReasonKind.ILLNESS, informal_carer=InformalCarer.NEIGHBOUR,
        carer_note="같은 건물 이웃이 가끔 들여다봄",
    ),
    # --- visited, assessed, plan being written -----------------------------------------------------
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.VISITED, received_ago=50 * H, visited_after=26 * H,
        channel=IntakeChannel.AGENCY_REFERRAL,
        reason="고관절 수술 후 사흘 뒤 퇴원 예정. 퇴원 후 2주간 돌봄 공백이 우려된다며 병원 의료사회복지사가 의뢰.",
        reason_kind=ReasonKind.DISCHARGE, informal_carer=InformalCarer.FAMILY_APART,
        carer_note="아들이 평일 저녁에만 들를 수 있음", applicant=("정유리", "병원 의료사회복지사", "02-3156-3000"),
        visit_note="퇴원 전 자택 방문. 3층 계단(엘리베이터 없음), 욕실 문턱 높음. 퇴원 후 화장실 이동·목욕에 도움 필요.",
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.ASSESSED, received_ago=4 * D, visited_after=30 * H,
        channel=IntakeChannel.VISIT_REFERRAL,
        reason="보편방문 중 발견: 돌보던 딸이 3주간 해외 출장. 파킨슨병 어르신이 혼자 식사·복약을 못 챙기고 있음.",
        reason_kind=ReasonKind.CARER_ABSENT, informal_carer=InformalCarer.FAMILY_APART,
        carer_note="딸 해외 출장 중(3주 뒤 귀국)",
        visit_note="자택 방문. 손 떨림으로 젓가락 사용이 어렵고 약 봉투가 뜯기지 않은 채 쌓여 있음. 냉장고 비어 있음.",
        assessment=_assessment(
            (EMERGENCY, DAILY), "딸 귀국 전까지 일시재가(식사·복약 도움)와 도시락 지원 필요.",
            health=("urgent", "파킨슨병, 손 떨림 심해짐. 복약 누락 1주 이상"), care=("some", "식사·복약 확인 필요"),
            daily=("some", "장보기·조리 불가"), adl=("eating", "grooming"), carer_note="딸 해외 출장 중",
        ),
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.PLAN_DRAFTED, received_ago=6 * D, visited_after=22 * H,
        reason="폐렴으로 열흘 입원 후 퇴원. 기력이 떨어져 집안일과 병원 통원이 어렵다고 본인이 신청.",
        reason_kind=ReasonKind.DISCHARGE, informal_carer=InformalCarer.NONE,
        visit_note="자택 방문. 혼자 걸을 수 있으나 오래 서 있지 못함. 외래 진료 2회 예정, 집 안 청소 상태 불량.",
        assessment=_assessment(
            (GENERAL, DAILY), "외래 진료 동행과 대청소 1회, 퇴원 후 병원 연계 관리.",
            health=("some", "폐렴 퇴원 후 회복 중, 외래 2회 예정"), daily=("some", "청소·장보기 어려움"),
            housing=("some", "곰팡이, 환기 불량"), adl=("walking",),
        ),
        goal="퇴원 후 회복 기간 동안 외래 진료와 위생적인 주거 유지",
        lines=(
            _line(HOSPITAL, "서울특별시 서북병원 공공의료팀", "1", ServiceUnit.CASE, 0, 0, 0, "퇴원 후 외래 연계"),
            _line(ESCORT, "함께가는길 병원동행 사회적협동조합", "4", ServiceUnit.HOUR, 15_000, 2, 9, "외래 2회 × 2시간"),
            _line(CLEANING, "은평클린케어", "1", ServiceUnit.VISIT, 60_000, 1, 3, "대청소·곰팡이 제거"),
        ),
    ),
    # --- at the gu: submitted (first time, and again after a return), returned -----------------------
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.SUBMITTED, received_ago=7 * D, visited_after=20 * H,
        person="self_pay",
        reason="무릎 인공관절 수술 후 퇴원. 함께 사는 배우자도 고령이라 목욕·이동을 돕기 어려움.",
        reason_kind=ReasonKind.DISCHARGE, informal_carer=InformalCarer.UNABLE,
        carer_note="배우자 80대, 허리 질환",
        visit_note="자택 방문. 보행기 사용, 욕실 미끄럼 위험. 소득이 무료 기준을 넘어 본인부담 안내, 동의함.",
        assessment=_assessment(
            (EMERGENCY, DAILY), "2주간 일시재가(목욕·이동)와 재활 외래 동행.",
            health=("some", "무릎 인공관절 수술 후 재활 중"), care=("urgent", "목욕·이동 도움 필요"),
            safety=("some", "욕실 미끄럼"), adl=("bathing", "walking", "transferring"), carer_note="배우자 고령",
        ),
        goal="재활 기간 안전한 목욕·이동과 외래 재활 유지",
        lines=(
            _line(HOME_CARE, "은평햇살 방문요양센터", "24", ServiceUnit.HOUR, 18_000, 0, 13, "주 4회 × 3시간"),
            _line(ESCORT, "함께가는길 병원동행 사회적협동조합", "6", ServiceUnit.HOUR, 15_000, 0, 13, "재활 외래 3회"),
        ),
        submit_comment="본인부담 동의서 받음",
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.RETURNED, received_ago=10 * D, visited_after=28 * H,
        person="disabled",
        reason="시각장애(심한 장애)로 혼자 생활. 활동지원사가 2주간 휴가라 식사·청소를 도와줄 사람이 없음.",
        reason_kind=ReasonKind.CARER_ABSENT, informal_carer=InformalCarer.NONE,
        carer_note="활동지원사 휴가(2주)",
        visit_note="자택 방문. 조리 불가, 배달 음식으로 버티는 중. 집 안 정리 상태 불량.",
        assessment=_assessment(
            (DAILY,), "활동지원사 복귀 전까지 도시락과 청소 지원.",
            daily=("urgent", "조리·청소 불가"), adl=("eating",),
        ),
        goal="활동지원 공백 기간 식사와 위생 유지",
        lines=(
            _line(MEALS, "은평 나눔도시락", "28", ServiceUnit.MEAL, 8_000, 0, 13, "점심·저녁"),
            _line(CLEANING, "은평클린케어", "2", ServiceUnit.VISIT, 60_000, 0, 13),
        ),
        return_comment="활동지원 서비스 이용 중인지(같은 기간 중복 지원) 확인해 주시고, "
                       "청소·방역 2회가 필요한 이유를 사정 의견에 보완해 주세요.",
    ),
    Scenario(
        dong="응암2동", actor="nurse2", managers=("nurse2", "planner2"), target=S.SUBMITTED, received_ago=9 * D,
        visited_after=25 * H,
        reason="뇌졸중 후 왼쪽 편마비로 재활 중인 1인가구 어르신. 장기요양 등급 판정이 나올 때까지 돌봄 공백.",
        reason_kind=ReasonKind.ILLNESS, informal_carer=InformalCarer.NONE,
        visit_note="간호사·플래너 동행 방문. 지팡이 보행, 식사는 한 손으로 가능. 장기요양 등급 신청(판정 3주 예정).",
        assessment=_assessment(
            (EMERGENCY, GENERAL), "등급 판정 전까지 일시재가, 보건소 방문건강관리 연계.",
            health=("urgent", "편마비, 혈압 관리 필요"), care=("some", "목욕·옷 입기 도움"),
            adl=("bathing", "dressing", "walking"),
        ),
        goal="장기요양 등급 판정 전 돌봄 공백 해소",
        lines=(_line(HOME_CARE, "은평구 재가노인복지센터", "40", ServiceUnit.HOUR, 18_000, 0, 13, "매일 3시간"),),
        return_comment="일시재가 40시간은 과다합니다. 등급 판정 예정일까지로 시간을 줄이고 보건소 연계를 함께 넣어 주세요.",
        revised_lines=(
            _line(HOME_CARE, "은평구 재가노인복지센터", "24", ServiceUnit.HOUR, 18_000, 0, 13, "주 4회 × 3시간"),
            _line(HEALTH_CENTRE, "은평구보건소 방문건강관리팀", "1", ServiceUnit.CASE, 0, 0, 0, "혈압·재활 방문건강관리"),
        ),
        submit_comment="반려 의견대로 일시재가 시간 조정, 보건소 연계 추가",
    ),
    # --- approved: in service, follow-up, closed -----------------------------------------------------
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.IN_SERVICE, received_ago=12 * D, visited_after=21 * H,
        reason="요추 압박골절로 2주 입원 후 퇴원, 혼자 살며 거동이 어려움.",
        reason_kind=ReasonKind.DISCHARGE, informal_carer=InformalCarer.NONE,
        visit_note="자택 방문. 허리 보조기 착용, 실내 보행만 가능. 식사 준비 불가.",
        assessment=_assessment(
            (EMERGENCY, DAILY), "3주간 일시재가와 도시락.",
            health=("some", "요추 압박골절, 보조기 착용"), care=("urgent", "식사·세면 도움"),
            adl=("bathing", "walking"),
        ),
        goal="골절 회복 기간 식사·위생 유지",
        plan_start=3, plan_days=21,
        lines=(
            _line(HOME_CARE, "은평구 재가노인복지센터", "20", ServiceUnit.HOUR, 18_000, 0, 20, "격일 × 2시간"),
            _line(MEALS, "은평 나눔도시락", "20", ServiceUnit.MEAL, 8_000, 0, 20, "점심"),
        ),
        approve_comment="승인합니다. 3주 후 등급 신청 여부 확인 바랍니다.",
        deliveries=(
            Delivery(0, 0, "2", "첫 방문. 세면·식사 도움, 보조기 착용 확인."),
            Delivery(1, 0, "5", "도시락 5일분 배달 시작."),
            Delivery(0, 2, "2", "목욕 도움. 통증 호소 줄어듦."),
            Delivery(0, 4, "2", "장보기 대행, 식사 도움."),
            Delivery(1, 5, "5", "도시락 5일분 배달."),
            Delivery(0, 6, "2", "실내 보행 연습 함께 함."),
        ),
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.FOLLOW_UP, received_ago=40 * D, visited_after=19 * H,
        reason="독감 후 탈수로 응급실 진료를 받고 귀가. 혼자 살며 회복 기간 식사와 안부 확인이 필요.",
        reason_kind=ReasonKind.ILLNESS, informal_carer=InformalCarer.NONE,
        visit_note="자택 방문. 기운 없음, 식사량 적음. 나눔반장 안부 확인과 도시락 지원 필요.",
        assessment=_assessment(
            (DAILY,), "2주간 도시락과 안부 확인.", health=("some", "탈수 회복 중"), daily=("some", "조리 어려움"),
        ),
        goal="회복 기간 식사와 안부 확인",
        lines=(
            _line(MEALS, "은평 나눔도시락", "14", ServiceUnit.MEAL, 8_000, 0, 13, "점심"),
            _line(CHECK_IN, HELPER, "4", ServiceUnit.VISIT, 0, 0, 13, "주 2회 안부 확인"),
        ),
        deliveries=(
            Delivery(0, 0, "7", "도시락 7일분 배달."),
            Delivery(1, 2, "1", "안부 확인. 식사 잘 하고 있음."),
            Delivery(1, 6, "1", "안부 확인. 기력 회복 중."),
            Delivery(0, 7, "7", "도시락 7일분 배달."),
            Delivery(1, 10, "1", "안부 확인. 동네 산책 시작."),
            Delivery(1, 13, "1", "안부 확인. 일상 회복, 서비스 종료 안내."),
        ),
        finish_comment="2주 지원 후 일상 회복",
    ),
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.CLOSED, received_ago=75 * D, visited_after=23 * H,
        reason="뇌경색 퇴원 후 오른쪽 편마비. 장기요양 등급 판정 전까지 돌봄이 필요하다고 아들이 신청.",
        reason_kind=ReasonKind.DISCHARGE, informal_carer=InformalCarer.FAMILY_APART,
        carer_note="아들이 직장 때문에 주말에만 돌봄", applicant=("박정훈", "아들", "010-7714-2093"),
        visit_note="자택 방문. 휠체어 사용, 화장실 문턱과 욕실 손잡이 없음. 장기요양 등급 신청 안내.",
        assessment=_assessment(
            (EMERGENCY, DAILY), "등급 판정 전까지 일시재가, 안전손잡이 설치.",
            health=("urgent", "편마비, 재활 필요"), care=("urgent", "이동·목욕·용변 도움"),
            safety=("urgent", "욕실 낙상 위험"), adl=("bathing", "toileting", "transferring", "walking"),
            carer_note="아들 주말 돌봄",
        ),
        goal="등급 판정 전 돌봄 공백 해소와 낙상 예방",
        plan_days=28,
        lines=(
            _line(HOME_CARE, "은평구 재가노인복지센터", "30", ServiceUnit.HOUR, 18_000, 0, 27, "주 2~3회 × 3시간"),
            _line(HOME_FIX, "은평 집수리 사회적협동조합", "1", ServiceUnit.VISIT, 30_000, 0, 6, "욕실 안전손잡이 설치"),
        ),
        deliveries=(
            Delivery(0, 0, "3", "첫 방문. 목욕·식사 도움."),
            Delivery(1, 1, "1", "욕실·화장실 안전손잡이 2개 설치."),
            *(Delivery(0, day, "3", note) for day, note in (
                (3, "목욕·이동 도움."), (6, "식사·복약 확인."), (9, "목욕 도움, 재활 운동 보조."),
                (12, "이동 도움."), (15, "목욕 도움."), (18, "식사 도움."), (21, "목욕·이동 도움."),
                (24, "재활 운동 보조."),
            )),
        ),
        finish_comment="장기요양 등급 판정으로 서비스 종료",
        follow_up_note="전화·방문 점검. 장기요양 2등급 판정 후 방문요양 주 5회 이용 중, 생활 안정.",
        outcome=CloseOutcome.PUBLIC_SERVICE, outcome_note="장기요양 2등급, 방문요양으로 전환",
    ),
    # --- side exits ---------------------------------------------------------------------------------
    Scenario(
        dong="불광1동", actor="caremanager1", target=S.WITHDRAWN, received_ago=30 * H, scheduled_after=50 * H,
        schedule_note="본인 요청으로 오후 방문",
        reason="허리 디스크 시술 후 일주일간 누워 지내야 해 식사·청소 도움을 요청.",
        reason_kind=ReasonKind.ILLNESS, informal_carer=InformalCarer.FAMILY_APART,
        carer_note="아들이 서울에 살지만 맞벌이",
        exit_reason="아들이 휴가를 내고 일주일간 직접 돌보기로 해 신청 철회(본인과 통화해 확인).",
    ),
    Scenario(
        dong="녹번동", actor="nurse3", managers=("nurse3", "planner3"), target=S.INELIGIBLE, received_ago=3 * D,
        visited_after=20 * H, person="graded",
        reason="요양보호사가 1주간 휴가라 그동안 돌봐 줄 사람이 없다며 본인이 신청.",
        reason_kind=ReasonKind.CARER_ABSENT, informal_carer=InformalCarer.NONE,
        visit_note="자택 방문. 장기요양 재가급여(방문요양) 이용 중으로 확인.",
        exit_reason="장기요양 재가급여 수급자로 돌봄SOS 대상 아님. 이용 중인 방문요양기관에 "
                    "대체 요양보호사 배정을 요청하도록 안내하고 기관과 통화로 확인.",
    ),
)


# --- picking people ------------------------------------------------------------------------------


@dataclass
class _Candidate:
    resident: Resident
    members: int
    free: bool
    graded: bool


def _candidates(dongs: list[Dong], today: datetime.date) -> dict[int, list[_Candidate]]:
    """Older residents (65 or over this year) of the demo dongs whose household income is
    known (the plan's self-pay needs it), by dong, in a stable order."""
    residents = (
        Resident.objects.active().filter(
            household__dong__in=dongs, birth_date__year__lte=today.year - 65, living_together=True,
        )
        .select_related("household")
        .annotate(members=Count(
            "household__residents",
            filter=Q(household__residents__living_together=True) & active_resident_q("household__residents"),
        ))
        .order_by("household_id", "birth_date", "id")
    )
    # Income at or below the policy's free ratio is free; the demo picks people on either side.
    free_ratio = policy.read(FREE_RATIO_KEY, on=today)
    by_dong: dict[int, list[_Candidate]] = {d.pk: [] for d in dongs}
    for r in residents:
        h = r.household
        free = bool(FREE_BENEFITS & set(h.benefits)) or (h.income_ratio is not None and h.income_ratio <= free_ratio)
        known = bool(h.benefits) or h.income_ratio is not None
        if known:
            by_dong[h.dong_id].append(_Candidate(r, r.members, free, r.care_grade != "none"))
    return by_dong


PERSON_RULES = {
    "alone": lambda c: c.members == 1 and c.free and not c.graded,
    "couple": lambda c: c.members == 2 and c.free and not c.graded,
    "self_pay": lambda c: not c.free and not c.graded,
    "graded": lambda c: c.graded,
    "disabled": lambda c: c.resident.disability == "severe" and c.free and not c.graded,
}


def _pick(candidates: list[_Candidate], person: str, used: set[int]) -> Resident | None:
    """The first unused person who fits the scenario; someone living alone, or anyone 65+
    without a care grade, when nobody fits (a small --scale)."""
    free = [c for c in candidates if c.resident.household_id not in used]
    for rule in (PERSON_RULES[person], PERSON_RULES["alone"], lambda c: not c.graded, lambda c: True):
        for c in free:
            if rule(c):
                return c.resident
    return None


def _report_for(dong: Dong, candidates: list[_Candidate], used: set[int], received_at) -> tuple[CrisisReport, Resident] | None:
    """An open crisis report of the dong, already linked to a household with an older person."""
    by_household: dict[int, Resident] = {}
    for c in candidates:
        if c.resident.household_id not in used and not c.graded:
            by_household.setdefault(c.resident.household_id, c.resident)
    reports = CrisisReport.objects.filter(
        dong=dong, household__isnull=False, received_at__lte=received_at,
    ).exclude(status=ReportStatus.CLOSED).order_by("received_at", "pk")
    for report in reports:
        if report.household_id in by_household:
            return report, by_household[report.household_id]
    return None


# --- walking a request through the services ---------------------------------------------------------


def _floor(at: datetime.datetime, minutes: int = 10) -> datetime.datetime:
    return at.replace(minute=at.minute - at.minute % minutes, second=0, microsecond=0)


class _Walker:
    def __init__(self, *, users: dict[str, User], providers: dict[str, CareProvider], now: datetime.datetime):
        self.users, self.providers, self.now = users, providers, now
        self.approver = users[APPROVER]

    def provider(self, name: str, dong: Dong) -> CareProvider:
        return self.providers[name.format(dong=dong.name)]

    def add_lines(self, actor, care_request, plan, lines: tuple[Line, ...]) -> None:
        for line in lines:
            care_plan_line_add(
                actor=actor, care_request=care_request, kind=line.kind, service=line.service,
                provider=self.provider(line.provider, care_request.dong), quantity=Decimal(line.quantity),
                unit=line.unit, unit_cost=line.unit_cost, start_on=plan.period_start + line.start * D,
                end_on=plan.period_start + line.end * D, note=line.note,
            )

    def run(self, spec: Scenario, *, dong: Dong, resident: Resident, report: CrisisReport | None,
            received_at: datetime.datetime) -> CareRequest:
        actor = self.users[spec.actor]
        name, relation, phone = spec.applicant
        cr = care_request_intake(
            actor=actor, channel=spec.channel, reason_kind=spec.reason_kind, reason=spec.reason,
            informal_carer=spec.informal_carer, urgency=spec.urgency, carer_note=spec.carer_note,
            household=resident.household, resident=resident, applicant_name=name, applicant_relation=relation,
            applicant_phone=phone, crisis_report=report, received_at=received_at,
            care_managers=[self.users[u] for u in spec.managers] if spec.managers else None,
        )
        target = spec.target
        if target == S.RECEIVED:
            return cr
        if spec.scheduled_after is not None:
            cr = care_request_schedule_visit(
                actor=actor, care_request=cr, scheduled_at=_floor(received_at + spec.scheduled_after, 60),
                comment=spec.schedule_note,
            )
        if target == S.VISIT_SCHEDULED:
            return cr
        if target == S.WITHDRAWN:
            return care_request_withdraw(actor=actor, care_request=cr, reason=spec.exit_reason)
        visitors = [self.users[u] for u in spec.managers] if spec.managers else [actor]
        visited_at = min(_floor(received_at + spec.visited_after), self.now - 10 * datetime.timedelta(minutes=1))
        cr = care_request_record_visit(
            actor=actor, care_request=cr, visited_at=visited_at, note=spec.visit_note, visitors=visitors,
        )
        if target == S.VISITED:
            return cr
        if target == S.INELIGIBLE:
            return care_request_mark_ineligible(actor=actor, care_request=cr, reason=spec.exit_reason)
        care_assessment_save(actor=actor, care_request=cr, **spec.assessment)
        if target == S.ASSESSED:
            return cr
        plan = care_plan_start(actor=actor, care_request=cr)
        start = timezone.localdate(received_at) + spec.plan_start * D
        plan = care_plan_update(
            actor=actor, care_request=cr, goal=spec.goal, period_start=start,
            period_end=start + (spec.plan_days - 1) * D,
        )
        self.add_lines(actor, cr, plan, spec.lines)
        if target == S.PLAN_DRAFTED:
            return cr
        first_comment = "" if spec.revised_lines else spec.submit_comment
        care_plan_submit(actor=actor, care_request=cr, comment=first_comment)
        if spec.return_comment:
            care_plan_return(actor=self.approver, care_request=cr, comment=spec.return_comment)
            if target == S.RETURNED:
                return cr
            care_plan_revise(actor=actor, care_request=cr, comment="반려 의견 확인, 케어플랜 보완 시작")
            for line_id in plan.lines.order_by("pk").values_list("pk", flat=True):
                care_plan_line_remove(actor=actor, care_request=cr, line_id=line_id)
            self.add_lines(actor, cr, plan, spec.revised_lines)
            care_plan_submit(actor=actor, care_request=cr, comment=spec.submit_comment)
        if target == S.SUBMITTED:
            return cr
        care_plan_approve(actor=self.approver, care_request=cr, comment=spec.approve_comment)
        lines = list(plan.lines.order_by("pk"))
        today = timezone.localdate(self.now)
        for d in spec.deliveries:
            on = plan.period_start + d.day * D
            if on > today:  # not yet: a later run of the demo does not add it either
                continue
            service_delivery_record(
                actor=actor, care_request=cr, line=lines[d.line], delivered_on=on, quantity=Decimal(d.quantity),
                result_note=d.note,
            )
        if target == S.IN_SERVICE:
            return cr
        cr = care_request_finish_service(actor=actor, care_request=cr, comment=spec.finish_comment)
        if target == S.FOLLOW_UP:
            return cr
        care_request_record_follow_up(
            actor=actor, care_request=cr, checked_on=min(cr.follow_up_due, today), note=spec.follow_up_note,
        )
        return care_request_close(actor=actor, care_request=cr, outcome=spec.outcome, note=spec.outcome_note)


def seed_care_sos(*, users: dict[str, User], gu: Gu, dongs: dict[str, Dong], today: datetime.date) -> dict[str, int]:
    """Create what is missing; returns counts of what this run created (all 0 the second time)."""
    providers, created_providers = _ensure_providers(gu, dongs)
    counts = {"providers": created_providers, "requests": 0}
    existing = set(
        CareRequest.objects.filter(reason__in=[s.reason for s in SCENARIOS]).values_list("dong__name", "reason")
    )
    todo = [s for s in SCENARIOS if (s.dong, s.reason) not in existing]
    if not todo:
        return counts
    demo_dongs = sorted({dongs[s.dong] for s in SCENARIOS}, key=lambda d: d.code)
    candidates = _candidates(demo_dongs, today)
    used = set(CareRequest.objects.filter(dong__in=demo_dongs).values_list("household_id", flat=True))
    now = timezone.now()
    walker = _Walker(users=users, providers=providers, now=now)
    for spec in todo:
        dong = dongs[spec.dong]
        received_at = _floor(now - spec.received_ago)
        report = None
        found = _report_for(dong, candidates[dong.pk], used, received_at) if spec.from_report else None
        if found is not None:
            report, resident = found
        else:
            resident = _pick(candidates[dong.pk], spec.person, used)
        if resident is None:  # a tiny --scale: nobody left in this dong
            continue
        used.add(resident.household_id)
        walker.run(spec, dong=dong, resident=resident, report=report, received_at=received_at)
        counts["requests"] += 1
    return counts
