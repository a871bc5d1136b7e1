"""Admin editing of policy thresholds and the 기준중위소득 table.

Every write goes through `chatdong.policy.services`: adding a version closes the previous one;
a version that has been in force is shown read-only and cannot be deleted; a scheduled
(future) version can be edited or withdrawn. Refusals are the services' Korean messages,
shown on the form before anything is saved.
"""

import datetime
import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from pghistory.models import Events

from chatdong.policy import services
from chatdong.policy.models import MedianIncome, PolicyThreshold
from chatdong.tabular import safe_cell

EVENT_LABELS = {"insert": "등록", "update": "수정", "delete": "삭제"}
FIELD_LABELS = {f.name: str(f.verbose_name) for f in PolicyThreshold._meta.get_fields() if hasattr(f, "verbose_name")}
# Which form field a service refusal belongs next to.
ERROR_FIELDS = {"bad_key": "key", "no_source": "source"}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _in_force(obj: PolicyThreshold | None) -> bool:
    return obj is not None and obj.pk is not None and obj.valid_from <= timezone.localdate()


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = PolicyThreshold
        fields = ["key", "label", "value", "unit", "valid_from", "source", "note"]
        help_texts = {
            "value": "JSON으로 입력합니다. 숫자 72, 목록 [65, 70], 기간 {\"start_month\": 7, \"end_month\": 8}",
            "valid_from": "오늘 이후 날짜. 등록하면 이전 버전은 이 날의 전날로 종료됩니다.",
            "source": "근거 문서의 제목과 항목(예: 서울특별시 ○○ 계획 2-2 …)",
        }

    def _get_validation_exclusions(self):
        # Dates and overlap are decided by the services (which close the previous version
        # first) and enforced by the database; the model's overlap check would see the
        # previous version still open and refuse every new version.
        return super()._get_validation_exclusions() | {"key", "valid_from", "valid_to"}

    def _refuse(self, error: ValidationError) -> None:
        self.add_error(ERROR_FIELDS.get(error.code, "valid_from"), error)


class ThresholdAddForm(ThresholdForm):
    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_threshold_change(
                    key=data["key"], valid_from=data["valid_from"], source=data.get("source", "")
                )
            except ValidationError as error:
                self._refuse(error)
        return data


