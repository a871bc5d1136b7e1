"""Campaigns, the visit tasks their sweeps create, and sweep runs. DOMAIN §5–§6."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition

from chatdong.lifecycle import TransitionEvent


class CampaignKind(models.TextChoices):
    UNIVERSAL = "universal", "보편방문(65·70세)"
    PARENTING = "parenting", "출산·양육 가구"
    SUMMER = "summer", "하절기 위기가구 집중발굴"
    WINTER = "winter", "동절기 위기가구 집중발굴"
    LONELY_DEATH = "lonely_death", "고독사 위험 1인가구 실태조사"
    RISK_TIER = "risk_tier", "위험 등급별 정기 모니터링"
    TARGETED = "targeted", "기획조사(폭염·한파 등)"
    BIG_DATA = "big_data", "복지사각지대 빅데이터 차수"
    ACTIVITY = "activity", "IoT·통신 안부 확인 알림"


class Campaign(models.Model):
    kind = models.CharField("종류", max_length=20, choices=CampaignKind.choices)
    name = models.CharField("이름", max_length=120)
    year = models.PositiveSmallIntegerField("연도")
    params = models.JSONField("조건", default=dict, blank=True)
    period_start = models.DateField("기간 시작")
    period_end = models.DateField("기간 종료")
    due_days = models.PositiveSmallIntegerField("처리 기한(일)", default=30)
    dongs = models.ManyToManyField(
        "areas.Dong", verbose_name="대상 동", related_name="campaigns", blank=True,
        help_text="비워 두면 서울시 전체 동이 대상입니다.",
    )
    active = models.BooleanField("사용", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="등록자", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("등록일시", auto_now_add=True)

    class Meta:
        verbose_name = "캠페인"
        verbose_name_plural = "캠페인"
        ordering = ["-year", "kind", "name"]
        constraints = [
            models.CheckConstraint(name="campaign_period_valid", condition=Q(period_end__gte=models.F("period_start"))),
            # The activity-alert campaign is created on demand by webhooks and checks: one a year.
            models.UniqueConstraint(
                fields=["kind", "year"], condition=Q(kind="activity"), name="campaign_one_activity_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    OPEN = "open", "미완료"
    DONE = "done", "상담 완료"
    NOT_HOME = "not_home", "부재"
    REFUSED = "refused", "거부"
    MOVED = "moved", "이사·전출"
    CANCELLED = "cancelled", "취소"


# Results a visit can end with (everything but open/cancelled).
RESULT_STATUSES = (TaskStatus.DONE, TaskStatus.NOT_HOME, TaskStatus.REFUSED, TaskStatus.MOVED)


class Finding(models.TextChoices):
    """고독사 1단계 조사 결과: an anomaly sends the household to a stage-2 in-depth visit."""

    NORMAL = "normal", "이상 없음"
    ANOMALY = "anomaly", "이상 발견(심층조사 필요)"


class TaskPriority(models.TextChoices):
    NORMAL = "normal", "보통"
    URGENT = "urgent", "긴급"


class VisitTask(models.Model):
    """방문 과제: one unit of visit work a sweep created. Unique per (campaign, subject, stage,
    cycle) so that re-running a sweep — or two runs at once — never duplicates work.

    Lifecycle: 미완료 → 상담 완료 | 부재 | 거부 | 이사·전출 | 취소, each a named transition
    recorded as a `VisitTaskEvent`. Creation is the implicit first state: sweeps insert tasks
    in bulk (one INSERT … SELECT), and `created_at` with `sweep_run` already say when and by
    which run a task was made, so no event row is written for it.

    `cycle` is empty for one-off campaigns. Recurring work uses it to tell rounds apart: the
    risk-tier monitoring sweep puts the run date there (one task per household per day at
    most, and only while none is open), an activity alert the silent device and the moment of
    its last sign of life (one task per episode of silence)."""

    campaign = models.ForeignKey(Campaign, verbose_name="캠페인", on_delete=models.PROTECT, related_name="tasks")
    dong = models.ForeignKey("areas.Dong", verbose_name="동", on_delete=models.PROTECT, related_name="visit_tasks")
    household = models.ForeignKey("cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="visit_tasks")
    resident = models.ForeignKey(
        "cases.Resident", verbose_name="대상자", on_delete=models.PROTECT, null=True, blank=True, related_name="visit_tasks"
    )
    stage = models.PositiveSmallIntegerField("단계", default=1)
    cycle = models.CharField("회차", max_length=40, blank=True, default="")
    priority = models.CharField("우선순위", max_length=10, choices=TaskPriority.choices, default=TaskPriority.NORMAL)
    reason = models.CharField("사유", max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="담당자", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="visit_tasks"
    )
    due_on = models.DateField("기한")
    status = FSMField("상태", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    finding = models.CharField("조사 결과", max_length=20, choices=Finding.choices, blank=True)
    result_note = models.TextField("결과 메모", blank=True)
    contact = models.ForeignKey(
        "cases.Contact", verbose_name="상담 기록", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="visit_tasks", help_text="과제를 처리한 가구 상담 기록 (상담과 과제의 유일한 연결)",
    )
    sweep_run = models.ForeignKey(
        "outreach.SweepRun", verbose_name="생성한 실행", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    source_task = models.ForeignKey(
        "self", verbose_name="이전 단계 과제", on_delete=models.PROTECT, null=True, blank=True, related_name="next_tasks"
    )
    created_at = models.DateTimeField("생성일시", auto_now_add=True)
    done_at = models.DateTimeField("처리일시", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="처리자", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "방문 과제"
        verbose_name_plural = "방문 과제"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["dong", "status", "due_on"], name="visittask_dong_status_due"),
            models.Index(fields=["assignee", "status", "due_on"], name="visittask_assignee_status"),
            models.Index(fields=["campaign", "dong", "status"], name="visittask_campaign_progress"),
            models.Index(fields=["household", "status"], name="visittask_household_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "resident", "stage", "cycle"], name="visittask_unique_resident",
                condition=Q(resident__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["campaign", "household", "stage", "cycle"], name="visittask_unique_household",
                condition=Q(resident__isnull=True),
            ),
            models.CheckConstraint(
                name="visittask_status_valid", condition=Q(status__in=[s.value for s in TaskStatus])
            ),
            models.CheckConstraint(name="visittask_stage_valid", condition=Q(stage__in=[1, 2])),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.household_id} · {self.stage}단계"

    # --- transitions (guards on data; who may act is checked by the services) -------------

    @property
    def needs_finding(self) -> bool:
        """The lonely-death survey's stage 1 ends with a finding (이상 없음 / 이상 발견)."""
        return self.stage == 1 and self.campaign.kind == CampaignKind.LONELY_DEATH

    def _finding_given(self) -> bool:
        return self.finding in Finding.values if self.needs_finding else not self.finding

    def _finding_allowed(self) -> bool:
        return not self.finding

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.DONE, conditions=[_finding_given])
    def complete(self):
        """상담 완료."""

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.NOT_HOME, conditions=[_finding_allowed])
    def mark_not_home(self):
        """부재."""

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.REFUSED, conditions=[_finding_allowed])
    def mark_refused(self):
        """거부."""

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.MOVED, conditions=[_finding_allowed])
    def mark_moved(self):
        """이사·전출."""

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.CANCELLED)
    def cancel(self):
        """더 할 수 없는 방문(대상자 사망 등)."""


