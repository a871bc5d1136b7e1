"""Households (가구): list, detail, register, edit, change the risk tier."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from cases.api import selectors
from cases.api.fields import ScopedPrimaryKeyRelatedField
from cases.api.filters import HouseholdFilter
from cases.api.pagination import IdCursor
from cases.api.serializers import (
    HouseholdOutputSerializer,
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
    Arrear,
    Benefit,
    Cutoff,
    Household,
    HousingType,
    RiskTier,
    Tenure,
)
from cases.services.households import household_create, household_update, risk_tier_change
from chatdong.accounts.models import User
from chatdong.areas.models import Dong, Tong
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access


class HouseholdInputSerializer(serializers.Serializer):
    """The fields a planner may set on a household; tier and contact dates are derived."""

    dong = ScopedPrimaryKeyRelatedField(
        selector=selectors.writable_dongs, model=Dong, help_text="관할 행정동 ID (담당 구역 안)"
    )
    tong = ScopedPrimaryKeyRelatedField(
        selector=selectors.tongs_for, model=Tong, required=False, allow_null=True, help_text="통 ID (관할 동 소속)"
    )
    ban = serializers.IntegerField(min_value=1, max_value=999, required=False, allow_null=True, help_text="반 번호")
    address = serializers.CharField(max_length=200, help_text="실제로 거주하는 주소")
    address_detail = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="동·층·호 등 상세 주소"
    )
    registered_dong = ScopedPrimaryKeyRelatedField(
        selector=selectors.all_dongs, model=Dong, required=False, allow_null=True,
        help_text="주민등록상 행정동 ID (다른 구·동이어도 됨)",
    )
    registered_address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="주민등록상 주소 (실거주지와 다를 때, 주소 미이전)"
    )
    housing_type = serializers.ChoiceField(choices=HousingType.choices, required=False, help_text="주거 형태")
    tenure = serializers.ChoiceField(choices=Tenure.choices, required=False, help_text="점유 형태")
    benefits = serializers.ListField(
        child=serializers.ChoiceField(choices=Benefit.choices), required=False, max_length=len(Benefit.choices),
        help_text="받고 있는 수급·지원 목록",
    )
    income_ratio = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=1000, required=False, allow_null=True,
        help_text="가구 소득: 기준중위소득 대비 백분율 (0~1000)",
    )
    arrears = serializers.ListField(
        child=serializers.ChoiceField(choices=Arrear.choices), required=False, max_length=len(Arrear.choices),
        help_text="체납 항목 목록",
    )
    cutoffs = serializers.ListField(
        child=serializers.ChoiceField(choices=Cutoff.choices), required=False, max_length=len(Cutoff.choices),
        help_text="단전·단수·단가스 항목 목록",
    )
    planner = ScopedPrimaryKeyRelatedField(
        selector=selectors.staff_for, model=User, required=False, allow_null=True, help_text="담당 복지플래너 직원 ID"
    )
    nurse = ScopedPrimaryKeyRelatedField(
        selector=selectors.staff_for, model=User, required=False, allow_null=True, help_text="담당 방문간호사 직원 ID"
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, help_text="비고")


@extend_schema_serializer(component_name="HouseholdCreateRequest")
class HouseholdCreateSerializer(HouseholdInputSerializer):
    risk_tier = serializers.ChoiceField(
        choices=RiskTier.choices, required=False, default=RiskTier.NONE, help_text="처음 정하는 위험 등급"
    )
    tier_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="위험 등급을 정한 사유 (생략하면 '최초 등록')"
    )


@extend_schema_serializer(component_name="HouseholdUpdateRequest")
class HouseholdUpdateSerializer(HouseholdInputSerializer):
    pass


@extend_schema(tags=["가구"])
class HouseholdListApi(ScopedListApi):
    queryset = Household.objects.none()
    selector = staticmethod(selectors.household_list_for)
    serializer_class = HouseholdOutputSerializer
    filterset_class = HouseholdFilter
    pagination_class = IdCursor

    @extend_schema(
        operation_id="households_create",
        summary="가구 등록",
        description="담당 구역에 가구를 등록합니다. 위험 등급을 주면 등급 변경 이력이 함께 남습니다.",
        request=HouseholdCreateSerializer,
        responses={201: HouseholdOutputSerializer, **CREATE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        data = self.validated(HouseholdCreateSerializer)
        return self.created(household_create(actor=request.user, **data))

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
        log_access(user=request.user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=obj.pk)

    @extend_schema(
        operation_id="households_retrieve",
        parameters=id_param("가구 ID"),
        summary="가구 상세",
        description="가구 한 건. 열람기록이 남습니다. 담당 구역 밖의 가구는 404입니다.",
        responses={200: HouseholdOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    @extend_schema(
        operation_id="households_partial_update",
        summary="가구 정보 수정",
        description="보낸 항목만 바꿉니다. 위험 등급은 /risk-tier/로 사유와 함께 바꿉니다.",
        parameters=id_param("가구 ID"),
        request=HouseholdUpdateSerializer,
        responses={200: HouseholdOutputSerializer, **UPDATE_ERRORS},
    )
    def patch(self, request, *args, **kwargs):
        household = self.get_object()
        data = self.validated(HouseholdUpdateSerializer, partial=True)
        household = household_update(actor=request.user, household=household, **data)
        return Response(self.get_serializer(household).data)


@extend_schema(tags=["가구"])
class HouseholdRiskTierApi(ScopedApi):
    queryset = Household.objects.none()
    selector = staticmethod(selectors.household_list_for)
    serializer_class = HouseholdOutputSerializer

    @extend_schema_serializer(component_name="RiskTierChangeRequest")
    class InputSerializer(serializers.Serializer):
        to_tier = serializers.ChoiceField(choices=RiskTier.choices, help_text="바꿀 위험 등급")
        reason = serializers.CharField(max_length=300, help_text="등급을 바꾸는 사유 (필수)")

    @extend_schema(
        operation_id="households_risk_tier_change",
        summary="위험 등급 변경",
        description="사유와 함께 위험 등급을 바꾸고 이력을 남깁니다. 다음 상담 예정일이 새 주기로 다시 계산됩니다.",
        parameters=id_param("가구 ID"),
        request=InputSerializer,
        responses={200: HouseholdOutputSerializer, **UPDATE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        household = self.get_object()
        data = self.validated(self.InputSerializer)
        risk_tier_change(actor=request.user, household=household, **data)
        household.refresh_from_db()
        return Response(self.get_serializer(household).data)


