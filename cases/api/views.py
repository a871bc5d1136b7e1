"""Thin API views: scope through a selector, filter, paginate, serialize, log the read.

Writes go through the cases services (HackSoft style): a view validates its nested
InputSerializer and calls one service; it holds no business rule itself.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cases.api import selectors
from cases.api.filters import ContactFilter, CrisisReportFilter, HouseholdFilter, ResidentFilter
from cases.api.pagination import IdCursor, OccurredCursor, ReceivedCursor
from cases.api.serializers import (
    NOT_FOUND,
    UNAUTHENTICATED,
    VALIDATION_ERROR,
    ContactOutputSerializer,
    CrisisReportOutputSerializer,
    HouseholdOutputSerializer,
    ResidentOutputSerializer,
)
from cases.models import Contact, CrisisReport, Household, Resident
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

LIST_ERRORS = {400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 404: NOT_FOUND}
DETAIL_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND}


def id_param(description: str) -> list[OpenApiParameter]:
    return [OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=description)]


class ScopedApi(generics.GenericAPIView):
    """Base: token first (so a missing credential answers 401), then the browser session."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @staticmethod
    def selector(user):  # pragma: no cover - every subclass sets one
        raise NotImplementedError

    def get_queryset(self):
        return type(self).selector(self.request.user)


class ScopedListApi(ScopedApi, generics.ListAPIView):
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # A list of personal data is a read too: one row per request, the path keeps the filters.
        log_access(request=request, subject_type=AccessLog.Subject.LIST, subject_id=None)
        return response


class ScopedRetrieveApi(ScopedApi, generics.RetrieveAPIView):
    def log_read(self, request, obj) -> None:  # pragma: no cover - every subclass sets one
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()  # out of scope → not in the queryset → 404
        self.log_read(request, obj)
        return Response(self.get_serializer(obj).data)


# --- households ----------------------------------------------------------------------------

@extend_schema(tags=["가구"])
class HouseholdListApi(ScopedListApi):
    queryset = Household.objects.none()
    selector = staticmethod(selectors.household_list_for)
    serializer_class = HouseholdOutputSerializer
    filterset_class = HouseholdFilter
    pagination_class = IdCursor

    @extend_schema(
        operation_id="households_list",
        summary="가구 목록",
        description="담당 구역의 가구 목록 (동 직원은 소속 동, 구 총괄은 구 전체, 시 분석담당은 빈 목록).",
        responses={200: HouseholdOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["가구"])
class HouseholdDetailApi(ScopedRetrieveApi):
    queryset = Household.objects.none()
    selector = staticmethod(selectors.household_list_for)
    serializer_class = HouseholdOutputSerializer

    def log_read(self, request, obj):
        log_access(request=request, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=obj.pk)

    @extend_schema(
        operation_id="households_retrieve",
        parameters=id_param("가구 ID"),
        summary="가구 상세",
        description="가구 한 건. 열람기록이 남습니다. 담당 구역 밖의 가구는 404입니다.",
        responses={200: HouseholdOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


# --- residents -----------------------------------------------------------------------------

@extend_schema(tags=["가구원"])
class ResidentListApi(ScopedListApi):
    queryset = Resident.objects.none()
    selector = staticmethod(selectors.resident_list_for)
    serializer_class = ResidentOutputSerializer
    filterset_class = ResidentFilter
    pagination_class = IdCursor

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
            request=request, subject_type=AccessLog.Subject.RESIDENT, subject_id=obj.pk, household_id=obj.household_id
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


# --- contacts ------------------------------------------------------------------------------

@extend_schema(tags=["상담"])
class ContactListApi(ScopedListApi):
    queryset = Contact.objects.none()
    selector = staticmethod(selectors.contact_list_for)
    serializer_class = ContactOutputSerializer
    filterset_class = ContactFilter
    pagination_class = OccurredCursor

    @extend_schema(
        operation_id="contacts_list",
        summary="상담 기록 목록",
        description="담당 구역 가구의 상담(방문·전화·내소·문자) 기록, 최근 상담부터.",
        responses={200: ContactOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["상담"])
class ContactDetailApi(ScopedRetrieveApi):
    queryset = Contact.objects.none()
    selector = staticmethod(selectors.contact_list_for)
    serializer_class = ContactOutputSerializer

    def log_read(self, request, obj):
        # A contact is part of the household's record: logged against the household.
        log_access(request=request, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=obj.household_id)

    @extend_schema(
        operation_id="contacts_retrieve",
        parameters=id_param("상담 기록 ID"),
        summary="상담 기록 상세",
        description="상담 기록 한 건. 가구 열람으로 기록됩니다. 담당 구역 밖이면 404입니다.",
        responses={200: ContactOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


# --- crisis reports ------------------------------------------------------------------------

@extend_schema(tags=["위기가구 제보"])
class CrisisReportListApi(ScopedListApi):
    queryset = CrisisReport.objects.none()
    selector = staticmethod(selectors.crisis_report_list_for)
    serializer_class = CrisisReportOutputSerializer
    filterset_class = CrisisReportFilter
    pagination_class = ReceivedCursor

    @extend_schema(
        operation_id="reports_list",
        summary="위기가구 제보 목록",
        description="담당 구역에 접수된 위기가구 제보, 최근 접수부터.",
        responses={200: CrisisReportOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["위기가구 제보"])
class CrisisReportDetailApi(ScopedRetrieveApi):
    queryset = CrisisReport.objects.none()
    selector = staticmethod(selectors.crisis_report_list_for)
    serializer_class = CrisisReportOutputSerializer

    def log_read(self, request, obj):
        log_access(
            request=request, subject_type=AccessLog.Subject.REPORT, subject_id=obj.pk, household_id=obj.household_id
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
