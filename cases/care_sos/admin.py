"""Admin of the Care SOS provider registry (돌봄SOS 서비스 제공기관): administrators keep it.

Requests, plans and approvals are not edited here: they change only through the workflow
services (events, append-only approvals, access log).
"""

import rules
from django import forms
from django.contrib import admin

from cases.care_sos.models import CareKind, CareProvider
from chatdong.accounts.rules import is_admin

# Administrators (the role, not only superusers) manage the registry; the permission on the
# app is added only if no other module has defined it.
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"care_sos.{_action}_careprovider", is_admin)
if not rules.perm_exists("care_sos"):
    rules.add_perm("care_sos", is_admin)


class CareProviderForm(forms.ModelForm):
    care_kinds = forms.MultipleChoiceField(
        label="제공 돌봄 종류", choices=CareKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = CareProvider
        fields = ("name", "kind", "care_kinds", "gu", "dong", "contact_name", "phone", "address", "active", "note")

    def clean(self):
        data = super().clean()
        gu, dong = data.get("gu"), data.get("dong")
        if gu is not None and dong is not None and dong.gu_id != gu.pk:
            self.add_error("dong", f"{dong.name}은(는) {gu.name} 소속 동이 아닙니다.")
        return data


@admin.register(CareProvider)
class CareProviderAdmin(admin.ModelAdmin):
    form = CareProviderForm
    list_display = ("name", "kind", "gu", "dong", "phone", "active")
    list_filter = ("active", "kind", "gu")
    search_fields = ("name", "contact_name", "phone")
    raw_id_fields = ("dong",)
    list_select_related = ("gu", "dong")

    def has_delete_permission(self, request, obj=None):
        # Providers used by a plan are kept (PROTECT); they are retired by unticking 협력 중.
        if obj is not None and obj.plan_lines.exists():
            return False
        return super().has_delete_permission(request, obj)
