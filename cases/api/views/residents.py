"""Residents (가구원): list, detail, add, edit, and the logged RRN reveal."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from cases.api import selectors
from cases.api.fields import ScopedPrimaryKeyRelatedField
from cases.api.filters import ResidentFilter
from cases.api.pagination import IdCursor
from cases.api.serializers import (
    ResidentOutputSerializer,
)
from cases.api.views.base import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    UPDATE_ERRORS,
    ScopedApi,
    ScopedListApi,
    ScopedRetrieveApi,
    id_param,
)
from cases.models import (
    CareGrade,
    Disability,
    Household,
    Relation,
    Resident,
    Sex,
)
from cases.services.residents import resident_add, resident_rrn_reveal, resident_update
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access


class ResidentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, help_text="이름")
    relation = serializers.ChoiceField(choices=Relation.choices, required=False, help_text="가구주와의 관계")
    birth_date = serializers.DateField(help_text="생년월일 (YYYY-MM-DD)")
    sex = serializers.ChoiceField(choices=Sex.choices, help_text="성별")
    living_together = serializers.BooleanField(required=False, help_text="가구주와 함께 사는지 여부")
    disability = serializers.ChoiceField(choices=Disability.choices, required=False, help_text="장애 정도")
    care_grade = serializers.ChoiceField(choices=CareGrade.choices, required=False, help_text="노인장기요양등급")
    health_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, help_text="건강 상태 메모")
    job = serializers.CharField(max_length=50, required=False, allow_blank=True, help_text="직업")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="연락처")
    deceased_on = serializers.DateField(required=False, allow_null=True, help_text="사망일")
    moved_out_on = serializers.DateField(required=False, allow_null=True, help_text="전출일")
    rrn = serializers.CharField(
        max_length=20, required=False, allow_blank=True, write_only=True, trim_whitespace=True,
        help_text="주민등록번호 (생년월일 6자리-뒤 7자리). 암호화해 저장하며 응답에는 마스킹된 rrn_masked만 돌려줍니다. "
        "수정할 때 비워 두면 기존 번호를 유지합니다.",
    )


@extend_schema_serializer(component_name="ResidentCreateRequest")
class ResidentCreateSerializer(ResidentInputSerializer):
    household = ScopedPrimaryKeyRelatedField(
        selector=selectors.household_list_for, model=Household, help_text="소속 가구 ID (담당 구역 안)"
    )


@extend_schema_serializer(component_name="ResidentUpdateRequest")
class ResidentUpdateSerializer(ResidentInputSerializer):
    pass


@extend_schema(tags=["가구원"])
class ResidentListApi(ScopedListApi):
    queryset = Resident.objects.none()
    selector = staticmethod(selectors.resident_list_for)
    serializer_class = ResidentOutputSerializer
    filterset_class = ResidentFilter
    pagination_class = IdCursor

    @extend_schema(
        operation_id="residents_create",
        summary="가구원 등록",
        description="가구에 가구원을 더합니다. 주민등록번호는 암호문·검색색인·마스킹 형태로만 저장됩니다.",
        request=ResidentCreateSerializer,
        responses={201: ResidentOutputSerializer, **CREATE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        data = self.validated(ResidentCreateSerializer)
        return self.created(resident_add(actor=request.user, **data))

    @extend_schema(
        operation_id="residents_list",
        summary="가구원 목록",
        description="담당 구역 가구의 가구원. 주민등록번호는 마스킹된 형태(rrn_masked)로만 제공합니다.",
        responses={200: ResidentOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["가구원"])
class ResidentDetailApi(ScopedRetrieveApi):
    queryset = Resident.objects.none()
    selector = staticmethod(selectors.resident_list_for)
    serializer_class = ResidentOutputSerializer

    def log_read(self, request, obj):
        log_access(
            user=request.user, subject_type=AccessLog.Subject.RESIDENT, subject_id=obj.pk, household_id=obj.household_id
        )

    @extend_schema(
        operation_id="residents_retrieve",
        parameters=id_param("가구원 ID"),
        summary="가구원 상세",
        description="가구원 한 명. 열람기록이 남습니다. 담당 구역 밖이면 404입니다.",
        responses={200: ResidentOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    @extend_schema(
        operation_id="residents_partial_update",
        summary="가구원 정보 수정",
        description="보낸 항목만 바꿉니다. rrn을 보내면 주민등록번호를 새로 저장합니다.",
        parameters=id_param("가구원 ID"),
        request=ResidentUpdateSerializer,
        responses={200: ResidentOutputSerializer, **UPDATE_ERRORS},
    )
    def patch(self, request, *args, **kwargs):
        resident = self.get_object()
        data = self.validated(ResidentUpdateSerializer, partial=True)
        resident = resident_update(actor=request.user, resident=resident, **data)
        return Response(self.get_serializer(resident).data)


@extend_schema(tags=["가구원"])
class ResidentRrnRevealApi(ScopedApi):
    """The one place a full RRN leaves the server: POST only, with a reason, logged, never cached."""

    queryset = Resident.objects.none()
    selector = staticmethod(selectors.resident_list_for)
    # No OPTIONS description: DRF's would need a serializer_class, and this endpoint tells
    # nothing about itself beyond its schema.
    metadata_class = None

    @extend_schema_serializer(component_name="RrnRevealRequest")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300, help_text="주민등록번호 전체를 보는 사유 (열람기록에 남음)")

    @extend_schema_serializer(component_name="RrnReveal")
    class OutputSerializer(serializers.Serializer):
        rrn = serializers.CharField(help_text="주민등록번호 전체 (이 응답에서만 제공; 저장·캐시 금지)")

    @extend_schema(
        operation_id="residents_rrn_reveal",
        summary="주민등록번호 전체 보기",
        description="사유를 받아 열람기록(주민등록번호 전체 열람)을 남긴 뒤 번호를 한 번 돌려줍니다. "
        "응답은 캐시되지 않습니다.",
        parameters=id_param("가구원 ID"),
        request=InputSerializer,
        responses={200: OutputSerializer, **UPDATE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        resident = self.get_object()
        data = self.validated(self.InputSerializer)
        rrn = resident_rrn_reveal(actor=request.user, resident=resident, reason=data["reason"])
        response = Response(self.OutputSerializer({"rrn": rrn}).data)
        response["Cache-Control"] = "no-store"
        return response


