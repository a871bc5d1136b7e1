"""The contact form (phone-size) and the quick actions."""

from django import forms
from django.utils import timezone

from cases.models import CHECKLIST_ITEMS, Companion, ContactMode, ContactOutcome
from cases.selectors.households import staff_choices_for
from cases.services.contacts import CHECKLIST_ANSWERS, REFUSED_REVISIT_KEY, default_revisit_on


class _StaffField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.get_role_display()})"


class ContactForm(forms.Form):
    mode = forms.ChoiceField(label="상담 방법", choices=ContactMode.choices, initial=ContactMode.VISIT, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(
        label="상담 일시", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "상담 일시를 입력하세요."},
    )
    outcome = forms.ChoiceField(label="결과", choices=ContactOutcome.choices, initial=ContactOutcome.MET,
                                widget=forms.RadioSelect)
    resident = forms.ModelChoiceField(label="상담 대상 가구원", queryset=None, required=False, empty_label="가구 전체")
    joint = _StaffField(label="함께 방문한 담당 직원", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    other_staff = _StaffField(label="다른 참여 직원", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    companions = forms.MultipleChoiceField(label="동행자", choices=Companion.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    needs_found = forms.CharField(label="발견된 욕구", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="상담 내용", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_action = forms.CharField(label="다음 조치", required=False, max_length=200)
    next_action_on = forms.DateField(
        label="다음 조치일", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, household, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.user = user
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["resident"].queryset = household.residents.filter(deceased_on__isnull=True).order_by("birth_date")
        staff = staff_choices_for(household).exclude(pk=user.pk)
        assigned = [pk for pk in (household.planner_id, household.nurse_id) if pk and pk != user.pk]
        self.fields["joint"].queryset = staff.filter(pk__in=assigned)
        self.fields["other_staff"].queryset = staff.exclude(pk__in=assigned)
        self.checklist_fields = []
        for key, label in CHECKLIST_ITEMS:
            name = f"check_{key}"
            self.fields[name] = forms.ChoiceField(label=label, choices=CHECKLIST_ANSWERS, required=False,
                                                  widget=forms.RadioSelect)
            self.checklist_fields.append(name)

    def clean(self):
        data = super().clean()
        if data.get("next_action_on") and not (data.get("next_action") or "").strip():
            self.add_error("next_action", "다음 조치일을 정했다면 무엇을 할지 적어 주세요.")
        return data

    def staff(self) -> list:
        data = self.cleaned_data
        return [self.user, *data.get("joint", []), *data.get("other_staff", [])]

    def checklist(self) -> dict:
        return {key: self.cleaned_data[f"check_{key}"] for key, _ in CHECKLIST_ITEMS if self.cleaned_data.get(f"check_{key}")}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "mode": d["mode"], "occurred_at": d["occurred_at"], "staff": self.staff(), "companions": d["companions"],
            "outcome": d["outcome"], "checklist": self.checklist(), "needs_found": d["needs_found"], "notes": d["notes"],
            "next_action": d["next_action"], "next_action_on": d["next_action_on"], "resident": d["resident"],
        }


class RefusedQuickForm(forms.Form):
    """거부 — 동행 재방문: one tap on a companion button (the date defaults to policy `contact.refused_revisit_days` later)."""

    companion = forms.ChoiceField(
        label="재방문 동행자", choices=Companion.choices, error_messages={"required": "재방문에 함께할 동행자를 선택하세요."}
    )
    revisit_on = forms.DateField(
        label="재방문일", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revisit_on"].initial = default_revisit_on(REFUSED_REVISIT_KEY, timezone.localdate())
