"""Contacts (방문·전화·내소·문자) and the lonely-death no-response procedure. DOMAIN §3–§4."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django_fsm import FSMField, transition

from chatdong.lifecycle import TransitionEvent


class ContactMode(models.TextChoices):
    VISIT = "visit", "방문"
    PHONE = "phone", "전화"
    OFFICE = "office", "내소"
    TEXT = "text", "문자"


class ContactOutcome(models.TextChoices):
    MET = "met", "만남"
    NOT_HOME = "not_home", "부재(스티커 부착)"
    REFUSED = "refused", "거부"
    MOVED = "moved", "이사"
    DECEASED = "deceased", "사망"


class Companion(models.TextChoices):
    FAMILY = "family", "가족"
    TONG_LEADER = "tong_leader", "통장"
    LANDLORD = "landlord", "집주인"
    NEIGHBOUR = "neighbour", "이웃"
    NURSE = "nurse", "간호사"
    POLICE = "police", "경찰"


# The six-item monitoring checklist per contact (DOMAIN §3, 수영구 manual [002]).
CHECKLIST_ITEMS = (
    ("safety", "안전 및 생활환경"),
    ("health", "신체·정신 건강"),
    ("care", "돌봄 체계"),
    ("social", "사회적 관계"),
    ("service_check", "서비스 이용 확인"),
    ("linkage", "서비스 연계 필요"),
)


@pghistory.track()
class Contact(models.Model):
    household = models.ForeignKey("cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="contacts")
    resident = models.ForeignKey(
        "cases.Resident", verbose_name="상담 대상자", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    mode = models.CharField("상담 방법", max_length=10, choices=ContactMode.choices, default=ContactMode.VISIT)
    occurred_at = models.DateTimeField("상담 일시", db_index=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="참여 직원", related_name="contacts")
    companions = ArrayField(
        models.CharField(max_length=20, choices=Companion.choices), verbose_name="동행자", default=list, blank=True
    )
    outcome = models.CharField("결과", max_length=10, choices=ContactOutcome.choices, default=ContactOutcome.MET)
    checklist = models.JSONField("모니터링 체크리스트", default=dict, blank=True)
    needs_found = models.TextField("발견된 욕구", blank=True)
    notes = models.TextField("상담 내용", blank=True)
    next_action = models.CharField("다음 조치", max_length=200, blank=True)
    next_action_on = models.DateField("다음 조치일", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="기록자", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("기록일시", auto_now_add=True)

    class Meta:
        verbose_name = "상담 기록"
        verbose_name_plural = "상담 기록"
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["household", "-occurred_at"], name="contact_household_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_mode_display()} {self.get_outcome_display()}"


class NoResponseProcedure(models.Model):
    """고독사 무응답 대응: started when a high-risk household does not answer (DOMAIN §4).

    Lifecycle (named transitions, each a `NoResponseEvent`): 진행 중 — each step ticked off
    is recorded — then 안부 확인됨 or 실종 신고 (only once the missing-person report is on
    record), both with the result written down."""

    class Status(models.TextChoices):
        OPEN = "open", "진행 중"
        RESOLVED = "resolved", "안부 확인됨"
        ESCALATED = "escalated", "실종 신고"

    household = models.ForeignKey(
        "cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="no_response_procedures"
    )
    trigger = models.CharField("시작 사유", max_length=200)
    started_at = models.DateTimeField("시작일시")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="시작한 직원", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = FSMField("상태", max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField("종료일시", null=True, blank=True)
    outcome_note = models.TextField("결과", blank=True)
    # {policy key: PolicyThreshold id} of the due hours its steps were given.
    policy_versions = models.JSONField("적용 기준값 버전", default=dict, blank=True)

    class Meta:
        verbose_name = "무응답 대응"
        verbose_name_plural = "무응답 대응"
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                name="no_response_status_valid", condition=models.Q(status__in=["open", "resolved", "escalated"])
            ),
            # At most one open procedure per household: a second trigger joins the first.
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(status="open"), name="one_open_no_response_per_household"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} 무응답 대응 ({self.get_status_display()})"

    # --- transitions (guards on data; who may act is checked by the services) -------------

    def _outcome_written(self) -> bool:
        return bool(self.outcome_note.strip())

    def _missing_report_done(self) -> bool:
        return self.steps.filter(code=MISSING_REPORT_STEP, done_at__isnull=False).exists()

    @transition(field=status, source=Status.OPEN, target=Status.OPEN)
    def record_step(self):
        """한 단계를 마침 (상태는 그대로 진행 중)."""

    @transition(field=status, source=Status.OPEN, target=Status.RESOLVED, conditions=[_outcome_written])
    def resolve(self):
        """안부 확인: 대상자의 안전을 확인하고 종료."""

    @transition(
        field=status, source=Status.OPEN, target=Status.ESCALATED, conditions=[_outcome_written, _missing_report_done]
    )
    def escalate(self):
        """실종 신고 후 종료."""


class NoResponseEvent(TransitionEvent):
    """One transition of a no-response procedure: who, when, from, to, and a comment. Append-only."""

    subject_field = "procedure"
    labels = {"start": "무응답 대응 시작", "record_step": "단계 완료", "resolve": "안부 확인", "escalate": "실종 신고"}

    procedure = models.ForeignKey(
        NoResponseProcedure, verbose_name="무응답 대응", on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField("이전 상태", max_length=20, choices=NoResponseProcedure.Status.choices, blank=True)
    to_status = models.CharField("변경 상태", max_length=20, choices=NoResponseProcedure.Status.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = "무응답 대응 처리 이력"
        verbose_name_plural = "무응답 대응 처리 이력"
        triggers = [
            pgtrigger.Protect(name="noresponseevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]


# The day-2 afternoon step: a procedure ends as 실종 신고 only once it is recorded.
MISSING_REPORT_STEP = "d2_missing_report"

# The day-1 / day-2 steps (DOMAIN §4, [002]); code → (day, Korean label).
NO_RESPONSE_STEPS = (
    ("d1_text_or_sticker", 1, "문자 발송 또는 방문 후 스티커 부착·기록"),
    ("d2_joint_visit", 2, "오전: 주무관·돌봄인력·통반장 합동 방문"),
    ("d2_hospital_check", 2, "오전: 병원 이용 여부 확인"),
    ("d2_landlord_neighbours", 2, "오전: 집주인·이웃 확인"),
    ("d2_family_contact", 2, "오전: 가족 연락"),
    ("d2_police_entry", 2, "경찰 협조 개문 확인"),
    ("d2_missing_report", 2, "오후: 실종 신고"),
)


class NoResponseStep(models.Model):
    procedure = models.ForeignKey(NoResponseProcedure, verbose_name="무응답 대응", on_delete=models.CASCADE, related_name="steps")
    code = models.CharField("단계", max_length=30)
    day = models.PositiveSmallIntegerField("일차")
    label = models.CharField("내용", max_length=100)
    due_at = models.DateTimeField("기한")
    done_at = models.DateTimeField("완료일시", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="완료한 직원", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField("메모", max_length=300, blank=True)

    class Meta:
        verbose_name = "무응답 대응 단계"
        verbose_name_plural = "무응답 대응 단계"
        ordering = ["procedure", "day", "id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "code"], name="no_response_step_unique")]

    def __str__(self) -> str:
        return f"{self.day}일차 {self.label}"
