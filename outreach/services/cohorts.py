"""The cohort of each campaign kind, as SQL for `engine.insert_tasks`. DOMAIN §5–§6.

Every builder returns a `Cohort` whose SELECT yields `engine.COHORT_COLUMNS`. Policy values
are read for the run date through `policy.read(…, record=versions)`, so a run records which
thresholds it used (SweepRun.policy_versions).
"""

import datetime

from django.utils import timezone

from cases.models import VULNERABLE_HOUSING, HousingType, RiskTier
from chatdong import policy
from chatdong.accounts.roles import Role
from outreach.models import Campaign, CampaignKind, SignalType
from outreach.services.engine import Cohort, active, dong_filter, years_before

LONELY_DEATH_HOUSING = [h.value for h in VULNERABLE_HOUSING]
MONITORED_TIERS = [RiskTier.HIGH, RiskTier.WATCH, RiskTier.CONCERN, RiskTier.CLOSED]
# Risk-tier monitoring creates a household's task this many days before its contact is due.
RISK_TIER_LEAD_KEY = "outreach.risk_tier_lead_days"


class CohortError(ValueError):
    """The campaign cannot be swept as configured (Korean message for the screen)."""


def due_date(campaign: Campaign, today: datetime.date) -> datetime.date:
    """today + the campaign's days to handle, but not past the campaign's end (unless it ended)."""
    due = today + datetime.timedelta(days=campaign.due_days)
    if campaign.period_end >= today:
        due = min(due, campaign.period_end)
    return max(due, today)


def _one_person(h: str = "h") -> str:
    """A household with exactly one active member living there."""
    return (
        f"(SELECT count(*) FROM cases_resident m WHERE m.household_id = {h}.id AND m.living_together"
        f" AND {active('m')}) = 1"
    )


