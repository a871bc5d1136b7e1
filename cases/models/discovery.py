"""Discovery of crisis households (위기가구 발굴): partners, reports, rewards. DOMAIN §5."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import GET_STATE, FSMField, transition

from chatdong.lifecycle import TransitionEvent


class PartnerKind(models.TextChoices):
    TONG_LEADER = "tong_leader", "통반장"
    HONORARY_OFFICER = "honorary_officer", "명예사회복지공무원"
    CITIZEN_SCOUT = "citizen_scout", "시민 찾동이"
    NEIGHBOUR_WATCHER = "neighbour_watcher", "이웃살피미"
    NEIGHBOUR_GUARDIAN = "neighbour_guardian", "이웃지킴이"
    SHARING_NEIGHBOUR = "sharing_neighbour", "나눔이웃"
    SHARING_SHOP = "sharing_shop", "나눔가게"
    NEIGHBOURHOOD_HELPER = "neighbourhood_helper", "우리동네 나눔반장"


class Partner(models.Model):
    dong = models.ForeignKey("areas.Dong", verbose_name="동", on_delete=models.PROTECT, related_name="partners")
    kind = models.CharField("구분", max_length=30, choices=PartnerKind.choices)
    name = models.CharField("이름", max_length=50)
    phone = models.CharField("연락처", max_length=20, blank=True)
    tier = models.CharField("활동 구분", max_length=20, blank=True, help_text="시민 찾동이: 적극/수시/잠재")
    active = models.BooleanField("활동 중", default=True)

    class Meta:
        verbose_name = "지역 협력 주민"
        verbose_name_plural = "지역 협력 주민"
        ordering = ["dong", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class ReportChannel(models.TextChoices):
    PARTNER = "partner", "협력 주민(통반장·명예공무원)"
    CITIZEN_SCOUT = "citizen_scout", "시민 찾동이"
    METER_READER = "meter_reader", "검침원"
    LANDLORD = "landlord", "집주인"
    HOTLINE = "hotline", "상담전화(120 등)"
    BIG_DATA = "big_data", "복지사각지대 빅데이터"
    IOT = "iot", "IoT·통신 안부 확인"
    PUBLIC_WEB = "public_web", "누리집 제보"
    WALK_IN = "walk_in", "방문 제보"
    WELFARE_POST = "welfare_post", "복지등기"


class ReportStatus(models.TextChoices):
    NEW = "new", "접수"
    ASSIGNED = "assigned", "담당 배정"
    VISITED = "visited", "확인 방문"
    CLOSED = "closed", "처리 완료"


class ReportOutcome(models.TextChoices):
    PUBLIC_BENEFIT = "public_benefit", "공적 급여 연계"
    EMERGENCY_AID = "emergency_aid", "긴급지원"
    PRIVATE_RESOURCE = "private_resource", "민간 자원 연계"
    CASE_MANAGEMENT = "case_management", "사례관리"
    NOTHING_NEEDED = "nothing_needed", "지원 불필요"


OPEN_REPORT_STATES = [ReportStatus.NEW, ReportStatus.ASSIGNED, ReportStatus.VISITED]


def _assigned_state(report: "CrisisReport") -> str:
    """Assigning a new report makes it 담당 배정; a later reassignment keeps the state it reached."""
    return ReportStatus.ASSIGNED if report.status == ReportStatus.NEW else report.status


@pghistory.track()
class CrisisReport(models.Model):
    """위기가구 제보. Lifecycle (named transitions, each a `CrisisReportTransition`):
    접수 → 담당 배정 → 확인 방문 → 처리 완료, with 이관 (back to 접수 in another dong) while
    open; the services check who may act, the transitions' guards check the data."""

    dong = models.ForeignKey("areas.Dong", verbose_name="관할 동", on_delete=models.PROTECT, related_name="crisis_reports")
    channel = models.CharField("제보 경로", max_length=20, choices=ReportChannel.choices)
    # Reference given to the reporter (e.g. "K7M2-QX9P"): never the database id.
    reference = models.CharField("접수번호", max_length=12, unique=True, null=True, blank=True, editable=False)
    received_at = models.DateTimeField("접수일시", db_index=True)
    reporter_name = models.CharField("제보자 이름", max_length=50, blank=True)
    reporter_phone = models.CharField("제보자 연락처", max_length=20, blank=True)
    partner = models.ForeignKey(
        Partner, verbose_name="제보 협력 주민", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    subject_name = models.CharField("대상자 이름(아는 경우)", max_length=50, blank=True)
    address = models.CharField("대상자 주소·위치", max_length=200)
    situation = models.TextField("위기 상황")
    consent = models.BooleanField("개인정보 수집·이용 동의", default=False)
    household = models.ForeignKey(
        "cases.Household", verbose_name="연결 가구", on_delete=models.PROTECT, null=True, blank=True,
        related_name="crisis_reports"
    )
    status = FSMField("처리 상태", max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW)
    # Last status change: team leaders see reports whose status has not moved for
    # `discovery.stale_days` days.
    status_changed_at = models.DateTimeField("상태 변경일시", default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="담당자", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visited_at = models.DateTimeField("확인 방문일시", null=True, blank=True)
    visit_note = models.TextField("확인 방문 내용", blank=True)
    outcome = models.CharField("처리 결과", max_length=20, choices=ReportOutcome.choices, blank=True)
    outcome_note = models.TextField("처리 내용", blank=True)
    closed_at = models.DateTimeField("처리일시", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="접수 직원", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "위기가구 제보"
        verbose_name_plural = "위기가구 제보"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["dong", "status", "received_at"], name="report_dong_status")]
        constraints = [
            models.CheckConstraint(name="report_status_valid", condition=Q(status__in=ReportStatus.values)),
            models.CheckConstraint(
                name="report_closed_has_outcome",
                condition=~Q(status="closed") | ~Q(outcome=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.get_channel_display()} {self.address}"

    # --- transitions (guards on data; who may act is checked by the services) -------------

    def _no_household(self) -> bool:
        return self.household_id is None

    def _has_outcome(self) -> bool:
        return self.outcome in ReportOutcome.values

    def _visit_recorded(self) -> bool:
        return self.visited_at is not None and bool(self.visit_note)

    @transition(
        field=status, source=OPEN_REPORT_STATES,
        target=GET_STATE(_assigned_state, states=[ReportStatus.ASSIGNED, ReportStatus.VISITED]),
    )
    def assign(self):
        """담당 배정 (재배정 포함)."""

    @transition(field=status, source=OPEN_REPORT_STATES, target=ReportStatus.NEW, conditions=[_no_household])
    def transfer(self):
        """잘못 접수된 제보를 다른 동으로 이관: 그 동의 접수 대기로 돌아감."""

    @transition(field=status, source=OPEN_REPORT_STATES, target=ReportStatus.VISITED, conditions=[_visit_recorded])
    def record_visit(self):
        """확인 방문 기록."""

    @transition(field=status, source=OPEN_REPORT_STATES, target=ReportStatus.CLOSED, conditions=[_has_outcome])
    def close(self):
        """처리 결과와 함께 처리 완료."""


class CrisisReportTransition(TransitionEvent):
    """One transition of a crisis report: who, when, from, to, and a comment. Append-only.
    (`CrisisReportEvent` is pghistory's field-level history of the report.)"""

    subject_field = "report"
    labels = {
        "receive": "접수", "assign": "담당 배정", "transfer": "다른 동으로 이관", "record_visit": "확인 방문",
        "close": "처리 완료",
    }

    report = models.ForeignKey(
        CrisisReport, verbose_name="위기가구 제보", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField("이전 상태", max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField("변경 상태", max_length=20, choices=ReportStatus.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = "위기가구 제보 처리 이력"
        verbose_name_plural = "위기가구 제보 처리 이력"
        triggers = [
            pgtrigger.Protect(name="crisisreporttransition_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]


class ReporterReward(models.Model):
    """포상금: capped per case and per reporter per year by policy (discovery.reward_*)."""

    report = models.OneToOneField(CrisisReport, verbose_name="제보", on_delete=models.PROTECT, related_name="reward")
    reporter_key = models.CharField("제보자 식별키", max_length=64, db_index=True)
    amount = models.PositiveIntegerField("지급액(원)")
    paid_on = models.DateField("지급일")
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="지급 처리자", on_delete=models.PROTECT, related_name="+")
    policy_versions = models.JSONField("적용 기준값 버전", default=dict)

    class Meta:
        verbose_name = "제보 포상금"
        verbose_name_plural = "제보 포상금"
        constraints = [models.CheckConstraint(name="reward_amount_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.amount:,}원 ({self.paid_on:%Y-%m-%d})"
