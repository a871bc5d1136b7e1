"""The initial policy thresholds, each with the document it comes from.

Loaded by data migrations and by `manage.py seed_policy`. Loading is get-or-create by
(key, valid_from): re-running adds only what is missing and never touches a stored row, so
versions that admins added later (and the closing of a seeded version they caused) survive.
Values marked "운영 기본값" in their note are operating choices, not figures from a document;
admins replace them by registering a new version.
"""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

SEOUL_PLAN = "서울특별시 「민선 7기 찾아가는 동주민센터 기본계획 — 우리는 골목으로 간다」(2018.12., 방침 제228호)"
CASEBOOK = "「2023년도 지역복지 사업평가 우수사례집」"

# Where in the documents each group of numbers stands.
SRC_RISK_TIERS = f"{CASEBOOK} PART Ⅲ-2 부산광역시 수영구(희망복지지원단 운영) — 고독사 위험군 지원 대상 및 관리 표(상담주기)"
SRC_CARE_SOS_72H = (f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › 공적 돌봄체계 "
                    "강화 › 「72시간 내 찾아가는 긴급 돌봄서비스(돌봄 SOS센터)」")
SRC_CARE_SOS_FREE = (
    f"{CASEBOOK} PART Ⅵ-1 서울특별시 성동구 「돌봄취약가구 맞춤형 돌봄 SOS서비스 지원」"
    "(비용지원: 수급자·차상위 및 중위소득 100% 이하 전액 지원, 그 외 자부담)"
)
SRC_UNIVERSAL = (f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › '외로운 "
                 "삶'이 없는 서울 › 「복지플래너의 보편방문 활동 재정비」 방문대상")
SRC_WINDOWS = f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › '외로운 삶'이 없는 서울 › 「복지사각지대 위기가구 집중 발굴 기간 운영」"
SRC_MOBILE = (
    f"{CASEBOOK} PART Ⅳ-2 광주광역시 서구 「모바일안심케어 서비스」(3일 동선 미확인 시 안부확인); "
    f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › 대상별 맞춤형 특별 지원 › "
    "고위험 1인 가구 「모바일망 연계 안부확인 시스템」(이상 발생 시 복지플래너 즉시 방문)"
)
SRC_REWARD = (
    f"{CASEBOOK} PART Ⅱ-1 부산광역시 연제구 「연제구 위기가구 신고 포상금 지원 조례」"
    "(2023.5.18. 제정; 신고 1건당 50천원, 1인 최대 300천원 한도)"
)
SRC_SEOUL_EMERGENCY = (f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › 공적 보장체계 강화 "
                       "› 「갑작스러운 위기를 넘겨주는 강화된 긴급 지원(서울형 긴급복지)」")
SRC_SEOUL_BASIC = (f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › 공적 보장체계 강화 › "
                   "「부양의무자 기준 폐지로 복지사각지대 해소(서울형 기초보장제도)」 지원 내용")
SRC_NATIONAL_2022 = f"{CASEBOOK} PART Ⅰ-1 인천광역시 — 「긴급복지」와 「인천형 긴급복지」 비교('22년도 기준), 긴급복지(정부형)"
SRC_NO_RESPONSE = (
    f"{CASEBOOK} PART Ⅲ-2 부산광역시 수영구(희망복지지원단 운영) — 고독사 예방 업무처리 매뉴얼"
    "(1일차 문자발송·방문스티커 부착, 2일차 오전 가정방문·병원이용·집주인·가족 확인·경찰 협조 개방, 2일차 오후 가출신고)"
)
SRC_REFUSAL = (
    f"{SEOUL_PLAN} Ⅲ 지역 사회보장 체계 강화 › '외로운 삶'이 없는 서울 › "
    "「찾동 방문 개선」(방문 거절 시 가족·통장·친한 이웃 등 동반하여 방문)"
)
SRC_RESULTS_2018 = f"{SEOUL_PLAN} Ⅰ 민선6기 '찾·동' 사업 추진경과 › 주요 성과와 과제(65·70세 전체 어르신 대비 상담률 60.6%)"
OPERATIONAL = "찾동 운영 기본값(원문 문서에 수치 없음)"

D2018 = datetime.date(2018, 1, 1)
D2019 = datetime.date(2019, 1, 1)
D2022 = datetime.date(2022, 1, 1)


