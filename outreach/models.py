"""Campaigns, the visit tasks their sweeps create, and sweep runs. DOMAIN §5–§6."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


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
    dongs = models.ManyToManyField("areas.Dong", verbose_name="대상 동", related_name="campaigns")
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


class TaskPriority(models.TextChoices):
    NORMAL = "normal", "보통"
    URGENT = "urgent", "긴급"


class VisitTask(models.Model):
    """방문 과제: one unit of visit work a sweep created. Unique per (campaign, subject, stage)
    so that re-running a sweep — or two runs at once — never duplicates work."""

    campaign = models.ForeignKey(Campaign, verbose_name="캠페인", on_delete=models.PROTECT, related_name="tasks")
    dong = models.ForeignKey("areas.Dong", verbose_name="동", on_delete=models.PROTECT, related_name="visit_tasks")
    household = models.ForeignKey("cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="visit_tasks")
    resident = models.ForeignKey(
        "cases.Resident", verbose_name="대상자", on_delete=models.PROTECT, null=True, blank=True, related_name="visit_tasks"
    )
    stage = models.PositiveSmallIntegerField("단계", default=1)
    priority = models.CharField("우선순위", max_length=10, choices=TaskPriority.choices, default=TaskPriority.NORMAL)
    reason = models.CharField("사유", max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="담당자", on_delete=models.SET_NULL, null=True, blank=True, related_name="visit_tasks"
    )
    due_on = models.DateField("기한")
    status = models.CharField("상태", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    finding = models.CharField("조사 결과", max_length=20, blank=True, help_text="고독사 1단계: normal/anomaly")
    result_note = models.TextField("결과 메모", blank=True)
    contact = models.ForeignKey(
        "cases.Contact", verbose_name="상담 기록", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sweep_run = models.ForeignKey(
        "outreach.SweepRun", verbose_name="생성한 실행", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    created_at = models.DateTimeField("생성일시", auto_now_add=True)
    done_at = models.DateTimeField("처리일시", null=True, blank=True)

    class Meta:
        verbose_name = "방문 과제"
        verbose_name_plural = "방문 과제"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["dong", "status", "due_on"], name="visittask_dong_status_due"),
            models.Index(fields=["assignee", "status", "due_on"], name="visittask_assignee_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "resident", "stage"], name="visittask_unique_resident",
                condition=Q(resident__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["campaign", "household", "stage"], name="visittask_unique_household",
                condition=Q(resident__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.household_id} · {self.stage}단계"


class SweepRun(models.Model):
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

    class Meta:
        verbose_name = "캠페인 실행"
        verbose_name_plural = "캠페인 실행"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class SignalType(models.TextChoices):
    ELECTRICITY_CUTOFF = "electricity_cutoff", "단전"
    WATER_CUTOFF = "water_cutoff", "단수"
    GAS_CUTOFF = "gas_cutoff", "단가스"
    HEALTH_INSURANCE_ARREARS = "health_insurance_arrears", "건강보험료 체납"
    RENT_ARREARS = "rent_arrears", "임대료 체납"
    MANAGEMENT_FEE_ARREARS = "management_fee_arrears", "관리비 체납"
    TELECOM_ARREARS = "telecom_arrears", "통신비 체납"
    OTHER = "other", "기타"


class BigDataRound(models.Model):
    """One upload of the national blind-spot list (복지사각지대 발굴관리시스템)."""

    campaign = models.OneToOneField(Campaign, verbose_name="캠페인", on_delete=models.PROTECT, related_name="big_data_round")
    round_label = models.CharField("차수", max_length=40, unique=True)
    file_sha256 = models.CharField("파일 해시", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="업로드", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("업로드 일시", auto_now_add=True)

    class Meta:
        verbose_name = "빅데이터 차수"
        verbose_name_plural = "빅데이터 차수"

    def __str__(self) -> str:
        return self.round_label


class BigDataRow(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", "매칭"
        UNMATCHED = "unmatched", "미매칭"
        CREATED = "created", "신규 가구 등록"
        REJECTED = "rejected", "제외"

    round = models.ForeignKey(BigDataRound, verbose_name="차수", on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField("행 번호")
    rrn_index = models.CharField("주민등록번호 검색색인", max_length=64, blank=True)
    rrn_masked = models.CharField("주민등록번호(마스킹)", max_length=14, blank=True)
    name = models.CharField("이름", max_length=50, blank=True)
    birth_date = models.DateField("생년월일", null=True, blank=True)
    address = models.CharField("주소", max_length=200, blank=True)
    signals = ArrayField(models.CharField(max_length=30, choices=SignalType.choices), verbose_name="위기 정보", default=list)
    resident = models.ForeignKey("cases.Resident", verbose_name="매칭 가구원", on_delete=models.SET_NULL, null=True, blank=True)
    dong = models.ForeignKey("areas.Dong", verbose_name="동", on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField("상태", max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = "빅데이터 대상"
        verbose_name_plural = "빅데이터 대상"
        ordering = ["round", "row_number"]
        constraints = [models.UniqueConstraint(fields=["round", "row_number"], name="bigdatarow_unique_row")]

    def __str__(self) -> str:
        return f"{self.round} #{self.row_number}"


class DeviceKind(models.TextChoices):
    IOT = "iot", "IoT 안부 확인 기기"
    MOBILE = "mobile", "통신 활동 확인(똑똑문안)"


class ActivityDevice(models.Model):
    external_id = models.CharField("기기 ID", max_length=80, unique=True)
    kind = models.CharField("종류", max_length=10, choices=DeviceKind.choices)
    household = models.ForeignKey("cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="devices")
    resident = models.ForeignKey(
        "cases.Resident", verbose_name="대상자", on_delete=models.PROTECT, null=True, blank=True, related_name="devices"
    )
    last_activity_at = models.DateTimeField("마지막 활동", null=True, blank=True)
    active = models.BooleanField("사용", default=True)

    class Meta:
        verbose_name = "안부 확인 기기"
        verbose_name_plural = "안부 확인 기기"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id}"


class ActivityEvent(models.Model):
    """Each webhook event once (event_id unique): duplicates and replays are harmless."""

    device = models.ForeignKey(ActivityDevice, verbose_name="기기", on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField("이벤트 ID", max_length=80, unique=True)
    kind = models.CharField("종류", max_length=20)
    occurred_at = models.DateTimeField("발생 시각")
    received_at = models.DateTimeField("수신 시각", auto_now_add=True)

    class Meta:
        verbose_name = "안부 확인 이벤트"
        verbose_name_plural = "안부 확인 이벤트"
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.device} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"