# The transition that ends an open task with each result.
RESULT_TRANSITIONS = {
    TaskStatus.DONE: "complete",
    TaskStatus.NOT_HOME: "mark_not_home",
    TaskStatus.REFUSED: "mark_refused",
    TaskStatus.MOVED: "mark_moved",
    TaskStatus.CANCELLED: "cancel",
}


class VisitTaskEvent(TransitionEvent):
    """One transition of a visit task: who, when, from, to, and a comment. Append-only."""

    subject_field = "task"
    labels = {
        "complete": "상담 완료", "mark_not_home": "부재", "mark_refused": "거부", "mark_moved": "이사·전출",
        "cancel": "취소",
    }

    task = models.ForeignKey(VisitTask, verbose_name="방문 과제", on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField("이전 상태", max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField("변경 상태", max_length=20, choices=TaskStatus.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = "방문 과제 처리 이력"
        verbose_name_plural = "방문 과제 처리 이력"
        triggers = [
            pgtrigger.Protect(name="visittaskevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]


class SweepRun(models.Model):
    """One run of a campaign's sweep. The row is committed before the sweep's own transaction
    starts, so a run whose worker died is still on record: it stays 실행 중 with the server
    process id of its connection, and once that process is gone it is stale and the next run
    marks it 실패 (its transaction was rolled back, so it created nothing)."""

    class Status(models.TextChoices):
        RUNNING = "running", "실행 중"
        SUCCEEDED = "succeeded", "완료"
        FAILED = "failed", "실패"

    campaign = models.ForeignKey(Campaign, verbose_name="캠페인", on_delete=models.PROTECT, related_name="runs")
    started_at = models.DateTimeField("시작")
    finished_at = models.DateTimeField("종료", null=True, blank=True)
    status = models.CharField("상태", max_length=10, choices=Status.choices, default=Status.RUNNING)
    candidates = models.PositiveIntegerField("대상", default=0)
    created = models.PositiveIntegerField("신규 생성", default=0)
    already_present = models.PositiveIntegerField("기존", default=0)
    errors = models.TextField("오류", blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="실행자", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    policy_versions = models.JSONField("적용 기준값 버전", default=dict, blank=True)
    backend_pid = models.IntegerField("DB 세션 프로세스", null=True, blank=True, editable=False)
    backend_start = models.DateTimeField("DB 세션 시작", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "캠페인 실행"
        verbose_name_plural = "캠페인 실행"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["campaign", "status"], name="sweeprun_campaign_status")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class HomeCareAllowance(models.Model):
    """가정양육수당 수급: which children receive the home-care allowance, and when.

    The parenting campaign visits households with a child aged 3–5 (policy
    `outreach.parenting_child_age_min/max`) who receives the allowance. The fact comes from
    the national system as a file, so it lives here, next to the campaign that uses it,
    rather than as a column on the resident."""

    resident = models.ForeignKey(
        "cases.Resident", verbose_name="아동", on_delete=models.PROTECT, related_name="home_care_allowances"
    )
    valid_from = models.DateField("수급 시작일")
    valid_to = models.DateField("수급 종료일", null=True, blank=True)
    source = models.CharField("근거", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="등록자", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("등록일시", auto_now_add=True)

    class Meta:
        verbose_name = "가정양육수당 수급"
        verbose_name_plural = "가정양육수당 수급"
        ordering = ["resident", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "valid_from"], name="homecareallowance_unique_start"),
            models.CheckConstraint(
                name="homecareallowance_range_valid",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} 양육수당 {self.valid_from:%Y-%m-%d}~"
