from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chatdong.accounts.forms import StaffChangeForm, StaffCreationForm
from chatdong.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Staff accounts; only admins reach it (rules: accounts.*_user). `is_staff` follows the role."""

    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "name", "role", "gu", "dong", "is_active", "last_login")
    list_filter = ("role", "is_active", "gu")
    search_fields = ("username", "name", "email")
    filter_horizontal = ("tongs", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("개인 정보", {"fields": ("name", "email", "phone")}),
        ("역할과 담당 구역", {"fields": ("role", "gu", "dong", "tongs")}),
        ("상태", {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "role", "gu", "dong", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")
