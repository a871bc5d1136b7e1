"""Outreach in the 은평구 demo: the year's campaigns, their sweeps, visit results, devices.

Everything goes through the outreach services — `campaign_create`, `campaign_sweep` (the
set-based sweep engine), `task_record_result` (which also logs the visit as a contact on the
household), `events_ingest` and `check_inactivity` — so the demo's tasks, contacts,
no-response procedures and alerts are exactly what the screens would have produced.

Idempotent: a campaign is looked up by name and year and only a campaign created in this
run is swept and gets visit results; devices are registered once (by their device id).
Deterministic: results are drawn with `random.Random` seeded per campaign kind, over the
tasks in a stable order.
"""

import datetime
import random
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from cases.models import Household, RiskTier
from cases.models.households import active_resident_q
from chatdong.accounts.models import User
from chatdong.areas.models import Dong
from outreach.models import (
    ActivityDevice,
    Campaign,
    CampaignKind,
    DeviceKind,
    EventKind,
    Finding,
    TaskStatus,
    VisitTask,
)
from outreach.services.activity import check_inactivity, events_ingest, inactivity_hours
from outreach.services.campaigns import campaign_create, window_period
from outreach.services.sweeps import campaign_sweep
from outreach.services.visits import task_record_result

# Whoever sets up the gu's campaigns in the demo (구 돌봄지원단·찾동 총괄).
CAMPAIGN_OWNER = "coordinator1"
# One-week deadlines: the demo's open tasks sit on the planners' default (7-day) worklist.
DEMO_DUE_DAYS = 7
# The winter campaign is the one shown from this many days before its window starts.
WINTER_LEAD_DAYS = 45

# Shares of a campaign's stage-1 tasks with a result once its period is over (상담 완료 /
# 부재 / 거부); a running campaign has the part of them its elapsed period warrants.
FULL_SHARES = ((TaskStatus.DONE, 0.68), (TaskStatus.NOT_HOME, 0.12), (TaskStatus.REFUSED, 0.06))
MIN_PROGRESS, MAX_PROGRESS = 0.15, 0.95
# Stage-1 lonely-death visits that find something wrong (→ a stage-2 in-depth visit).
ANOMALY_SHARE = 0.15

RESULT_NOTES = {
    TaskStatus.DONE: (
        "방문 상담 완료. 건강·생활 실태 확인, 복지서비스 안내.",
        "방문 상담 완료. 기초연금·노인맞춤돌봄서비스 안내.",
        "방문 상담 완료. 특이사항 없음, 동 주민센터 연락처 전달.",
        "방문 상담 완료. 난방·식사 상태 확인, 밑반찬 지원 연계 검토.",
    ),
    TaskStatus.NOT_HOME: ("부재. 방문 안내문 부착, 문자 발송.", "부재. 통장에게 근황 확인 요청."),
    TaskStatus.REFUSED: ("방문 거부. 전화로 안부만 확인, 통장과 재방문 예정.", "상담 거부. 가족 연락처 확인 후 재시도 예정."),
}
ANOMALY_NOTES = (
    "우편물이 쌓여 있고 이웃이 최근 인기척이 없었다고 함. 심층조사 필요.",
    "집 안 위생 상태 불량, 식사를 거르는 것으로 보임. 심층조사 필요.",
    "체납 고지서 다수, 경제적 어려움 호소. 심층조사 필요.",
)

# Devices per demo dong (first households of the dong's high-risk one-person households).
DEVICES_PER_DONG = 2
# The one device that has been silent past the policy threshold (by this many hours): its
# household gets an urgent alert.
SILENT_MARGIN_HOURS = 8


@dataclass(frozen=True)
class CampaignSpec:
    kind: str
    name: str
    year: int
    due_days: int = DEMO_DUE_DAYS


def crisis_window(today: datetime.date) -> tuple[str, int]:
    """The crisis-discovery campaign to show on `today`: 동절기 when today is in a winter
    window (policy `outreach.winter_window`, 12–2 by default) or one starts within
    WINTER_LEAD_DAYS, otherwise this year's 하절기. Returns (kind, year of the window start)."""
    for year in (today.year - 1, today.year):
        start, end = window_period(CampaignKind.WINTER, year)
        if start - datetime.timedelta(days=WINTER_LEAD_DAYS) <= today <= end:
            return CampaignKind.WINTER, year
    return CampaignKind.SUMMER, today.year


def campaign_specs(today: datetime.date) -> list[CampaignSpec]:
    year = today.year
    crisis_kind, crisis_year = crisis_window(today)
    season = "동절기" if crisis_kind == CampaignKind.WINTER else "하절기"
    return [
        CampaignSpec(CampaignKind.UNIVERSAL, f"{year}년 보편방문(65·70세)", year),
        CampaignSpec(crisis_kind, f"{crisis_year}년 {season} 위기가구 집중발굴", crisis_year),
        CampaignSpec(CampaignKind.LONELY_DEATH, f"{year}년 고독사 위험 1인가구 실태조사", year),
        CampaignSpec(CampaignKind.RISK_TIER, f"{year}년 위험 등급별 정기 모니터링", year),
    ]


def progress(campaign: Campaign, today: datetime.date) -> float:
    """How far the campaign's period has run (MIN_PROGRESS … MAX_PROGRESS)."""
    length = max(1, (campaign.period_end - campaign.period_start).days)
    elapsed = (today - campaign.period_start).days / length
    return min(MAX_PROGRESS, max(MIN_PROGRESS, elapsed))


