"""Admin for cases: read-mostly views for administrators.

RRNs are shown masked only; ciphertext and blind index never appear. Staff use the
household screens (which log every view); the admin is for administrators fixing data.
"""

from django.contrib import admin

from cases.models import (
    Contact,
    CrisisReport,
    CrisisReportTransition,
    Household,
    NoResponseEvent,
    NoResponseProcedure,
    NoResponseStep,
    Partner,
    Resident,
    RiskTierChange,
)
from chatdong.lifecycle import TransitionEventInline


class ResidentInline(admin.TabularInline):
    model = Resident
    extra = 0
    fields = ("name", "relation", "birth_date", "sex", "rrn_masked", "living_together", "deceased_on", "moved_out_on")
    readonly_fields = ("rrn_masked",)
    show_change_link = True


class RiskTierChangeInline(admin.TabularInline):
    model = RiskTierChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_tier", "to_tier", "reason", "changed_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("__str__", "dong", "tong", "risk_tier", "planner", "next_contact_due", "last_contact_at")
    list_filter = ("risk_tier", "housing_type", "dong__gu")
    search_fields = ("address", "address_detail", "residents__name")
    list_select_related = ("dong", "tong", "planner")
    autocomplete_fields = ()
    raw_id_fields = ("dong", "tong", "registered_dong", "planner", "nurse")
    readonly_fields = ("risk_tier", "last_contact_at", "next_contact_due", "created_at", "updated_at")
    inlines = [ResidentInline, RiskTierChangeInline]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ("name", "relation", "birth_date", "rrn_masked", "household")
    search_fields = ("name",)
    list_select_related = ("household",)
    raw_id_fields = ("household",)
    exclude = ("rrn_ciphertext", "rrn_index")
    readonly_fields = ("rrn_masked", "created_at", "updated_at")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "household", "mode", "outcome", "next_action_on", "created_by")
    list_filter = ("mode", "outcome")
    date_hierarchy = "occurred_at"
    list_select_related = ("household", "created_by")
    raw_id_fields = ("household", "resident", "created_by")
    filter_horizontal = ("staff",)


@admin.register(RiskTierChange)
class RiskTierChangeAdmin(admin.ModelAdmin):
    list_display = ("changed_at", "household", "from_tier", "to_tier", "changed_by")
    list_filter = ("to_tier",)
    list_select_related = ("household", "changed_by")
    readonly_fields = ("household", "from_tier", "to_tier", "reason", "changed_by", "changed_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "dong", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    raw_id_fields = ("dong",)


class CrisisReportTransitionInline(TransitionEventInline):
    model = CrisisReportTransition


class NoResponseEventInline(TransitionEventInline):
    model = NoResponseEvent


@admin.register(CrisisReport)
class CrisisReportAdmin(admin.ModelAdmin):
    list_display = ("received_at", "dong", "channel", "status", "outcome")
    list_filter = ("status", "channel")
    date_hierarchy = "received_at"
    raw_id_fields = ("dong", "partner", "household", "assignee", "created_by")
    inlines = [CrisisReportTransitionInline]


class NoResponseStepInline(admin.TabularInline):
    model = NoResponseStep
    extra = 0
    raw_id_fields = ("done_by",)


@admin.register(NoResponseProcedure)
class NoResponseProcedureAdmin(admin.ModelAdmin):
    list_display = ("household", "status", "started_at", "closed_at")
    list_filter = ("status",)
    raw_id_fields = ("household", "started_by")
    inlines = [NoResponseStepInline, NoResponseEventInline]