def universal(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """보편방문: every active resident turning one of `outreach.universal_ages` in the campaign
    year — birth year = year − age, so 1 Jan, 31 Dec and 29 Feb birthdays are exact."""
    ages = campaign.params.get("ages") or policy.read(
        "outreach.universal_ages", on=datetime.date(campaign.year, 1, 1), record=versions
    )
    ages = sorted({int(a) for a in ages})
    if not ages or any(a <= 0 or a > 130 for a in ages):
        raise CohortError("보편방문 대상 나이가 올바르지 않습니다.")
    ranges, params = [], {}
    for i, age in enumerate(ages):
        birth_year = campaign.year - age
        params[f"from{i}"] = datetime.date(birth_year, 1, 1)
        params[f"to{i}"] = datetime.date(birth_year + 1, 1, 1)
        ranges.append(f"(r.birth_date >= %(from{i})s AND r.birth_date < %(to{i})s)")
    params.update(year=campaign.year, due=due_date(campaign, today))
    sql = f"""
SELECT h.id, r.id, h.dong_id, h.tong_id, h.planner_id,
       (%(year)s - extract(year FROM r.birth_date)::int)::text || '세 보편방문 대상', 'normal', '', %(due)s::date
FROM cases_resident r JOIN cases_household h ON h.id = r.household_id
WHERE ({" OR ".join(ranges)}) AND {active()} {dong_filter("h", dong_ids)}"""
    return Cohort(sql=sql, params=params, per="resident", role=Role.PLANNER)


def _as_of(campaign: Campaign, today: datetime.date) -> datetime.date:
    return min(max(today, campaign.period_start), campaign.period_end)


def parenting(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """출산·양육 가구: a birth in the campaign period, or a child aged min–max (full years, on
    the run date within the period) receiving the home-care allowance (HomeCareAllowance)."""
    as_of = _as_of(campaign, today)
    age_min = int(policy.read("outreach.parenting_child_age_min", on=as_of, record=versions))
    age_max = int(policy.read("outreach.parenting_child_age_max", on=as_of, record=versions))
    params = {
        "pstart": campaign.period_start, "pend": campaign.period_end, "asof": as_of,
        # age ≥ min ⇔ born on or before as_of − min years; age ≤ max ⇔ born after as_of − (max+1) years
        "youngest": years_before(as_of, age_min), "oldest": years_before(as_of, age_max + 1),
        "due": due_date(campaign, today),
        "allowance_reason": f"양육수당 수급 아동(만 {age_min}~{age_max}세) 가구",
    }
    birth = "(r.birth_date BETWEEN %(pstart)s AND %(pend)s)"
    sql = f"""
SELECT DISTINCT ON (h.id) h.id, NULL::bigint, h.dong_id, h.tong_id, h.planner_id,
       CASE WHEN {birth} THEN '출산 가구' ELSE %(allowance_reason)s END, 'normal', '', %(due)s::date
FROM cases_resident r JOIN cases_household h ON h.id = r.household_id
WHERE {active()} {dong_filter("h", dong_ids)} AND (
    {birth}
    OR (r.birth_date <= %(youngest)s AND r.birth_date > %(oldest)s AND EXISTS (
        SELECT 1 FROM outreach_homecareallowance a
        WHERE a.resident_id = r.id AND a.valid_from <= %(asof)s AND (a.valid_to IS NULL OR a.valid_to >= %(asof)s)))
)
ORDER BY h.id, {birth} DESC"""
    return Cohort(sql=sql, params=params, per="household", role=Role.PLANNER)


def crisis(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """하절기·동절기 위기가구: cut-offs, arrears, one person in vulnerable housing, or 위험 tier."""
    window_key = "outreach.summer_window" if campaign.kind == CampaignKind.SUMMER else "outreach.winter_window"
    policy.read(window_key, on=campaign.period_start, record=versions)
    params = {"vulnerable": LONELY_DEATH_HOUSING, "high": RiskTier.HIGH, "due": due_date(campaign, today)}
    alone = f"(h.housing_type = ANY(%(vulnerable)s) AND {_one_person()})"
    sql = f"""
SELECT h.id, NULL::bigint, h.dong_id, h.tong_id, h.planner_id,
       concat_ws(', ',
           CASE WHEN cardinality(h.cutoffs) > 0 THEN '단전·단수·단가스' END,
           CASE WHEN cardinality(h.arrears) > 0 THEN '체납' END,
           CASE WHEN h.risk_tier = %(high)s THEN '위험 등급' END,
           CASE WHEN {alone} THEN '취약주거 1인가구' END),
       'normal', '', %(due)s::date
FROM cases_household h
WHERE (cardinality(h.cutoffs) > 0 OR cardinality(h.arrears) > 0 OR h.risk_tier = %(high)s OR {alone})
  AND EXISTS (SELECT 1 FROM cases_resident a WHERE a.household_id = h.id AND {active("a")})
  {dong_filter("h", dong_ids)}"""
    return Cohort(sql=sql, params=params, per="household", role=Role.PLANNER)


def lonely_death(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """고독사 위험 1인가구 실태조사 1단계: one-person households in 고시원·옥탑방·반지하·다세대,
    for the neighbourhood officer (with the tong/ban leaders and the registration fact check)."""
    params = {"vulnerable": LONELY_DEATH_HOUSING, "due": due_date(campaign, today)}
    sql = f"""
SELECT h.id, NULL::bigint, h.dong_id, h.tong_id, NULL::bigint,
       '1인가구 실태조사 1단계(' || CASE h.housing_type {" ".join(
           f"WHEN '{h.value}' THEN '{h.label}'" for h in VULNERABLE_HOUSING)} END || ')',
       'normal', '', %(due)s::date
FROM cases_household h
WHERE h.housing_type = ANY(%(vulnerable)s) AND {_one_person()} {dong_filter("h", dong_ids)}"""
    return Cohort(sql=sql, params=params, per="household", role=Role.NEIGHBOURHOOD_OFFICER)


def lonely_death_stage2(*, household_id: int, due: datetime.date) -> Cohort:
    """The stage-2 in-depth visit by a planner for one household whose stage 1 found an anomaly."""
    sql = """
SELECT h.id, NULL::bigint, h.dong_id, h.tong_id, h.planner_id, '1단계 이상 발견: 심층조사(2단계)', 'urgent', '',
       %(due)s::date
FROM cases_household h WHERE h.id = %(household)s"""
    return Cohort(sql=sql, params={"household": household_id, "due": due}, per="household", role=Role.PLANNER, stage=2)


def risk_tier(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """위험 등급별 정기 모니터링: every tiered household whose next contact (cases keeps it from
    the tier cadence) is due within `outreach.risk_tier_lead_days` (or the campaign's
    `lead_days`), or overdue, and has no open task in this campaign. A tiered household with no
    due date at all is due today — nobody falls off the list. The run date is the cycle: at most
    one new task per household a day."""
    lead = campaign.params.get("lead_days")
    if lead is None:
        lead = policy.read(RISK_TIER_LEAD_KEY, on=today, record=versions)
    lead = int(lead)
    for tier in (RiskTier.HIGH, RiskTier.WATCH, RiskTier.CONCERN, RiskTier.CLOSED):
        policy.read(f"risk_tier.{tier}.contact_days", on=today, record=versions)
    labels = " ".join(f"WHEN '{t.value}' THEN '{t.label}'" for t in RiskTier)
    params = {
        "tiers": [t.value for t in MONITORED_TIERS], "closed": RiskTier.CLOSED, "today": today,
        "horizon": today + datetime.timedelta(days=lead), "cycle": today.isoformat(), "high": RiskTier.HIGH,
    }
    sql = f"""
SELECT h.id, NULL::bigint, h.dong_id, h.tong_id, h.planner_id,
       '정기 모니터링(' || CASE h.risk_tier {labels} END || ' 가구)',
       CASE WHEN h.risk_tier = %(high)s THEN 'urgent' ELSE 'normal' END, %(cycle)s,
       coalesce(h.next_contact_due, %(today)s::date)
FROM cases_household h
WHERE h.risk_tier = ANY(%(tiers)s) {dong_filter("h", dong_ids)}
  AND (h.next_contact_due <= %(horizon)s OR (h.next_contact_due IS NULL AND h.risk_tier <> %(closed)s))
  AND EXISTS (SELECT 1 FROM cases_resident a WHERE a.household_id = h.id AND {active("a")})
  AND NOT EXISTS (SELECT 1 FROM outreach_visittask o
                  WHERE o.campaign_id = %(campaign)s AND o.household_id = h.id AND o.status = 'open')"""
    return Cohort(sql=sql, params=params, per="household", role=Role.PLANNER)


TARGETED_FILTERS = ("age_min", "age_max", "housing_types", "living_alone", "tiers")


def targeted(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """기획조사: households matching the admin's filters — a member aged age_min–age_max,
    housing types, living alone, risk tiers (campaign.params)."""
    p = campaign.params or {}
    if not any(p.get(k) not in (None, "", []) for k in TARGETED_FILTERS):
        raise CohortError("기획조사는 나이·주거 형태·1인가구·위험 등급 중 하나 이상의 조건이 필요합니다.")
    where, params = [], {"due": due_date(campaign, today)}
    housing = [h for h in p.get("housing_types") or [] if h in HousingType.values]
    if housing:
        where.append("h.housing_type = ANY(%(housing)s)")
        params["housing"] = housing
    tiers = [t for t in p.get("tiers") or [] if t in RiskTier.values]
    if tiers:
        where.append("h.risk_tier = ANY(%(tiers)s)")
        params["tiers"] = tiers
    if p.get("living_alone"):
        where.append(_one_person())
    age_min, age_max = p.get("age_min"), p.get("age_max")
    member = [active("a")]
    if age_min not in (None, ""):
        params["youngest"] = years_before(today, int(age_min))
        member.append("a.birth_date <= %(youngest)s")
    if age_max not in (None, ""):
        params["oldest"] = years_before(today, int(age_max) + 1)
        member.append("a.birth_date > %(oldest)s")
    where.append(f"EXISTS (SELECT 1 FROM cases_resident a WHERE a.household_id = h.id AND {' AND '.join(member)})")
    params["reason"] = (campaign.params.get("reason") or campaign.name)[:200]
    sql = f"""
SELECT h.id, NULL::bigint, h.dong_id, h.tong_id, h.planner_id, %(reason)s, 'normal', '', %(due)s::date
FROM cases_household h
WHERE {" AND ".join(where)} {dong_filter("h", dong_ids)}"""
    return Cohort(sql=sql, params=params, per="household", role=Role.PLANNER)


SIGNAL_LABELS_SQL = " ".join(f"WHEN '{s.value}' THEN '{s.label}'" for s in SignalType)


def big_data(campaign: Campaign, *, today: datetime.date, dong_ids, versions: policy.VersionsUsed) -> Cohort:
    """빅데이터 차수: one task per matched (or newly registered) resident of the round."""
    from outreach.models import BigDataRow

    round_ = campaign.big_data_round
    params = {
        "round": round_.pk, "statuses": [BigDataRow.Status.MATCHED, BigDataRow.Status.CREATED],
        "label": f"복지사각지대 {round_.round_label}: ", "due": due_date(campaign, today),
    }
    sql = f"""
SELECT DISTINCT ON (r.id) h.id, r.id, h.dong_id, h.tong_id, h.planner_id,
       %(label)s || coalesce((SELECT string_agg(CASE s {SIGNAL_LABELS_SQL} ELSE s END, ', ')
                              FROM unnest(b.signals) AS s), ''),
       'normal', '', %(due)s::date
FROM outreach_bigdatarow b
JOIN cases_resident r ON r.id = b.resident_id
JOIN cases_household h ON h.id = r.household_id
WHERE b.round_id = %(round)s AND b.status = ANY(%(statuses)s) AND {active()}
ORDER BY r.id, b.row_number"""
    return Cohort(sql=sql, params=params, per="resident", role=Role.PLANNER)


def inactivity(*, now: datetime.datetime, hours: dict, device_ids: list[int] | None, alert: bool,
               versions: policy.VersionsUsed) -> Cohort:
    """안부 확인 알림: households whose device has been silent longer than the kind's
    threshold (or that sent an inactivity alert), with no open alert task. One urgent task
    per household and episode of silence: the cycle is the device and its last sign of life.
    Silence is measured against the application's clock (`now`), the one that stamped the
    events, not the database server's."""
    silent = "TRUE" if alert else (
        "coalesce(d.last_activity_at, d.registered_at) < %(now)s::timestamptz - make_interval(hours => "
        "CASE d.kind WHEN 'iot' THEN %(iot_hours)s WHEN 'mobile' THEN %(mobile_hours)s END)"
    )
    only = "AND d.id = ANY(%(devices)s)" if device_ids is not None else ""
    params = {
        "iot_hours": int(hours["iot"]), "mobile_hours": int(hours["mobile"]), "devices": list(device_ids or []),
        "now": now, "today": timezone.localdate(now),
        "reason": "무활동 경보 수신" if alert else "안부 확인 신호 없음",
    }
    sql = f"""
SELECT DISTINCT ON (h.id) h.id, NULL::bigint, h.dong_id, h.tong_id, h.planner_id,
       %(reason)s || ' (' || CASE d.kind WHEN 'iot' THEN 'IoT 기기' ELSE '휴대전화' END || ' ' || d.external_id
           || ', 마지막 활동 '
           || coalesce(to_char(d.last_activity_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI'), '없음') || ')',
       'urgent',
       'd' || d.id || '@' || coalesce(extract(epoch FROM d.last_activity_at)::bigint::text, 'never'),
       %(today)s::date
FROM outreach_activitydevice d JOIN cases_household h ON h.id = d.household_id
WHERE d.active AND {silent} {only}
  AND NOT EXISTS (SELECT 1 FROM outreach_visittask o
                  WHERE o.campaign_id = %(campaign)s AND o.household_id = h.id AND o.status = 'open')
ORDER BY h.id, d.last_activity_at NULLS FIRST, d.id"""
    return Cohort(sql=sql, params=params, per="household", role=Role.PLANNER)


BUILDERS = {
    CampaignKind.UNIVERSAL: universal,
    CampaignKind.PARENTING: parenting,
    CampaignKind.SUMMER: crisis,
    CampaignKind.WINTER: crisis,
    CampaignKind.LONELY_DEATH: lonely_death,
    CampaignKind.RISK_TIER: risk_tier,
    CampaignKind.TARGETED: targeted,
    CampaignKind.BIG_DATA: big_data,
}