class ThresholdScheduledForm(ThresholdForm):
    class Meta(ThresholdForm.Meta):
        fields = ["label", "value", "unit", "valid_from", "source", "note"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_scheduled_update(
                    threshold=self.instance, valid_from=data["valid_from"], source=data.get("source", "")
                )
            except ValidationError as error:
                self._refuse(error)
        return data


class ThresholdReadOnlyForm(ThresholdForm):
    """For a version in force: every field is shown read-only, so input hints are left out."""

    class Meta(ThresholdForm.Meta):
        help_texts = {}


class StatusFilter(admin.SimpleListFilter):
    title = "적용 상태"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("in_force", "적용 중"), ("scheduled", "적용 예정"), ("ended", "종료")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "in_force":
            return queryset.filter(valid_from__lte=today).exclude(valid_to__lt=today)
        if self.value() == "scheduled":
            return queryset.filter(valid_from__gt=today)
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset


@admin.register(PolicyThreshold)
class PolicyThresholdAdmin(admin.ModelAdmin):
    list_display = ("key", "label", "value_display", "unit", "valid_from", "valid_to", "status")
    list_display_links = ("key", "label")
    list_filter = (StatusFilter, "unit")
    search_fields = ("key", "label", "source", "note")
    ordering = ("key", "-valid_from")
    list_per_page = 100
    EXTRA_READONLY = ("created_by", "created_at", "new_version_link", "versions_of_key", "change_history")

    # --- display -------------------------------------------------------------------------
    @admin.display(description="값")
    def value_display(self, obj):
        return _json(obj.value)

    @admin.display(description="상태")
    def status(self, obj):
        today = timezone.localdate()
        if obj.valid_from > today:
            return "적용 예정"
        if obj.valid_to is not None and obj.valid_to < today:
            return "종료"
        return "적용 중"

    @admin.display(description="새 버전")
    def new_version_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        query = urlencode(
            {"key": obj.key, "label": obj.label, "unit": obj.unit, "value": _json(obj.value)}
        )
        url = f"{reverse('admin:policy_policythreshold_add')}?{query}"
        return format_html(
            '<a class="button" href="{}">이 기준의 새 버전 등록</a> '
            "<p class=\"help\">적용된 버전은 고칠 수 없습니다. 바뀐 값은 시작일을 정해 새 버전으로 등록합니다.</p>",
            url,
        )

    @admin.display(description="같은 기준의 모든 버전")
    def versions_of_key(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        rows = PolicyThreshold.objects.filter(key=obj.key).order_by("-valid_from")
        return format_html(
            "<table><thead><tr><th>기간</th><th>값</th><th>상태</th><th>출처</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                '<tr><td><a href="{}">{} ~ {}</a>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>',
                (
                    (
                        reverse("admin:policy_policythreshold_change", args=[row.pk]),
                        f"{row.valid_from:%Y-%m-%d}",
                        f"{row.valid_to:%Y-%m-%d}" if row.valid_to else "",
                        " (이 버전)" if row.pk == obj.pk else "",
                        _json(row.value),
                        row.unit,
                        self.status(row),
                        row.source,
                    )
                    for row in rows
                ),
            ),
        )

    @admin.display(description="변경 이력")
    def change_history(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        # Every event of every version of this key, withdrawn (deleted) versions included.
        events = list(
            Events.objects.across("policy.PolicyThresholdEvent")
            .filter(pgh_data__key=obj.key)
            .order_by("-pgh_created_at", "-pgh_id")
        )
        if not events:
            return "기록 없음"
        from chatdong.accounts.models import User

        user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
        names = {u.pk: u.display_name for u in User.objects.filter(pk__in=user_ids)}

        def describe(event):
            data = event.pgh_data or {}
            if event.pgh_label == "insert":
                return f"{data.get('valid_from')}부터 값 {_json(data.get('value'))} {data.get('unit', '')}"
            if event.pgh_label == "delete":
                return f"{data.get('valid_from')}부터 적용 예정이던 버전 삭제"
            changes = []
            for field, (before, after) in (event.pgh_diff or {}).items():
                changes.append(f"{FIELD_LABELS.get(field, field)}: {_json(before)} → {_json(after)}")
            return "; ".join(changes) or "-"

        def who(event):
            user_id = (event.pgh_context or {}).get("user")
            return names.get(user_id, "시스템") if user_id else "시스템"

        return format_html(
            "<table><thead><tr><th>시각</th><th>구분</th><th>버전</th><th>내용</th><th>처리자</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        f"{timezone.localtime(e.pgh_created_at):%Y-%m-%d %H:%M}",
                        EVENT_LABELS.get(e.pgh_label, e.pgh_label),
                        (e.pgh_data or {}).get("valid_from", ""),
                        describe(e),
                        who(e),
                    )
                    for e in events
                ),
            ),
        )

    # --- forms and permissions ---------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ThresholdAddForm
        else:
            kwargs["form"] = ThresholdReadOnlyForm if _in_force(obj) else ThresholdScheduledForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["key", "label", "value", "unit", "valid_from", "source", "note"]})]
        return [
            ("기준값", {"fields": ["key", "label", "value", "unit", "valid_from", "valid_to", "source", "note"]}),
            ("등록", {"fields": ["created_by", "created_at"]}),
            ("버전과 변경 이력", {"fields": ["new_version_link", "versions_of_key", "change_history"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if _in_force(obj):
            return ("key", "label", "value", "unit", "valid_from", "valid_to", "source", "note", *self.EXTRA_READONLY)
        return ("key", "valid_to", *self.EXTRA_READONLY)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "value" in initial:
            try:
                initial["value"] = json.loads(initial["value"])
            except (TypeError, ValueError):
                initial.pop("value")
        initial.setdefault("valid_from", timezone.localdate() + datetime.timedelta(days=1))
        return initial

    def has_change_permission(self, request, obj=None):
        if _in_force(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _in_force(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk delete would bypass the per-version check; scheduled versions are withdrawn one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- writes through the services --------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.threshold_update_scheduled(
                threshold=obj,
                actor=request.user,
                value=data["value"],
                valid_from=data["valid_from"],
                source=data["source"],
                unit=data.get("unit", ""),
                label=data.get("label", ""),
                note=data.get("note", ""),
            )
            obj.refresh_from_db()
            return
        created = services.threshold_change(
            key=data["key"],
            value=data["value"],
            valid_from=data["valid_from"],
            source=data["source"],
            actor=request.user,
            unit=data.get("unit") or None,
            label=data.get("label") or None,
            note=data.get("note", ""),
        )
        for field in PolicyThreshold._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.threshold_delete_scheduled(threshold=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class MedianIncomeResource(resources.ModelResource):
    """CSV/Excel import and export of the 기준중위소득 table, matched by (year, household size)."""

    class Meta:
        model = MedianIncome
        fields = ("year", "household_size", "monthly_krw", "source")
        import_id_fields = ("year", "household_size")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def export_field(self, field, instance, **kwargs):
        # The source note is typed text: never a live formula in the exported sheet.
        return safe_cell(super().export_field(field, instance, **kwargs))


@admin.register(MedianIncome)
class MedianIncomeAdmin(ImportExportModelAdmin):
    resource_classes = [MedianIncomeResource]
    list_display = ("year", "household_size", "monthly_krw_display", "source")
    list_filter = ("year", "household_size")
    search_fields = ("source",)
    ordering = ("-year", "household_size")
    list_per_page = 100

    @admin.display(description="월 기준중위소득", ordering="monthly_krw")
    def monthly_krw_display(self, obj):
        return f"{obj.monthly_krw:,}원"
