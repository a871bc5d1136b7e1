"""Output serializers shared by the API views. Every field carries a Korean description.

Resident registration numbers only ever leave as `rrn_masked` (900101-1******); the
ciphertext and the blind index are never serialized.
"""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cases.api.fields import DateTimeField
from cases.models import Contact, CrisisReport, Household, ReportOutcome, Resident
from cases.services.contacts import CHECKLIST_ANSWERS


@extend_schema_serializer(component_name="ApiError")
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="오류 설명")


# Field errors: {"필드 이름": ["메시지", …], "non_field_errors": [...]}.
ValidationErrorSerializer = OpenApiTypes.OBJECT
VALIDATION_ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="입력 오류: 필드 이름 → 오류 메시지 목록")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="없거나 담당 구역 밖의 대상 (구역 밖도 404)")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="인증 정보가 없거나 잘못됨")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="이 역할로는 할 수 없는 작업")


class ModelSerializer(serializers.ModelSerializer):
    """Model date-times go out as RFC 3339 (cases.api.fields.DateTimeField)."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DateTimeField: DateTimeField}


class HouseholdOutputSerializer(ModelSerializer):
    dong_name = serializers.CharField(source="dong.name", read_only=True, help_text="관할 행정동 이름")
    tong_number = serializers.IntegerField(
        source="tong.number", read_only=True, allow_null=True, help_text="통 번호 (미지정이면 null)"
    )
    address_mismatch = serializers.BooleanField(
        read_only=True, help_text="주소 미이전 여부: 주민등록상 주소가 실거주 주소와 다르면 true"
    )

    class Meta:
        model = Household
        fields = [
            "id", "dong", "dong_name", "tong", "tong_number", "ban", "address", "address_detail",
            "registered_dong", "registered_address", "address_mismatch", "housing_type", "tenure",
            "benefits", "income_ratio", "arrears", "cutoffs", "risk_tier", "planner", "nurse",
            "last_contact_at", "next_contact_due", "note", "created_at", "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "가구 ID"},
            "dong": {"help_text": "관할 행정동 ID"},
            "tong": {"help_text": "통 ID (미지정이면 null)"},
            "ban": {"help_text": "반 번호 (미지정이면 null)"},
            "address": {"help_text": "실제로 거주하는 주소"},
            "address_detail": {"help_text": "동·층·호 등 상세 주소"},
            "registered_dong": {"help_text": "주민등록상 행정동 ID (실거주 동과 같으면 null일 수 있음)"},
            "registered_address": {"help_text": "주민등록상 주소 (실거주지와 다를 때만 입력)"},
            "housing_type": {"help_text": "주거 형태 (고시원·옥탑방·반지하 등)"},
            "tenure": {"help_text": "점유 형태 (자가·전세·월세 등)"},
            "benefits": {"help_text": "받고 있는 수급·지원 목록"},
            "income_ratio": {"help_text": "가구 소득: 기준중위소득 대비 백분율 (0~1000, 모르면 null)"},
            "arrears": {"help_text": "체납 항목 목록"},
            "cutoffs": {"help_text": "단전·단수·단가스 항목 목록"},
            "risk_tier": {"help_text": "고독사 예방 위험 등급 (상담 주기를 정함)"},
            "planner": {"help_text": "담당 복지플래너 직원 ID"},
            "nurse": {"help_text": "담당 방문간호사 직원 ID"},
            "last_contact_at": {"help_text": "가장 최근 상담 일시"},
            "next_contact_due": {"help_text": "위험 등급 주기에 따른 다음 상담 예정일"},
            "note": {"help_text": "비고"},
            "created_at": {"help_text": "등록 일시"},
            "updated_at": {"help_text": "마지막 수정 일시"},
        }


class ResidentOutputSerializer(ModelSerializer):
    is_active = serializers.BooleanField(read_only=True, help_text="사망·전출하지 않은 현재 가구원이면 true")

    class Meta:
        model = Resident
        # Never add rrn_ciphertext / rrn_index here (tests/security/test_rrn_never_clear.py).
        fields = [
            "id", "household", "name", "relation", "birth_date", "sex", "living_together", "disability",
            "care_grade", "health_notes", "job", "phone", "rrn_masked", "deceased_on", "moved_out_on",
            "is_active", "created_at", "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "가구원 ID"},
            "household": {"help_text": "소속 가구 ID"},
            "name": {"help_text": "이름"},
            "relation": {"help_text": "가구주와의 관계"},
            "birth_date": {"help_text": "생년월일"},
            "sex": {"help_text": "성별"},
            "living_together": {"help_text": "가구주와 함께 사는지 여부"},
            "disability": {"help_text": "장애 정도"},
            "care_grade": {"help_text": "노인장기요양등급"},
            "health_notes": {"help_text": "건강 상태 메모"},
            "job": {"help_text": "직업"},
            "phone": {"help_text": "연락처"},
            "rrn_masked": {"help_text": "마스킹된 주민등록번호 (예: 900101-1******). 전체 번호는 API로 제공하지 않습니다."},
            "deceased_on": {"help_text": "사망일 (해당 없으면 null)"},
            "moved_out_on": {"help_text": "전출일 (해당 없으면 null)"},
            "created_at": {"help_text": "등록 일시"},
            "updated_at": {"help_text": "마지막 수정 일시"},
        }


@extend_schema_serializer(component_name="ContactChecklist")
class ChecklistSerializer(serializers.Serializer):
    """The six monitoring items of a contact (DOMAIN §3, CHECKLIST_ITEMS); an item left out was not checked."""

    safety = serializers.ChoiceField(choices=CHECKLIST_ANSWERS, required=False, help_text="안전 및 생활환경")
    health = serializers.ChoiceField(choices=CHECKLIST_ANSWERS, required=False, help_text="신체·정신 건강")
    care = serializers.ChoiceField(choices=CHECKLIST_ANSWERS, required=False, help_text="돌봄 체계")
    social = serializers.ChoiceField(choices=CHECKLIST_ANSWERS, required=False, help_text="사회적 관계")
    service_check = serializers.ChoiceField(choices=CHECKLIST_ANSWERS, required=False, help_text="서비스 이용 확인")
    linkage = serializers.ChoiceField(choices=CHECKLIST_ANSWERS, required=False, help_text="서비스 연계 필요")


class ContactOutputSerializer(ModelSerializer):
    checklist = ChecklistSerializer(read_only=True, help_text="6개 항목 모니터링 체크리스트 답변 (점검하지 않은 항목은 없음)")
    visit_task_id = serializers.SerializerMethodField(
        help_text="이 상담으로 처리된 캠페인 방문 과제 ID (없으면 null, 여러 건이면 가장 먼저 만든 과제)"
    )

    class Meta:
        model = Contact
        fields = [
            "id", "household", "resident", "mode", "occurred_at", "staff", "companions", "outcome",
            "checklist", "needs_found", "notes", "next_action", "next_action_on", "visit_task_id",
            "created_by", "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "상담 기록 ID"},
            "household": {"help_text": "상담한 가구 ID"},
            "resident": {"help_text": "상담 대상 가구원 ID (가구 전체면 null)"},
            "mode": {"help_text": "상담 방법 (방문·전화·내소·문자)"},
            "occurred_at": {"help_text": "상담 일시"},
            "staff": {"help_text": "참여한 직원 ID 목록 (복지플래너·간호사 합동 방문 등)"},
            "companions": {"help_text": "동행자 목록 (가족·통장·집주인 등)"},
            "outcome": {"help_text": "상담 결과"},
            "needs_found": {"help_text": "상담에서 발견된 욕구"},
            "notes": {"help_text": "상담 내용"},
            "next_action": {"help_text": "다음 조치"},
            "next_action_on": {"help_text": "다음 조치 예정일"},
            "created_by": {"help_text": "기록한 직원 ID"},
            "created_at": {"help_text": "기록 일시"},
        }

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_visit_task_id(self, contact: Contact) -> int | None:
        # The link is stored once, on the task (outreach's VisitTask.contact, reverse name
        # `visit_tasks`); list selectors prefetch it, a single new contact reads it here.
        return min((task.pk for task in contact.visit_tasks.all()), default=None)


class CrisisReportOutputSerializer(ModelSerializer):
    # Declared so the schema allows the blank outcome of an open report ("" until closed).
    outcome = serializers.ChoiceField(
        choices=ReportOutcome.choices, allow_blank=True, read_only=True,
        help_text="처리 결과 (처리 완료 전에는 빈 문자열)",
    )

    class Meta:
        model = CrisisReport
        fields = [
            "id", "reference", "dong", "channel", "received_at", "reporter_name", "reporter_phone", "partner",
            "subject_name", "address", "situation", "consent", "household", "status", "status_changed_at",
            "assignee", "visited_at", "visit_note", "outcome", "outcome_note", "closed_at", "created_by",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "제보 ID"},
            "reference": {"help_text": "제보자에게 알려 주는 접수번호 (예: K7M2-QX9P)"},
            "status_changed_at": {"help_text": "처리 상태가 마지막으로 바뀐 일시"},
            "visited_at": {"help_text": "확인 방문 일시"},
            "visit_note": {"help_text": "확인 방문 내용"},
            "dong": {"help_text": "관할 행정동 ID"},
            "channel": {"help_text": "제보 경로"},
            "received_at": {"help_text": "접수 일시"},
            "reporter_name": {"help_text": "제보자 이름 (익명이면 빈 문자열)"},
            "reporter_phone": {"help_text": "제보자 연락처"},
            "partner": {"help_text": "제보한 지역 협력 주민 ID (해당 없으면 null)"},
            "subject_name": {"help_text": "위기 대상자 이름 (아는 경우)"},
            "address": {"help_text": "위기 대상자 주소 또는 위치"},
            "situation": {"help_text": "제보된 위기 상황"},
            "consent": {"help_text": "제보자의 개인정보 수집·이용 동의 여부"},
            "household": {"help_text": "연결된 가구 ID (아직 연결 전이면 null)"},
            "status": {"help_text": "처리 상태"},
            "assignee": {"help_text": "담당 직원 ID"},
            "outcome_note": {"help_text": "처리 내용"},
            "closed_at": {"help_text": "처리 완료 일시"},
            "created_by": {"help_text": "접수한 직원 ID"},
        }