@dataclass(frozen=True)
class Seed:
    key: str
    label: str
    value: Any
    unit: str
    source: str
    valid_from: datetime.date = D2018
    valid_to: datetime.date | None = None
    note: str = field(default="")


THRESHOLD_SEEDS: list[Seed] = [
    # --- Lonely-death risk tiers: contact cadence (수영구 manual) -------------------------
    Seed("risk_tier.high.contact_days", "위험가구 방문·전화 주기", 7, "일", SRC_RISK_TIERS,
         note="주 1회 이상 방문 또는 전화. 수영구 사례(2023)의 주기를 찾동 시행 기준일부터 적용."),
    Seed("risk_tier.high.home_visit_days", "위험가구 가정방문 주기", 30, "일", SRC_RISK_TIERS,
         note="월 1회 이상 방문상담."),
    Seed("risk_tier.watch.contact_days", "주의가구 방문·전화 주기", 30, "일", SRC_RISK_TIERS,
         note="월 1회 이상 방문 또는 전화."),
    Seed("risk_tier.concern.contact_days", "관심가구 방문·전화 주기", 60, "일", SRC_RISK_TIERS,
         note="격월 1회 이상 방문 또는 전화(수급자·차상위·한부모 등 공적지원가구)."),
    Seed("risk_tier.closed.contact_days", "종결가구 방문 주기", 180, "일", SRC_RISK_TIERS,
         note="반기 1회 이상 방문(사례관리 사후관리 대상, 서비스 연계 가구)."),
    # --- Contacts: revisits and the no-response procedure (수영구 manual) ---------------------
    Seed("contact.not_home_revisit_days", "부재 시 재방문 예정일(상담일로부터)", 2, "일", SRC_NO_RESPONSE,
         note="1일차 부재(방문스티커 부착) 뒤 2일차에 다시 방문합니다. "
              "상담일 다음 날이 1일이면 2일차 방문은 상담일 + 2일입니다."),
    Seed("contact.refused_revisit_days", "방문 거부 시 동행 재방문 예정일(기본값)", 7, "일", SRC_REFUSAL,
         note="운영 기본값: 원문은 가족·통장·친한 이웃과 동행해 다시 방문하라고만 정해 기간이 없습니다. "
              "거부 기록 화면의 재방문일 기본값(1주 뒤)이며, 직원이 날짜를 바꿀 수 있습니다."),
    Seed("no_response.day2_morning_due_hour", "무응답 대응 2일차 오전 조치 기한(시각)", 12, "시", SRC_NO_RESPONSE,
         note="2일차 '오전' 조치(합동 가정방문, 병원이용·집주인·이웃·가족 확인, 경찰 협조 개방)의 기한. "
              "운영 기본값: 원문의 '오전'을 정오(12시)까지로 봅니다."),
    Seed("no_response.day2_afternoon_due_hour", "무응답 대응 2일차 오후 실종 신고 기한(시각)", 18, "시", SRC_NO_RESPONSE,
         note="2일차 '오후' 경찰서 가출신고의 기한. 운영 기본값: 원문의 '오후'를 18시까지로 봅니다."),
    # --- Care SOS -------------------------------------------------------------------------
    Seed("care_sos.visit_deadline_hours", "돌봄SOS 접수 후 돌봄매니저 방문 기한", 72, "시간", SRC_CARE_SOS_72H,
         valid_from=D2019, note="신청·접수 후 72시간 내 돌봄매니저 방문('19년 시범사업부터)."),
    Seed("care_sos.due_soon_hours", "돌봄SOS 방문 기한 임박 알림 기준", 24, "시간", OPERATIONAL,
         valid_from=D2019,
         note="운영 기본값: 방문 기한까지 남은 시간이 이 값 이하이면 '기한 "
              "임박'으로 표시합니다. 원문 문서의 수치가 아닌 운영상 선택입니다."),
    Seed("care_sos.free_income_ratio", "돌봄SOS 무료 이용 소득 기준(기준중위소득 대비)", 100, "%", SRC_CARE_SOS_FREE,
         valid_from=D2019, note="이 비율 이하는 전액 지원, 초과는 자부담."),
    Seed("care_sos.annual_cap_per_person", "돌봄SOS 1인당 연간 지원 한도", 1_600_000, "원", OPERATIONAL,
         valid_from=D2019,
         note="운영 기본값: 원문 문서에 연간 한도 금액이 없어 임시로 정한 값입니다. 해당 "
              "연도 서울시 돌봄SOS 사업 안내의 한도를 확인해 새 버전으로 등록해 주세요."),
    Seed("care_sos.follow_up_days", "돌봄SOS 서비스 종료 후 사후관리 기한", 30, "일", OPERATIONAL,
         valid_from=D2019,
         note=f"운영 기본값: {SEOUL_PLAN}은 돌봄SOS센터 기능으로 '사후관리'를 두지만 기간은 정하지 않았습니다."),
    Seed("care_sos.self_pay_percent", "돌봄SOS 본인부담률(무료 소득 기준 초과 시)", 100, "%",
         f"{OPERATIONAL} — {CASEBOOK} PART Ⅵ-1 서울특별시 성동구 「돌봄취약가구 맞춤형 돌봄 SOS서비스 지원」은 "
         "중위소득 100% 초과 가구를 '자부담'으로만 정함",
         valid_from=D2019,
         note="운영 기본값: 무료 기준(care_sos.free_income_ratio)을 넘는 가구가 서비스 비용 중 본인이 내는 비율입니다. "
              "원문은 '자부담'이라고만 하여 전액(100%)으로 두었습니다. 구 지침이 다르면 새 버전으로 등록해 주세요."),
    Seed("care_sos.plan_default_days", "돌봄SOS 케어플랜 서비스 기간 기본값", 30, "일", OPERATIONAL,
         valid_from=D2019,
         note="운영 기본값: 케어플랜을 열 때 서비스 기간을 오늘부터 이 일수로 채웁니다(담당자가 바꿀 수 있음). "
              "원문 문서에 기간이 없습니다."),
    # --- Outreach sweeps --------------------------------------------------------------------
    Seed("outreach.universal_ages", "보편방문 대상 어르신 나이", [65, 70], "세", SRC_UNIVERSAL,
         note="해당 연도에 65세·70세가 되는 어르신."),
    Seed("outreach.parenting_child_age_min", "양육가정 보편방문 자녀 나이(최소)", 3, "세", SRC_UNIVERSAL,
         note="만 3~5세의 양육수당 수급 가정."),
    Seed("outreach.parenting_child_age_max", "양육가정 보편방문 자녀 나이(최대)", 5, "세", SRC_UNIVERSAL,
         note="만 3~5세의 양육수당 수급 가정."),
    Seed("outreach.summer_window", "하절기 위기가구 집중 발굴 기간", {"start_month": 7, "end_month": 8}, "월",
         SRC_WINDOWS, note="하절기: 서울시 단독 시행(7~8월)."),
    Seed("outreach.winter_window", "동절기 위기가구 집중 발굴 기간", {"start_month": 12, "end_month": 2}, "월",
         SRC_WINDOWS, note="동절기: 보건복지부 계획에 따라 전국적 시행(12~2월). 연도를 넘는 기간입니다."),
    Seed("outreach.universal_counselling_rate_benchmark", "2018년 서울 실적(보편방문 65·70세 상담률)", 60.6, "%",
         SRC_RESULTS_2018,
         note="캠페인 화면에서 보편방문 상담률 옆에 비교 기준으로 보여 주는 민선6기 실적입니다."),
    Seed("outreach.risk_tier_lead_days", "위험 등급별 정기 모니터링 과제 생성 시점(상담 예정일 며칠 전)", 3, "일",
         OPERATIONAL,
         note="운영 기본값: 상담 예정일이 이 일수 안으로 다가오거나 지난 가구에 과제를 만듭니다. "
              "캠페인 조건(lead_days)으로 캠페인마다 바꿀 수 있습니다."),
    Seed("outreach.lonely_death_stage2_due_days", "고독사 실태조사 2단계 심층조사 처리 기한", 7, "일", OPERATIONAL,
         note="운영 기본값: 1단계에서 이상이 발견된 가구의 복지플래너 심층조사(2단계) 과제 기한입니다. "
              "원문은 기간을 정하지 않았습니다."),
    Seed("outreach.inactivity_hours.mobile", "휴대전화 활동 없음 → 즉시 방문 기준", 72, "시간", SRC_MOBILE,
         note="3일(72시간) 동안 통화·이동 기록이 없으면 즉시 안부 확인 방문."),
    Seed("outreach.inactivity_hours.iot", "IoT 안부확인 기기 미감지 → 즉시 방문 기준", 72, "시간", SRC_MOBILE,
         note="운영 기본값: 원문은 IoT 안부확인 기기 설치만 정하고 시간은 정하지 않아, 휴대전화 기준(3일)을 같이 적용합니다."),
    Seed("outreach.inactivity_hours", "안부확인 신호 없음 → 즉시 방문 기준(기기 종류별 값이 없을 때)", 72, "시간",
         SRC_MOBILE, note="기기 종류별 키(outreach.inactivity_hours.iot / .mobile)가 없을 때 쓰는 기본값."),
    # --- Discovery rewards --------------------------------------------------------------------
    Seed("discovery.reward_per_case", "위기가구 신고 포상금(1건당)", 50_000, "원", SRC_REWARD,
         valid_from=datetime.date(2023, 5, 18)),
    Seed("discovery.reward_per_reporter_year", "위기가구 신고 포상금 1인 연간 한도", 300_000, "원", SRC_REWARD,
         valid_from=datetime.date(2023, 5, 18)),
    Seed("discovery.stale_days", "위기가구 제보 처리 지연 기준(상태 변화 없음)", 7, "일", OPERATIONAL,
         note="운영 기본값: 이 기간 동안 상태가 바뀌지 않은 제보를 팀장 화면에 '지연'으로 표시합니다."),
    # --- Seoul emergency welfare (서울형 긴급복지) ---------------------------------------------
    Seed("emergency_aid.income_ratio", "서울형 긴급복지 소득 기준(기준중위소득 대비)", 85, "%", SRC_SEOUL_EMERGENCY,
         note="선정기준: 중위소득 85% 이하."),
    Seed("emergency_aid.medical_income_ratio", "서울형 긴급복지 의료비 소득 기준(기준중위소득 대비)", 85, "%",
         SRC_SEOUL_EMERGENCY, valid_to=datetime.date(2018, 12, 31),
         note="지원기준 완화 표의 기존('18년) 기준."),
    Seed("emergency_aid.medical_income_ratio", "서울형 긴급복지 의료비 소득 기준(기준중위소득 대비)", 90, "%",
         SRC_SEOUL_EMERGENCY, valid_from=D2019,
         note="지원기준 완화 표의 개선 사항(85% → 90%), 기본계획 이후 '19년부터 적용."),
    Seed("emergency_aid.asset_limit", "서울형 긴급복지 재산 기준", 189_000_000, "원", SRC_SEOUL_EMERGENCY,
         note="재산 189백만원 이하."),
    Seed("emergency_aid.financial_asset_limit", "서울형 긴급복지 금융재산 기준", 10_000_000, "원", SRC_SEOUL_EMERGENCY,
         note="금융재산 1천만원 이하."),
    Seed("emergency_aid.living_max", "서울형 긴급복지 생계비 최대 지원액", 3_000_000, "원", SRC_SEOUL_EMERGENCY,
         note="생계비·의료비·주거비 최대 300만원."),
    Seed("emergency_aid.medical_max", "서울형 긴급복지 의료비 최대 지원액", 3_000_000, "원", SRC_SEOUL_EMERGENCY,
         note="생계비·의료비·주거비 최대 300만원."),
    Seed("emergency_aid.housing_max", "서울형 긴급복지 주거비 최대 지원액", 3_000_000, "원", SRC_SEOUL_EMERGENCY,
         note="생계비·의료비·주거비 최대 300만원."),
    Seed("emergency_aid.childbirth_per_person", "서울형 긴급복지 해산비(1인당)", 600_000, "원", SRC_SEOUL_EMERGENCY),
    Seed("emergency_aid.funeral_per_person", "서울형 긴급복지 장제비(1인당)", 750_000, "원", SRC_SEOUL_EMERGENCY),
    Seed("emergency_aid.education.elementary", "서울형 긴급복지 교육비(초등학생)", 221_600, "원", SRC_SEOUL_EMERGENCY),
    Seed("emergency_aid.education.middle", "서울형 긴급복지 교육비(중학생)", 352_700, "원", SRC_SEOUL_EMERGENCY),
    Seed("emergency_aid.education.high", "서울형 긴급복지 교육비(고등학생)", 432_200, "원", SRC_SEOUL_EMERGENCY),
    Seed("emergency_aid.fuel_per_month", "서울형 긴급복지 연료비(월)", 96_000, "원", SRC_SEOUL_EMERGENCY),
    Seed("emergency_aid.electricity_per_year", "서울형 긴급복지 전기요금(연간 한도)", 500_000, "원", SRC_SEOUL_EMERGENCY,
         note="연 50만원 범위 내."),
    Seed("emergency_aid.no_repeat_years", "같은 위기사유 재지원 제한 기간", 2, "년",
         f"{CASEBOOK} PART Ⅰ-1 인천광역시 — 긴급복지 지원기준 '(재지원) 2년 이내 동일사유로 재지원 불가'",
         note="'22년도 긴급복지 지원기준으로 소개된 규칙을 찾동 긴급지원 검토 기준으로 적용."),
    # --- Seoul basic security (서울형 기초보장) ------------------------------------------------
    Seed("basic_security.income_ratio", "서울형 기초보장 소득 기준(기준중위소득 대비)", 43, "%", SRC_SEOUL_BASIC,
         note="비수급 빈곤층(기준 중위소득 43% 이하), 부양의무자 기준 충족 시."),
    Seed("basic_security.asset_limit", "서울형 기초보장 재산 기준", 135_000_000, "원", SRC_SEOUL_BASIC,
         note="재산 135백만원 이하."),
    Seed("basic_security.financial_asset_limit", "서울형 기초보장 금융재산 기준", 30_000_000, "원", SRC_SEOUL_BASIC,
         note="금융재산 30백만원 이하."),
    # --- National emergency welfare (긴급복지, 2022) --------------------------------------------
    Seed("national_emergency_aid.income_ratio", "긴급복지(정부형) 소득 기준(기준중위소득 대비)", 75, "%",
         SRC_NATIONAL_2022, valid_from=D2022),
    Seed("national_emergency_aid.asset_limit", "긴급복지(정부형) 재산 기준", 241_000_000, "원",
         SRC_NATIONAL_2022, valid_from=D2022, note="주거공제 69백만원 별도."),
    Seed("national_emergency_aid.financial_asset_limit", "긴급복지(정부형) 금융재산 기준", 6_000_000, "원",
         SRC_NATIONAL_2022, valid_from=D2022),
]


