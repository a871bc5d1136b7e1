"""돌봄SOS (Care SOS): intake, the 72-hour care-manager visit, care plans, gu approval,
service delivery and follow-up. DOMAIN §8.

A `CareRequest` is a finite-state machine (django-fsm-2). Every transition is recorded as a
`CareRequestEvent` (who, when, from, to, comment) by the services in
`cases.care_sos.services`; both the events and the gu's `Approval` decisions are
append-only in the database. The visit deadline is fixed at intake from the policy version
then in force, so an old request keeps the deadline it was received under.

The tables keep the names they had before Care SOS became its own app (`db_table`
= `cases_<model>`): moving the app moved the model state, not the rows.
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

# --- vocabularies --------------------------------------------------------------------------


class CareKind(models.TextChoices):
    """The three kinds of Care SOS service (DOMAIN §8)."""

    EMERGENCY = "emergency", "긴급돌봄"
    GENERAL = "general", "일반돌봄(기관 연계)"
    DAILY = "daily", "일상편의"


class CareService(models.TextChoices):
    TEMPORARY_HOME_CARE = "temporary_home_care", "일시재가(요양보호사 방문 돌봄)"
    SHORT_STAY = "short_stay", "단기시설 입소"
    HOSPITAL_LINK = "hospital_link", "병원 연계"
    WELFARE_CENTRE_LINK = "welfare_centre_link", "복지관 연계"
    HEALTH_CENTRE_LINK = "health_centre_link", "보건소 연계(영양·치매 조기검진)"
    ESCORT = "escort", "동행 지원(병원 동행)"
    HOME_FIX = "home_fix", "주거 편의(전구 교체·간단 수리)"
    CLEANING = "cleaning", "청소·방역"
    MEALS = "meals", "식사 지원"
    CHECK_IN = "check_in", "안부 확인"


# Which kind each service belongs to: a plan line's service must match its kind.
SERVICE_KINDS = {
    CareService.TEMPORARY_HOME_CARE: CareKind.EMERGENCY,
    CareService.SHORT_STAY: CareKind.EMERGENCY,
    CareService.HOSPITAL_LINK: CareKind.GENERAL,
    CareService.WELFARE_CENTRE_LINK: CareKind.GENERAL,
    CareService.HEALTH_CENTRE_LINK: CareKind.GENERAL,
    CareService.ESCORT: CareKind.DAILY,
    CareService.HOME_FIX: CareKind.DAILY,
    CareService.CLEANING: CareKind.DAILY,
    CareService.MEALS: CareKind.DAILY,
    CareService.CHECK_IN: CareKind.DAILY,
}


class ServiceUnit(models.TextChoices):
    HOUR = "hour", "시간"
    VISIT = "visit", "회"
    DAY = "day", "일"
    MEAL = "meal", "식"
    CASE = "case", "건"


class ProviderKind(models.TextChoices):
    HOME_CARE_AGENCY = "home_care_agency", "재가요양기관"
    CARE_FACILITY = "care_facility", "단기보호시설"
    HOSPITAL = "hospital", "병원"
    WELFARE_CENTRE = "welfare_centre", "복지관"
    HEALTH_CENTRE = "health_centre", "보건소"
    NEIGHBOURHOOD_HELPER = "neighbourhood_helper", "우리동네 나눔반장"
    SOCIAL_ENTERPRISE = "social_enterprise", "사회적경제기업·민간업체"
    OTHER = "other", "기타"


class IntakeChannel(models.TextChoices):
    DONG_VISIT = "dong_visit", "동주민센터 방문"
    PHONE = "phone", "전화"
    CALL_120 = "call_120", "120다산콜"
    VISIT_REFERRAL = "visit_referral", "방문 상담 중 발견·의뢰"
    CRISIS_REPORT = "crisis_report", "위기가구 제보 연계"
    AGENCY_REFERRAL = "agency_referral", "기관 의뢰(병원·복지관 등)"


class ReasonKind(models.TextChoices):
    ILLNESS = "illness", "갑작스러운 질병·부상"
    DISCHARGE = "discharge", "퇴원 후 돌봄 공백"
    CARER_ABSENT = "carer_absent", "주 돌봄자 부재(입원·사망·출타)"
    DAILY_LIVING = "daily_living", "일상생활 유지 어려움"
    OTHER = "other", "기타"


class Urgency(models.TextChoices):
    URGENT = "urgent", "긴급"
    HIGH = "high", "높음"
    NORMAL = "normal", "보통"


class InformalCarer(models.TextChoices):
    NONE = "none", "돌봐 줄 사람 없음"
    FAMILY_TOGETHER = "family_together", "동거 가족 있음"
    FAMILY_APART = "family_apart", "비동거 가족 있음"
    NEIGHBOUR = "neighbour", "이웃·지인"
    UNABLE = "unable", "있으나 돌볼 수 없음(질병·노령·생업)"


class CareRequestStatus(models.TextChoices):
    RECEIVED = "received", "접수"
    VISIT_SCHEDULED = "visit_scheduled", "방문 예정"
    VISITED = "visited", "방문 완료"
    ASSESSED = "assessed", "욕구 사정 완료"
    PLAN_DRAFTED = "plan_drafted", "케어플랜 작성 중"
    SUBMITTED = "submitted", "승인 요청"
    RETURNED = "returned", "보완 요청(반려)"
    REVISED = "revised", "케어플랜 보완 중"
    APPROVED = "approved", "승인"
    IN_SERVICE = "in_service", "서비스 제공 중"
    FOLLOW_UP = "follow_up", "사후관리"
    CLOSED = "closed", "종결"
    WITHDRAWN = "withdrawn", "신청 철회"
    INELIGIBLE = "ineligible", "지원 불가"
    TRANSFERRED = "transferred", "이관"


S = CareRequestStatus
# Ends of the road: nothing happens to a request in these states any more.
TERMINAL_STATES = frozenset({S.CLOSED, S.WITHDRAWN, S.INELIGIBLE, S.TRANSFERRED})
# Before the care-manager visit: the 72-hour clock is running.
AWAITING_VISIT = frozenset({S.RECEIVED, S.VISIT_SCHEDULED})
# The care plan may be edited only while drafting or revising it.
PLAN_EDITABLE = frozenset({S.PLAN_DRAFTED, S.REVISED})
# The assessment may be corrected until the plan is submitted.
ASSESSMENT_EDITABLE = frozenset({S.VISITED, S.ASSESSED, S.PLAN_DRAFTED, S.REVISED})
# States in which the plan has been approved (it counts toward the person's annual cap).
APPROVED_STATES = frozenset({S.APPROVED, S.IN_SERVICE, S.FOLLOW_UP, S.CLOSED})


class CloseOutcome(models.TextChoices):
    NEEDS_MET = "needs_met", "돌봄 욕구 해소"
    PUBLIC_SERVICE = "public_service", "장기요양 등 공적 서비스로 연계"
    CASE_MANAGEMENT = "case_management", "통합사례관리 의뢰"
    PRIVATE_RESOURCE = "private_resource", "민간 자원 연계"
    MOVED = "moved", "전출"
    DECEASED = "deceased", "사망"
    REFUSED = "refused", "서비스 거부"
    OTHER = "other", "기타"


class NeedLevel(models.TextChoices):
    NONE = "none", "없음"
    SOME = "some", "있음"
    URGENT = "urgent", "시급"


class Adl(models.TextChoices):
    """Activities of daily living (일상생활 수행능력) the person has difficulty with."""

    EATING = "eating", "식사하기"
    BATHING = "bathing", "목욕하기"
    DRESSING = "dressing", "옷 입기"
    GROOMING = "grooming", "세수·양치"
    TOILETING = "toileting", "화장실 이용"
    CONTINENCE = "continence", "대소변 조절"
    TRANSFERRING = "transferring", "일어나 옮겨 앉기"
    WALKING = "walking", "방 밖으로 걷기"


# Assessment domains (DOMAIN §8): field prefix → Korean label.
ASSESSMENT_DOMAINS = (
    ("housing", "주거"),
    ("health", "건강"),
    ("care", "돌봄"),
    ("daily_life", "일상생활"),
    ("safety", "안전"),
)


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", "방문 기한 임박"
    OVERDUE = "overdue", "방문 기한 지남"


class Decision(models.TextChoices):
    APPROVED = "approved", "승인"
    RETURNED = "returned", "반려(보완 요청)"


def decimal_text(value) -> str:
    """A Decimal without trailing zeros or exponent: 3.0 → '3', 1.50 → '1.5', 100 → '100'."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(name=name, condition=Q(**{f"{field}__gte": 0}))


