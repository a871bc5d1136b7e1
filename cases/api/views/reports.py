"""Crisis reports (위기가구 제보): list, detail, and recording a report."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers

from cases.api import selectors
from cases.api.fields import DateTimeField, ScopedPrimaryKeyRelatedField
from cases.api.filters import CrisisReportFilter
from cases.api.pagination import ReceivedCursor
from cases.api.serializers import (
    CrisisReportOutputSerializer,
)
from cases.api.views.base import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    ScopedListApi,
    ScopedRetrieveApi,
    id_param,
)
from cases.models import (
    CrisisReport,
    Partner,
    ReportChannel,
)
from cases.services.discovery import crisis_report_record
from chatdong.areas.models import Dong
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access


@extend_schema(tags=["위기가구 제보"])
class CrisisReportListApi(ScopedListApi):
    queryset = CrisisReport.objects.none()
    selector = staticmethod(selectors.crisis_report_list_for)
    serializer_class = CrisisReportOutputSerializer
    filterset_class = CrisisReportFilter
    pagination_class = ReceivedCursor

    @extend_schema_serializer(component_name="CrisisReportCreateRequest")
    class InputSerializer(serializers.Serializer):
        dong = ScopedPrimaryKeyRelatedField(
            selector=selectors.writable_dongs, model=Dong, help_text="제보를 받을 관할 행정동 ID (담당 구역 안)"
        )
        channel = serializers.ChoiceField(choices=ReportChannel.choices, help_text="제보 경로")
        address = serializers.CharField(max_length=200, help_text="위기 대상자의 주소 또는 위치")
        situation = serializers.CharField(max_length=5000, help_text="어떤 어려움이 있는지")
        received_at = DateTimeField(
            required=False, allow_null=True, help_text="접수 일시 (생략하면 지금; 미래는 안 됨)"
        )
        reporter_name = serializers.CharField(
            max_length=50, required=False, allow_blank=True, help_text="제보자 이름 (동의한 경우에만 기록)"
        )
        reporter_phone = serializers.CharField(
            max_length=20, required=False, allow_blank=True, help_text="제보자 연락처 (예: 010-1234-5678, 동의 필요)"
        )
        partner = ScopedPrimaryKeyRelatedField(
            selector=selectors.partners_for, model=Partner, required=False, allow_null=True,
            help_text="제보한 지역 협력 주민 ID (같은 동 소속)",
        )
        subject_name = serializers.CharField(
            max_length=50, required=False, allow_blank=True, help_text="위기 대상자 이름 (아는 경우)"
        )
        consent = serializers.BooleanField(
            required=False, default=False, help_text="제보자의 개인정보 수집·이용 동의 (이름·연락처를 남기려면 필수)"
        )

    @extend_schema(
        operation_id="reports_list",
        summary="위기가구 제보 목록",
        description="담당 구역에 접수된 위기가구 제보, 최근 접수부터.",
        responses={200: CrisisReportOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        operation_id="reports_create",
        summary="위기가구 제보 접수",
        description="직원이 받은 제보를 동의 제보 대기열에 등록합니다 (cases.services.discovery.crisis_report_record).",
        request=InputSerializer,
        responses={201: CrisisReportOutputSerializer, **CREATE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        data = self.validated(self.InputSerializer)
        return self.created(crisis_report_record(actor=request.user, **data))


@extend_schema(tags=["위기가구 제보"])
class CrisisReportDetailApi(ScopedRetrieveApi):
    queryset = CrisisReport.objects.none()
    selector = staticmethod(selectors.crisis_report_list_for)
    serializer_class = CrisisReportOutputSerializer

    def log_read(self, request, obj):
        log_access(
            user=request.user, subject_type=AccessLog.Subject.REPORT, subject_id=obj.pk, household_id=obj.household_id
        )

    @extend_schema(
        operation_id="reports_retrieve",
        parameters=id_param("제보 ID"),
        summary="위기가구 제보 상세",
        description="제보 한 건. 열람기록이 남습니다. 담당 구역 밖이면 404입니다.",
        responses={200: CrisisReportOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)
