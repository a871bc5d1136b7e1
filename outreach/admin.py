"""Admin: devices and home-care allowance records are maintained here; campaigns, tasks and
runs are shown read-mostly (their writes go through the services and screens)."""

from django import forms
from django.contrib import admin

from chatdong.lifecycle import TransitionEventInline
from outreach.models import (
    ActivityDevice,
    ActivityEvent,
    BigDataRound,
    Campaign,
    CampaignKind,
    HomeCareAllowance,
    SweepRun,
    VisitTask,
    VisitTaskEvent,
)
from outreach.services.campaigns import check_universal_unique


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = "__all__"  # noqa: DJ007 - the admin edits every field, as before

    def clean(self):
        """The service's refusal of a second universal campaign for a dong and year, on the
        form (the database trigger would otherwise turn it into an error page at COMMIT)."""
        data = super().clean()
        if data.get("kind") == CampaignKind.UNIVERSAL and data.get("year"):
            try:
                check_universal_unique(year=data["year"], dongs=data.get("dongs"), exclude_pk=self.instance.pk)
            except forms.ValidationError as exc:
                for messages in exc.message_dict.values():
                    self.add_error("dongs" if "dongs" in self.fields else None, messages)
        return data


class VisitTaskEventInline(TransitionEventInline):
    model = VisitTaskEvent


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ("name", "kind", "year", "period_start", "period_end", "due_days", "active")
    list_filter = ("kind", "year", "active")
    search_fields = ("name",)
    filter_horizontal = ("dongs",)


@admin.register(VisitTask)
class VisitTaskAdmin(admin.ModelAdmin):
    list_display = ("id", "campaign", "dong", "stage", "status", "priority", "assignee", "due_on")
    list_filter = ("status", "priority", "stage", "campaign__kind")
    raw_id_fields = ("campaign", "dong", "household", "resident", "assignee", "contact", "sweep_run", "source_task", "done_by")
    readonly_fields = ("sweep_run", "created_at", "done_at")
    inlines = [VisitTaskEventInline]


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("campaign", "started_at", "finished_at", "status", "candidates", "created", "already_present")
    list_filter = ("status",)
    readonly_fields = [f.name for f in SweepRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(BigDataRound)
class BigDataRoundAdmin(admin.ModelAdmin):
    list_display = ("round_label", "file_name", "uploaded_by", "uploaded_at")
    readonly_fields = ("campaign", "round_label", "file_sha256", "file_name", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request):
        return False


@admin.register(ActivityDevice)
class ActivityDeviceAdmin(admin.ModelAdmin):
    list_display = ("external_id", "kind", "household", "last_activity_at", "last_event_at", "active")
    list_filter = ("kind", "active")
    search_fields = ("external_id",)
    raw_id_fields = ("household", "resident")
    readonly_fields = ("last_activity_at", "last_event_at", "registered_at")


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "device", "kind", "occurred_at", "received_at")
    list_filter = ("kind",)
    search_fields = ("event_id", "device__external_id")
    readonly_fields = [f.name for f in ActivityEvent._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(HomeCareAllowance)
class HomeCareAllowanceAdmin(admin.ModelAdmin):
    list_display = ("resident", "valid_from", "valid_to", "source")
    raw_id_fields = ("resident",)
    search_fields = ("resident__name",)