# --- providers -----------------------------------------------------------------------------


class CareProvider(models.Model):
    """A service provider the gu care-support team works with (돌봄SOS 서비스 제공기관)."""

    name = models.CharField("기관명", max_length=100)
    kind = models.CharField("기관 종류", max_length=30, choices=ProviderKind.choices)
    care_kinds = ArrayField(
        models.CharField(max_length=20, choices=CareKind.choices), verbose_name="제공 돌봄 종류", default=list,
    )
    gu = models.ForeignKey("areas.Gu", verbose_name="활동 구", on_delete=models.PROTECT, related_name="care_providers")
    dong = models.ForeignKey(
        "areas.Dong", verbose_name="활동 동(한 동에서만 활동하면)", on_delete=models.PROTECT, null=True, blank=True,
        related_name="care_providers",
    )
    contact_name = models.CharField("담당자", max_length=50, blank=True)
    phone = models.CharField("연락처", max_length=20, blank=True)
    address = models.CharField("주소", max_length=200, blank=True)
    active = models.BooleanField("협력 중", default=True)
    note = models.TextField("비고", blank=True)

    class Meta:
        db_table = "cases_careprovider"
        verbose_name = "돌봄SOS 서비스 제공기관"
        verbose_name_plural = "돌봄SOS 서비스 제공기관"
        ordering = ["gu", "name"]
        indexes = [models.Index(fields=["gu", "active"], name="careprovider_gu_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def care_kind_labels(self) -> list[str]:
        return [CareKind(v).label for v in self.care_kinds if v in CareKind.values]


# --- the request ---------------------------------------------------------------------------


class CareRequest(ConcurrentTransitionMixin, models.Model):
    """돌봄SOS 신청. Transitions are methods; the services call them, save, and record the event.

    ConcurrentTransitionMixin makes every save conditional on the state it was read in, so two
    people acting on the same request at once cannot both succeed.
    """

    dong = models.ForeignKey("areas.Dong", verbose_name="접수 동", on_delete=models.PROTECT, related_name="care_requests")
    household = models.ForeignKey(
        "cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="care_requests"
    )
    resident = models.ForeignKey(
        "cases.Resident", verbose_name="돌봄 대상자", on_delete=models.PROTECT, related_name="care_requests"
    )
    crisis_report = models.ForeignKey(
        "cases.CrisisReport", verbose_name="연계 위기가구 제보", on_delete=models.PROTECT, null=True, blank=True,
        related_name="care_requests",
    )
    channel = models.CharField("신청 경로", max_length=20, choices=IntakeChannel.choices)
    applicant_name = models.CharField("신청인 이름", max_length=50, blank=True, help_text="본인이 신청하면 비워 둡니다.")
    applicant_relation = models.CharField("신청인과 대상자의 관계", max_length=30, blank=True)
    applicant_phone = models.CharField("신청인 연락처", max_length=20, blank=True)
    reason_kind = models.CharField("돌봄 필요 사유", max_length=20, choices=ReasonKind.choices)
    reason = models.TextField("상황")
    urgency = models.CharField("긴급도", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    informal_carer = models.CharField("비공식 돌봄자", max_length=20, choices=InformalCarer.choices)
    carer_note = models.CharField("돌봄자 상황", max_length=300, blank=True)

    status = FSMField("처리 상태", max_length=20, choices=CareRequestStatus.choices, default=S.RECEIVED)
    received_at = models.DateTimeField("접수일시", db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="접수 직원", on_delete=models.PROTECT, related_name="+"
    )
    care_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="담당 돌봄매니저", blank=True, related_name="care_requests"
    )

    # The 72-hour rule as it stood at intake (policy versions stored: explainable years later).
    visit_deadline_hours = models.PositiveSmallIntegerField("방문 기한(시간)")
    visit_deadline_policy = models.ForeignKey(
        "policy.PolicyThreshold", verbose_name="방문 기한 기준 버전", on_delete=models.PROTECT, related_name="+"
    )
    due_soon_hours = models.PositiveSmallIntegerField("기한 임박 기준(시간)")
    due_soon_policy = models.ForeignKey(
        "policy.PolicyThreshold", verbose_name="기한 임박 기준 버전", on_delete=models.PROTECT, related_name="+"
    )
    visit_due_at = models.DateTimeField("방문 기한")
    due_soon_at = models.DateTimeField("기한 임박 시점")

    visit_scheduled_at = models.DateTimeField("방문 예정일시", null=True, blank=True)
    visited_at = models.DateTimeField("방문일시", null=True, blank=True)
    visit_note = models.TextField("방문 내용", blank=True)
    visited_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="방문 직원", blank=True, related_name="care_requests_visited"
    )

    follow_up_days = models.PositiveSmallIntegerField("사후관리 기한(일)", null=True, blank=True)
    follow_up_policy = models.ForeignKey(
        "policy.PolicyThreshold", verbose_name="사후관리 기한 기준 버전", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    follow_up_due = models.DateField("사후관리 점검 예정일", null=True, blank=True)
    follow_up_on = models.DateField("사후관리 점검일", null=True, blank=True)
    follow_up_note = models.TextField("사후관리 내용", blank=True)

    outcome = models.CharField("종결 결과", max_length=20, choices=CloseOutcome.choices, blank=True)
    outcome_note = models.TextField("종결 내용", blank=True)
    closed_at = models.DateTimeField("종료일시", null=True, blank=True)
    exit_reason = models.TextField("철회·불가·이관 사유", blank=True)
    transferred_to = models.ForeignKey(
        "areas.Dong", verbose_name="이관한 동", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    class Meta:
        db_table = "cases_carerequest"
        verbose_name = "돌봄SOS 신청"
        verbose_name_plural = "돌봄SOS 신청"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["dong", "status", "received_at"], name="carerequest_dong_status"),
            models.Index(fields=["status", "visit_due_at"], name="carerequest_status_due"),
        ]
        constraints = [
            models.CheckConstraint(name="carerequest_status_valid", condition=Q(status__in=CareRequestStatus.values)),
            models.CheckConstraint(name="carerequest_deadline_positive", condition=Q(visit_deadline_hours__gte=1)),
            models.CheckConstraint(name="carerequest_due_after_intake", condition=Q(visit_due_at__gt=F("received_at"))),
            models.CheckConstraint(
                name="carerequest_due_soon_before_due", condition=Q(due_soon_at__lte=F("visit_due_at"))
            ),
            models.CheckConstraint(
                name="carerequest_visit_after_intake",
                condition=Q(visited_at__isnull=True) | Q(visited_at__gte=F("received_at")),
            ),
            models.CheckConstraint(
                name="carerequest_closed_has_outcome", condition=~Q(status=S.CLOSED) | ~Q(outcome=""),
            ),
            models.CheckConstraint(
                name="carerequest_transferred_has_dong",
                condition=~Q(status=S.TRANSFERRED) | Q(transferred_to__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"돌봄SOS {self.number} ({self.get_status_display()})"

    @property
    def number(self) -> str:
        """The request number staff read out: 'SOS-2025-000123'."""
        received = timezone.localtime(self.received_at) if self.received_at else timezone.localtime()
        return f"SOS-{received:%Y}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL_STATES

    # --- transitions (guards on data; who may act is checked by the services) -------------

    def _has_assessment(self) -> bool:
        return CareAssessment.objects.filter(request_id=self.pk).exists()

    def _has_plan_lines(self) -> bool:
        return CarePlanLine.objects.filter(plan__request_id=self.pk).exists()

    def _has_deliveries(self) -> bool:
        return ServiceDelivery.objects.filter(request_id=self.pk).exists()

    def _follow_up_checked(self) -> bool:
        return self.follow_up_on is not None

    @transition(field=status, source=[S.RECEIVED, S.VISIT_SCHEDULED], target=S.VISIT_SCHEDULED)
    def schedule_visit(self):
        """방문 일정 — may be moved again before the visit."""

    @transition(field=status, source=[S.RECEIVED, S.VISIT_SCHEDULED], target=S.VISITED)
    def record_visit(self):
        """돌봄매니저 방문."""

    @transition(field=status, source=S.VISITED, target=S.ASSESSED, conditions=[_has_assessment])
    def assess(self):
        """욕구 사정 완료."""

    @transition(field=status, source=S.ASSESSED, target=S.PLAN_DRAFTED, conditions=[_has_assessment])
    def draft_plan(self):
        """케어플랜 작성 시작."""

    @transition(
        field=status, source=[S.PLAN_DRAFTED, S.REVISED], target=S.SUBMITTED,
        conditions=[_has_assessment, _has_plan_lines],
    )
    def submit(self):
        """구 돌봄지원단에 승인 요청 (보완 후에는 재요청)."""

    @transition(field=status, source=S.SUBMITTED, target=S.APPROVED)
    def approve(self):
        """구 돌봄지원단 승인."""

    @transition(field=status, source=S.SUBMITTED, target=S.RETURNED)
    def return_plan(self):
        """구 돌봄지원단 반려(보완 요청)."""

    @transition(field=status, source=S.RETURNED, target=S.REVISED)
    def revise(self):
        """반려된 케어플랜 보완 시작."""

    @transition(field=status, source=S.APPROVED, target=S.IN_SERVICE)
    def start_service(self):
        """첫 서비스 제공."""

    @transition(field=status, source=S.IN_SERVICE, target=S.FOLLOW_UP, conditions=[_has_deliveries])
    def finish_service(self):
        """서비스 제공 종료 → 사후관리."""

    @transition(field=status, source=S.FOLLOW_UP, target=S.FOLLOW_UP)
    def record_follow_up(self):
        """사후관리 점검."""

    @transition(field=status, source=S.FOLLOW_UP, target=S.CLOSED, conditions=[_follow_up_checked])
    def close(self):
        """종결."""

    @transition(
        field=status,
        source=[S.RECEIVED, S.VISIT_SCHEDULED, S.VISITED, S.ASSESSED, S.PLAN_DRAFTED, S.SUBMITTED, S.RETURNED,
                S.REVISED, S.APPROVED, S.IN_SERVICE],
        target=S.WITHDRAWN,
    )
    def withdraw(self):
        """신청인이 신청을 철회."""

    @transition(
        field=status, source=[S.RECEIVED, S.VISIT_SCHEDULED, S.VISITED, S.ASSESSED], target=S.INELIGIBLE
    )
    def mark_ineligible(self):
        """돌봄SOS 대상이 아님(장기요양 수급 중 등)."""

    @transition(field=status, source=[S.RECEIVED, S.VISIT_SCHEDULED], target=S.TRANSFERRED)
    def transfer(self):
        """다른 동으로 이관 (방문 전)."""


# Korean names of the transitions, for events, buttons and messages.
TRANSITION_LABELS = {
    "receive": "접수",
    "schedule_visit": "방문 일정 등록",
    "record_visit": "방문 기록",
    "assess": "욕구 사정",
    "draft_plan": "케어플랜 작성",
    "submit": "승인 요청",
    "resubmit": "보완 후 재요청",
    "approve": "승인",
    "return_plan": "반려(보완 요청)",
    "revise": "케어플랜 보완",
    "start_service": "서비스 제공 시작",
    "finish_service": "서비스 제공 종료",
    "record_follow_up": "사후관리 점검",
    "close": "종결",
    "withdraw": "신청 철회",
    "mark_ineligible": "지원 불가 결정",
    "transfer": "다른 동으로 이관",
}


class CareRequestEvent(models.Model):
    """One transition of a request: who, when, from, to, and a comment. Append-only."""

    request = models.ForeignKey(CareRequest, verbose_name="돌봄SOS 신청", on_delete=models.PROTECT, related_name="events")
    transition = models.CharField("처리", max_length=30)
    from_status = models.CharField("이전 상태", max_length=20, choices=CareRequestStatus.choices, blank=True)
    to_status = models.CharField("변경 상태", max_length=20, choices=CareRequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="처리자", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField("처리일시", default=timezone.now, db_index=True)
    comment = models.TextField("의견", blank=True)

    class Meta:
        db_table = "cases_carerequestevent"
        verbose_name = "돌봄SOS 처리 이력"
        verbose_name_plural = "돌봄SOS 처리 이력"
        ordering = ["at", "pk"]
        triggers = [
            pgtrigger.Protect(name="carerequestevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.transition_label}"

    @property
    def transition_label(self) -> str:
        return TRANSITION_LABELS.get(self.transition, self.transition)


# --- assessment ----------------------------------------------------------------------------


class CareAssessment(models.Model):
    """욕구 사정: needs by domain, ADL difficulties, the informal carer, and the kinds of care."""

    request = models.OneToOneField(
        CareRequest, verbose_name="돌봄SOS 신청", on_delete=models.PROTECT, related_name="assessment"
    )
    housing_level = models.CharField("주거 욕구", max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE)
    housing_note = models.TextField("주거 욕구 내용", blank=True)
    health_level = models.CharField("건강 욕구", max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE)
    health_note = models.TextField("건강 욕구 내용", blank=True)
    care_level = models.CharField("돌봄 욕구", max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE)
    care_note = models.TextField("돌봄 욕구 내용", blank=True)
    daily_life_level = models.CharField("일상생활 욕구", max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE)
    daily_life_note = models.TextField("일상생활 욕구 내용", blank=True)
    safety_level = models.CharField("안전 욕구", max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE)
    safety_note = models.TextField("안전 욕구 내용", blank=True)
    adl_difficulties = ArrayField(
        models.CharField(max_length=20, choices=Adl.choices), verbose_name="일상생활 수행 어려움", default=list, blank=True
    )
    carer_available = models.BooleanField("비공식 돌봄자가 돌볼 수 있음", default=False)
    carer_note = models.TextField("비공식 돌봄자 상황", blank=True)
    care_kinds = ArrayField(
        models.CharField(max_length=20, choices=CareKind.choices), verbose_name="필요한 돌봄 종류", default=list
    )
    summary = models.TextField("사정 의견", blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="사정 직원", on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField("사정일시")
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    class Meta:
        db_table = "cases_careassessment"
        verbose_name = "돌봄SOS 욕구 사정"
        verbose_name_plural = "돌봄SOS 욕구 사정"
        constraints = [
            models.CheckConstraint(name="careassessment_has_kind", condition=Q(care_kinds__len__gte=1)),
        ]

    def __str__(self) -> str:
        return f"욕구 사정 ({self.request_id})"

    def domains(self) -> list[dict]:
        return [
            {
                "key": key, "label": label, "level": getattr(self, f"{key}_level"),
                "level_label": NeedLevel(getattr(self, f"{key}_level")).label, "note": getattr(self, f"{key}_note"),
            }
            for key, label in ASSESSMENT_DOMAINS
        ]

    def adl_labels(self) -> list[str]:
        return [Adl(v).label for v in self.adl_difficulties if v in Adl.values]

    def care_kind_labels(self) -> list[str]:
        return [CareKind(v).label for v in self.care_kinds if v in CareKind.values]


# --- the care plan -------------------------------------------------------------------------


class CarePlan(models.Model):
    """케어플랜: service lines, their total, and the self-pay part with the policy versions used.

    The money figures are recomputed by the services whenever a line changes and frozen at
    each submission; the gu's decision keeps its own snapshot in `Approval`.
    """

    request = models.OneToOneField(CareRequest, verbose_name="돌봄SOS 신청", on_delete=models.PROTECT, related_name="plan")
    goal = models.TextField("돌봄 목표", blank=True)
    period_start = models.DateField("제공 기간 시작")
    period_end = models.DateField("제공 기간 끝")
    total_cost = models.BigIntegerField("총 비용(원)", default=0)
    self_pay_percent = models.DecimalField("본인부담률(%)", max_digits=5, decimal_places=2, default=0)
    self_pay_amount = models.BigIntegerField("본인부담금(원)", default=0)
    public_amount = models.BigIntegerField("공공 지원액(원)", default=0)
    income_ratio = models.DecimalField("적용 소득(기준중위소득 대비 %)", max_digits=5, decimal_places=1, null=True, blank=True)
    free_reason = models.CharField("무료 사유", max_length=100, blank=True)
    household_size = models.PositiveSmallIntegerField("가구원 수", null=True, blank=True)
    median_income_krw = models.BigIntegerField("적용 기준중위소득(원/월)", null=True, blank=True)
    annual_cap = models.BigIntegerField("연간 한도(원)", null=True, blank=True)
    used_this_year = models.BigIntegerField("같은 해 다른 승인 금액(원)", default=0)
    cap_override_reason = models.TextField("연간 한도 초과 사유", blank=True)
    policy_versions = models.JSONField("적용 기준값 버전", default=dict, blank=True)
    submission_no = models.PositiveSmallIntegerField("승인 요청 차수", default=0)
    submitted_at = models.DateTimeField("승인 요청일시", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="승인 요청자", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("승인일시", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="작성자", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("작성일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    class Meta:
        db_table = "cases_careplan"
        verbose_name = "케어플랜"
        verbose_name_plural = "케어플랜"
        constraints = [
            _money("careplan_total_nonnegative", "total_cost"),
            _money("careplan_self_pay_nonnegative", "self_pay_amount"),
            _money("careplan_public_nonnegative", "public_amount"),
            _money("careplan_used_nonnegative", "used_this_year"),
            models.CheckConstraint(
                name="careplan_annual_cap_nonnegative", condition=Q(annual_cap__isnull=True) | Q(annual_cap__gte=0)
            ),
            models.CheckConstraint(
                name="careplan_split_adds_up", condition=Q(total_cost=F("self_pay_amount") + F("public_amount"))
            ),
            models.CheckConstraint(
                name="careplan_self_pay_percent_range", condition=Q(self_pay_percent__gte=0, self_pay_percent__lte=100)
            ),
            models.CheckConstraint(name="careplan_period_order", condition=Q(period_end__gte=F("period_start"))),
        ]

    def __str__(self) -> str:
        return f"케어플랜 ({self.request_id})"

    @property
    def cap_exceeded(self) -> bool:
        return self.annual_cap is not None and self.used_this_year + self.total_cost > self.annual_cap


class CarePlanLine(models.Model):
    plan = models.ForeignKey(CarePlan, verbose_name="케어플랜", on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("돌봄 종류", max_length=20, choices=CareKind.choices)
    service = models.CharField("서비스", max_length=30, choices=CareService.choices)
    provider = models.ForeignKey(CareProvider, verbose_name="제공기관", on_delete=models.PROTECT, related_name="plan_lines")
    quantity = models.DecimalField("수량", max_digits=7, decimal_places=1)
    unit = models.CharField("단위", max_length=10, choices=ServiceUnit.choices)
    unit_cost = models.BigIntegerField("단가(원)")
    amount = models.BigIntegerField("금액(원)")
    start_on = models.DateField("시작일")
    end_on = models.DateField("종료일")
    note = models.CharField("비고", max_length=200, blank=True)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)

    class Meta:
        db_table = "cases_careplanline"
        verbose_name = "케어플랜 서비스"
        verbose_name_plural = "케어플랜 서비스"
        ordering = ["start_on", "pk"]
        constraints = [
            models.CheckConstraint(name="careplanline_quantity_positive", condition=Q(quantity__gt=0)),
            _money("careplanline_unit_cost_nonnegative", "unit_cost"),
            _money("careplanline_amount_nonnegative", "amount"),
            models.CheckConstraint(name="careplanline_period_order", condition=Q(end_on__gte=F("start_on"))),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.quantity_text}{self.get_unit_display()}"

    @property
    def quantity_text(self) -> str:
        """'3' for 3.0, '1.5' for 1.5 (never '3E+0')."""
        return decimal_text(self.quantity)


class Approval(models.Model):
    """The gu care-support team's decision on one submission of a plan. Append-only: a later
    decision is a new row (Primero-style approvals), never an edit."""

    request = models.ForeignKey(CareRequest, verbose_name="돌봄SOS 신청", on_delete=models.PROTECT, related_name="approvals")
    plan = models.ForeignKey(CarePlan, verbose_name="케어플랜", on_delete=models.PROTECT, related_name="approvals")
    submission_no = models.PositiveSmallIntegerField("승인 요청 차수")
    decision = models.CharField("결정", max_length=10, choices=Decision.choices)
    comment = models.TextField("의견", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="승인 요청자", on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField("승인 요청일시", null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="결정자", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("결정일시", default=timezone.now)
    total_cost = models.BigIntegerField("총 비용(원)")
    self_pay_amount = models.BigIntegerField("본인부담금(원)")
    lines = models.JSONField("서비스 내역", default=list)
    policy_versions = models.JSONField("적용 기준값 버전", default=dict)

    class Meta:
        db_table = "cases_approval"
        verbose_name = "케어플랜 승인"
        verbose_name_plural = "케어플랜 승인"
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "submission_no"], name="approval_one_per_submission"),
            models.CheckConstraint(name="approval_returned_has_comment", condition=~Q(decision="returned") | ~Q(comment="")),
            _money("approval_total_nonnegative", "total_cost"),
            _money("approval_self_pay_nonnegative", "self_pay_amount"),
        ]
        triggers = [
            pgtrigger.Protect(name="approval_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decided_at:%Y-%m-%d})"


# --- delivery, warnings --------------------------------------------------------------------


class ServiceDelivery(models.Model):
    """A service actually delivered, with the provider's result note."""

    request = models.ForeignKey(CareRequest, verbose_name="돌봄SOS 신청", on_delete=models.PROTECT, related_name="deliveries")
    line = models.ForeignKey(
        CarePlanLine, verbose_name="케어플랜 서비스", on_delete=models.PROTECT, related_name="deliveries"
    )
    provider = models.ForeignKey(CareProvider, verbose_name="제공기관", on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField("제공일")
    quantity = models.DecimalField("수량", max_digits=7, decimal_places=1)
    cost = models.BigIntegerField("비용(원)")
    result_note = models.TextField("제공 결과(기관 의견)")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="기록자", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("기록일시", default=timezone.now)

    class Meta:
        db_table = "cases_servicedelivery"
        verbose_name = "돌봄SOS 서비스 제공"
        verbose_name_plural = "돌봄SOS 서비스 제공"
        ordering = ["delivered_on", "pk"]
        constraints = [
            models.CheckConstraint(name="servicedelivery_quantity_positive", condition=Q(quantity__gt=0)),
            _money("servicedelivery_cost_nonnegative", "cost"),
        ]

    def __str__(self) -> str:
        return f"{self.delivered_on:%Y-%m-%d} {self.line.get_service_display()}"

    @property
    def quantity_text(self) -> str:
        return decimal_text(self.quantity)


class CareSosWarning(models.Model):
    """A deadline warning that has been sent. Unique per (request, kind): the escalation task
    inserts it with ON CONFLICT DO NOTHING before notifying, so each warning goes out once."""

    request = models.ForeignKey(CareRequest, verbose_name="돌봄SOS 신청", on_delete=models.PROTECT, related_name="warnings")
    kind = models.CharField("경고 종류", max_length=10, choices=WarningKind.choices)
    created_at = models.DateTimeField("발송일시", default=timezone.now)
    recipients = ArrayField(models.BigIntegerField(), verbose_name="받는 직원", default=list, blank=True)

    class Meta:
        db_table = "cases_caresoswarning"
        verbose_name = "돌봄SOS 기한 경고"
        verbose_name_plural = "돌봄SOS 기한 경고"
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="caresoswarning_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.request_id})"
