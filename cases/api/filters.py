"""django-filter filter sets for the API list endpoints (query parameters are documented)."""

import django_filters

from cases.models import (
    Benefit,
    Contact,
    ContactMode,
    ContactOutcome,
    CrisisReport,
    Household,
    HousingType,
    ReportChannel,
    ReportStatus,
    Resident,
    RiskTier,
)


class HouseholdFilter(django_filters.FilterSet):
    dong = django_filters.NumberFilter(field_name="dong_id", help_text="관할 동 ID")
    tong = django_filters.NumberFilter(field_name="tong_id", help_text="통 ID")
    risk_tier = django_filters.MultipleChoiceFilter(
        choices=RiskTier.choices, help_text="위험 등급 (여러 개를 주면 그중 하나)"
    )
    housing_type = django_filters.MultipleChoiceFilter(
        choices=HousingType.choices, help_text="주거 형태 (여러 개를 주면 그중 하나)"
    )
    benefit = django_filters.MultipleChoiceFilter(
        field_name="benefits",
        choices=Benefit.choices,
        method="filter_benefit",
        help_text="수급·지원 현황 (여러 개를 주면 모두 받는 가구)",
    )
    planner = django_filters.NumberFilter(field_name="planner_id", help_text="담당 복지플래너 ID")

    class Meta:
        model = Household
        fields = ["dong", "tong", "risk_tier", "housing_type", "benefit", "planner"]

    def filter_benefit(self, queryset, name, value):
        # ArrayField containment: every requested benefit must be present (uses the GIN index).
        return queryset.filter(benefits__contains=list(value)) if value else queryset


class ResidentFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", help_text="가구 ID")

    class Meta:
        model = Resident
        fields = ["household"]


class ContactFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", help_text="가구 ID")
    mode = django_filters.MultipleChoiceFilter(choices=ContactMode.choices, help_text="상담 방법")
    outcome = django_filters.MultipleChoiceFilter(choices=ContactOutcome.choices, help_text="상담 결과")
    occurred_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", help_text="이 날짜(포함) 이후 상담 (YYYY-MM-DD)"
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", help_text="이 날짜(포함) 이전 상담 (YYYY-MM-DD)"
    )

    class Meta:
        model = Contact
        fields = ["household", "mode", "outcome", "occurred_from", "occurred_to"]


class CrisisReportFilter(django_filters.FilterSet):
    dong = django_filters.NumberFilter(field_name="dong_id", help_text="관할 동 ID")
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, help_text="처리 상태")
    channel = django_filters.MultipleChoiceFilter(choices=ReportChannel.choices, help_text="제보 경로")

    class Meta:
        model = CrisisReport
        fields = ["dong", "status", "channel"]
