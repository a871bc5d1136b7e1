from django.contrib import admin

from chatdong.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only review of the access log (the table itself rejects UPDATE/DELETE)."""

    list_display = ("at", "user", "ip", "action", "subject_type", "subject_id", "household_id", "reason")
    list_filter = ("action", "subject_type", "at")
    search_fields = ("user__username", "reason", "path", "=request_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