def seed_outreach(*, users: dict[str, User], dongs: list[Dong], today: datetime.date, seed: int) -> dict[str, int]:
    """Create what is missing; returns counts of what this run created (all 0 the second time)."""
    owner = users[CAMPAIGN_OWNER]
    counts = {"campaigns": 0, "tasks": 0, "results": 0, "devices": 0, "alerts": 0}
    for spec in campaign_specs(today):
        if Campaign.objects.filter(name=spec.name, year=spec.year).exists():
            continue
        campaign = campaign_create(
            actor=owner, kind=spec.kind, name=spec.name, year=spec.year, dongs=dongs, due_days=spec.due_days
        )
        counts["campaigns"] += 1
        run = campaign_sweep(campaign=campaign, actor=owner, today=today)
        counts["tasks"] += run.created
        results, stage2 = _record_results(campaign, today=today, rng=random.Random(f"{seed}:{spec.kind}"))
        counts["results"] += results
        counts["tasks"] += stage2
    devices = _register_devices(dongs=dongs, planner=users.get("planner1"), seed=seed)
    counts["devices"] = len(devices)
    if devices:
        counts["alerts"] = check_inactivity(device_ids=[d.pk for d in devices]).result.created
    return counts


def _record_results(campaign: Campaign, *, today: datetime.date, rng: random.Random) -> tuple[int, int]:
    """Results for a deterministic share of the campaign's assigned stage-1 tasks, recorded by
    their assignee through `task_record_result` (a contact on the household as well).
    Returns (results recorded, stage-2 tasks the lonely-death anomalies created)."""
    factor = progress(campaign, today)
    thresholds, total = [], 0.0
    for status, share in FULL_SHARES:
        total += share * factor
        thresholds.append((total, status))
    tasks = (
        VisitTask.objects.filter(campaign=campaign, stage=1, status=TaskStatus.OPEN, assignee__isnull=False)
        .select_related("assignee")
        .order_by("household_id", "resident_id", "id")
    )
    recorded = anomalies = 0
    lonely = campaign.kind == CampaignKind.LONELY_DEATH
    # Early in a period (or at a small --scale) the shares round to nothing: the first tasks
    # take one result of each kind, so every screen shows every status on any day of the year.
    first = [status for status, _ in FULL_SHARES]
    for index, task in enumerate(tasks):
        roll = rng.random()
        status = first[index] if index < len(first) else next((s for limit, s in thresholds if roll < limit), None)
        if status is None:
            continue
        note, finding = rng.choice(RESULT_NOTES[status]), ""
        if lonely and status == TaskStatus.DONE:
            finding = Finding.ANOMALY if rng.random() < ANOMALY_SHARE else Finding.NORMAL
            if finding == Finding.ANOMALY:
                note = rng.choice(ANOMALY_NOTES)
                anomalies += 1
        task_record_result(actor=task.assignee, task=task, status=status, note=note, finding=finding)
        recorded += 1
    return recorded, anomalies


def _register_devices(*, dongs: list[Dong], planner: User | None, seed: int) -> list[ActivityDevice]:
    """IoT check-in devices and mobile-activity checks for high-risk one-person households:
    DEVICES_PER_DONG per dong, each with two days of signs of life (through `events_ingest`),
    except one of `planner`'s households whose device went silent SILENT_MARGIN_HOURS past the
    policy's inactivity threshold."""
    if ActivityDevice.objects.filter(external_id__startswith="EP-").exists():
        return []
    rng = random.Random(f"{seed}:devices")
    now = timezone.now()
    threshold = inactivity_hours(on=timezone.localdate(now))
    alone = (
        Household.objects.filter(dong__in=dongs, risk_tier=RiskTier.HIGH)
        .annotate(members=Count("residents", filter=Q(residents__living_together=True) & active_resident_q("residents")))
        .filter(members=1)
        .order_by("dong__code", "id")
    )
    alone = list(alone)
    chosen: list[Household] = []
    for dong in dongs:
        in_dong = [h for h in alone if h.dong_id == dong.pk]
        if planner is not None and dong.pk == planner.dong_id:
            # planner1's own households first, so the demo login sees the alert.
            in_dong.sort(key=lambda h: h.planner_id != planner.pk)
        chosen.extend(in_dong[:DEVICES_PER_DONG])
    devices, events = [], []
    for i, household in enumerate(chosen, start=1):
        kind = DeviceKind.IOT if i % 3 else DeviceKind.MOBILE
        prefix = "IOT" if kind == DeviceKind.IOT else "MOB"
        device = ActivityDevice.objects.create(
            external_id=f"EP-{prefix}-{i:04d}", kind=kind, household=household,
            resident=household.residents.filter(living_together=True).first(),
        )
        devices.append(device)
        silent = i == 1
        kinds = (EventKind.CHECKIN, EventKind.MOTION, EventKind.DOOR) if kind == DeviceKind.IOT else (
            EventKind.CALL, EventKind.MESSAGE, EventKind.DATA)
        hours_ago = threshold[kind] + SILENT_MARGIN_HOURS if silent else rng.randint(1, 6)
        for n in range(8):
            at = now - datetime.timedelta(hours=hours_ago + n * rng.randint(4, 8), minutes=rng.randint(0, 59))
            events.append({
                "event_id": f"{device.external_id}-{n + 1:03d}", "device_id": device.external_id,
                "kind": rng.choice(kinds).value, "occurred_at": at,
            })
    events_ingest(events=events)
    return devices
