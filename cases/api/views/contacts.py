"""Contacts (상담 기록): list, detail, and logging a contact through `contact_log`."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers

from cases.api import selectors
from cases.api.fields import DateTimeField, ScopedPrimaryKeyRelatedField
from cases.api.filters import ContactFilter
from cases.api.pagination import OccurredCursor
from cases.api.serializers import (
    ChecklistSerializer,
    ContactOutputSerializer,
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
    Companion,
    Contact,
    ContactMode,
    ContactOutcome,
    Household,
    Resident,
)
from cases.services.contacts import contact_log
from chatdong.accounts.models import User
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access


@extend_schema(tags=["상담"])
class ContactListApi(ScopedListApi):
    queryset = Contact.objects.none()
    selector = staticmethod(selectors.contact_list_for)
    serializer_class = ContactOutputSerializer
    filterset_class = ContactFilter
    pagination_class = OccurredCursor

    @extend_schema_serializer(component_name="ContactCreateRequest")
    class InputSerializer(serializers.Serializer):
        household = ScopedPrimaryKeyRelatedField(
            selector=selectors.household_list_for, model=Household, help_text="상담한 가구 ID (담당 구역 안)"
        )
        resident = ScopedPrimaryKeyRelatedField(
            selector=selectors.resident_list_for, model=Resident, required=False, allow_null=True,
            help_text="상담 대상 가구원 ID (그 가구의 가구원; 가구 전체면 생략)",
        )
        mode = serializers.ChoiceField(choices=ContactMode.choices, help_text="상담 방법")
        occurred_at = DateTimeField(help_text="상담 일시 (2018-01-01 이후, 미래는 안 됨)")
        staff = ScopedPrimaryKeyRelatedField(
            selector=selectors.staff_for, model=User, many=True, required=False,
            help_text="참여 직원 ID 목록 (그 가구의 동 직원; 생략하면 요청한 직원 본인)",
        )
        companions = serializers.ListField(
            child=serializers.ChoiceField(choices=Companion.choices), required=False, max_length=len(Companion.choices),
            help_text="동행자 목록",
        )
        outcome = serializers.ChoiceField(choices=ContactOutcome.choices, help_text="상담 결과")
        checklist = ChecklistSerializer(required=False, help_text="모니터링 체크리스트 답변")
        needs_found = serializers.CharField(max_length=5000, required=False, allow_blank=True, help_text="발견된 욕구")
        notes = serializers.CharField(max_length=10000, required=False, allow_blank=True, help_text="상담 내용")
        next_action = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="다음 조치")
        next_action_on = serializers.DateField(required=False, allow_null=True, help_text="다음 조치 예정일")

    @extend_schema(
        operation_id="contacts_create",
        summary="상담 기록",
        description="상담을 기록하고 가구의 최근 상담일시·다음 상담 예정일을 다시 계산합니다 "
        "(cases.services.contacts.contact_log). 위험 가구 부재면 무응답 대응이 시작됩니다.",
        request=InputSerializer,
        responses={201: ContactOutputSerializer, **CREATE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        data = self.validated(self.InputSerializer)
        data["staff"] = data.get("staff") or [request.user]
        return self.created(contact_log(actor=request.user, **data))

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
        log_access(user=request.user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=obj.household_id)

    @extend_schema(
        operation_id="contacts_retrieve",
        parameters=id_param("상담 기록 ID"),
        summary="상담 기록 상세",
        description="상담 기록 한 건. 가구 열람으로 기록됩니다. 담당 구역 밖이면 404입니다.",
        responses={200: ContactOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