def seed_thresholds(model=None) -> tuple[int, list[str]]:
    """Insert every seed that is not stored yet (by key and start date).

    `model` is the PolicyThreshold class, or its historical version inside a migration.
    Returns (rows created, seeds skipped because another version already covers their dates).
    """
    if model is None:
        from chatdong.policy.models import PolicyThreshold as model
    created, skipped = 0, []
    for seed in THRESHOLD_SEEDS:
        if model.objects.filter(key=seed.key, valid_from=seed.valid_from).exists():
            continue
        try:
            with transaction.atomic():
                model.objects.create(
                    key=seed.key,
                    label=seed.label,
                    value=seed.value,
                    unit=seed.unit,
                    valid_from=seed.valid_from,
                    valid_to=seed.valid_to,
                    source=seed.source,
                    note=seed.note,
                )
        except IntegrityError:
            # An admin-entered version already covers these dates: theirs stands.
            skipped.append(f"{seed.key}@{seed.valid_from:%Y-%m-%d}")
            continue
        created += 1
    return created, skipped


MEDIAN_INCOME_CSV = Path(__file__).resolve().parent / "data" / "median_income.csv"


def read_median_income_csv(path: Path = MEDIAN_INCOME_CSV) -> list[dict]:
    """Rows of the shipped 기준중위소득 table: year, household_size, monthly_krw, source."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            {
                "year": int(row["year"]),
                "household_size": int(row["household_size"]),
                "monthly_krw": int(row["monthly_krw"]),
                "source": row["source"].strip(),
            }
            for row in csv.DictReader(handle)
        ]


def load_median_income(model=None, path: Path = MEDIAN_INCOME_CSV, *, update: bool = False) -> tuple[int, int]:
    """Load the shipped table by (year, household size): missing rows are created; existing
    rows are left as admins keep them unless `update` is set, which resets them to the file.
    Returns (created, updated); a row already equal to the file counts as neither."""
    if model is None:
        from chatdong.policy.models import MedianIncome as model
    created = updated = 0
    for row in read_median_income_csv(path):
        current = model.objects.filter(year=row["year"], household_size=row["household_size"]).first()
        if current is None:
            model.objects.create(**row)
            created += 1
        elif update and (current.monthly_krw, current.source) != (row["monthly_krw"], row["source"]):
            current.monthly_krw, current.source = row["monthly_krw"], row["source"]
            current.save(update_fields=["monthly_krw", "source"])
            updated += 1
    return created, updated
