"""Household, resident, search, filter, tier, reveal and export forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cases import crypto
from cases.models import Arrear, Benefit, Cutoff, Household, HousingType, Resident, RiskTier
from cases.selectors.households import (
    ASSIGNED_ALL,
    ASSIGNED_MINE,
    ASSIGNED_NONE,
)
from chatdong.accounts.roles import HOUSEHOLD_NURSE_ROLES, HOUSEHOLD_PLANNER_ROLES
from chatdong.accounts.rules import is_planner
from chatdong.accounts.scoping import dongs_for, tongs_for, writable_dongs
from chatdong.accounts.selectors import staff_with
from chatdong.areas.models import Tong

# Says what is wrong without quoting an RRN-shaped example (pages are scanned for RRNs).
RRN_FORMAT_MESSAGE = ("주민등록번호 형식이 올바르지 않습니다. 숫자 13자리(앞 "
                      "6자리와 뒤 7자리, 가운데 '-'는 있어도 됨)로 입력하세요.")


def _normalize_rrn(raw: str) -> str:
    try:
        return crypto.normalize_rrn(raw)
    except ValidationError:
        raise ValidationError(RRN_FORMAT_MESSAGE) from None


ASSIGNMENT_CHOICES = ((ASSIGNED_MINE, "내 담당"), (ASSIGNED_ALL, "동 전체"), (ASSIGNED_NONE, "담당 미배정"))
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilterForm(forms.Form):
    """List filters shared by the worklist and the search page (all optional, GET)."""

    dong = forms.ModelChoiceField(label="동", queryset=None, required=False, empty_label="전체 동")
    tong = forms.ModelChoiceField(label="통", queryset=None, required=False, empty_label="전체 통")
    tier = forms.ChoiceField(label="위험 등급", choices=[("", "전체 등급"), *RiskTier.choices], required=False)
    benefit = forms.ChoiceField(label="수급", choices=[("", "전체 수급"), *Benefit.choices], required=False)
    housing = forms.ChoiceField(label="주거 형태", choices=[("", "전체 주거"), *HousingType.choices], required=False)
    assigned = forms.ChoiceField(label="담당", choices=ASSIGNMENT_CHOICES, required=False)

    def __init__(self, *args, user, default_assigned: str = ASSIGNED_ALL, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.default_assigned = default_assigned
        if self.is_bound and not self.data.get("assigned"):
            # Show the default that applies (the select would otherwise show its first option).
            self.data = self.data.copy()
            self.data["assigned"] = default_assigned
        dongs = dongs_for(user)
        self.fields["dong"].queryset = dongs
        self.single_dong = dongs.count() == 1
        if self.single_dong:
            del self.fields["dong"]
        chosen = None
        if not self.single_dong and self.data.get("dong"):
            chosen = dongs.filter(pk=self.data.get("dong")).first() if str(self.data.get("dong")).isdigit() else None
        # Tong numbers repeat across dongs: offered only once the dong is known.
        known = chosen is not None or self.single_dong
        self.fields["tong"].queryset = tongs_for(user, dong=chosen) if known else Tong.objects.none()
        self.fields["tong"].label_from_instance = lambda t: f"{t.number}통"
        if not self.fields["tong"].queryset.exists():
            self.fields["tong"].queryset = Tong.objects.none()
            self.fields["tong"].widget = forms.HiddenInput()
        self.fields["assigned"].initial = default_assigned

    def filters(self) -> dict:
        """Keyword arguments for the selectors (invalid values are ignored, not errors)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "dong": data.get("dong"),
            "tong": data.get("tong"),
            "tier": data.get("tier", ""),
            "benefit": data.get("benefit", ""),
            "housing": data.get("housing", ""),
        }

    def assignment(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("assigned") or self.default_assigned


class SearchForm(forms.Form):
    q = forms.CharField(
        label="이름·주소·전화번호", required=False, max_length=100,
        error_messages={"max_length": "검색어는 %(limit_value)d자 이내로 입력하세요."},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "이름, 주소 또는 전화번호", "autocomplete": "off"}),
    )

    def clean_q(self):
        from cases.selectors.households import looks_like_rrn

        q = self.cleaned_data["q"].strip()
        if looks_like_rrn(q):
            # Never echo the number back into the search box.
            self.data = self.data.copy()
            self.data["q"] = ""
            raise ValidationError("주민등록번호는 아래 '주민등록번호로 찾기'를 이용하세요. 주소창에 남지 않도록 따로 검색합니다.")
        return q


class RrnSearchForm(forms.Form):
    rrn = forms.CharField(
        label="주민등록번호", max_length=20,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric", "placeholder": "숫자 13자리"}),
        error_messages={"required": "주민등록번호를 입력하세요.", "max_length": "주민등록번호는 숫자 13자리로 입력하세요."},
    )

    def clean_rrn(self):
        return _normalize_rrn(self.cleaned_data["rrn"])


class ReasonForm(forms.Form):
    """A required reason (주민등록번호 전체 보기, 내보내기)."""

    reason = forms.CharField(
        label="사유", max_length=200, error_messages={"required": "사유를 입력하세요."},
        widget=forms.TextInput(attrs={"placeholder": "예: 긴급지원 신청서 작성"}),
    )


class ExportForm(ReasonForm):
    reason = forms.CharField(
        label="내보내기 사유", max_length=200, error_messages={"required": "내보내기 사유를 입력하세요."},
        widget=forms.TextInput(attrs={"placeholder": "예: 폭염 대비 안부 확인 명단"}),
    )


class RevealForm(ReasonForm):
    reason = forms.CharField(
        label="열람 사유", max_length=200, error_messages={"required": "주민등록번호 전체 보기 사유를 입력하세요."},
        widget=forms.TextInput(attrs={"placeholder": "예: 긴급복지 신청서 작성"}),
    )


class RiskTierForm(forms.Form):
    to_tier = forms.ChoiceField(label="변경할 등급", choices=RiskTier.choices)
    reason = forms.CharField(label="변경 사유", max_length=300, error_messages={"required": "등급 변경 사유를 입력하세요."})


def _staff_label(user) -> str:
    return f"{user.display_name} ({user.get_role_display()})"


class HouseholdForm(forms.ModelForm):
    benefits = forms.MultipleChoiceField(
        label="수급·지원 현황", choices=Benefit.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    arrears = forms.MultipleChoiceField(label="체납", choices=Arrear.choices, required=False, widget=forms.CheckboxSelectMultiple)
    cutoffs = forms.MultipleChoiceField(
        label="단전·단수·단가스", choices=Cutoff.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    risk_tier = forms.ChoiceField(label="위험 등급", choices=RiskTier.choices, initial=RiskTier.NONE)
    tier_reason = forms.CharField(label="등급 사유", max_length=300, required=False)

    class Meta:
        model = Household
        fields = [
            "dong", "tong", "ban", "address", "address_detail", "registered_address", "housing_type", "tenure",
            "benefits", "income_ratio", "arrears", "cutoffs", "planner", "nurse", "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        creating = self.instance.pk is None
        dongs = writable_dongs(user)
        self.fields["dong"].queryset = dongs
        if creating and dongs.count() == 1:
            self.fields["dong"].initial = dongs.first()
        if not creating:
            # A household changes dong only by a transfer; not from this form.
            del self.fields["dong"]
            del self.fields["risk_tier"]
            del self.fields["tier_reason"]
        dong = self.instance.dong if not creating else (dongs.first() if dongs.count() == 1 else None)
        if dong is None and self.data.get("dong") and str(self.data.get("dong")).isdigit():
            dong = dongs.filter(pk=self.data["dong"]).first()
        self.fields["tong"].queryset = tongs_for(user, dong=dong) if dong else Tong.objects.none()
        self.fields["tong"].label_from_instance = lambda t: f"{t.number}통"
        nobody = get_user_model().objects.none()
        self.fields["planner"].queryset = staff_with(HOUSEHOLD_PLANNER_ROLES, dong=dong) if dong else nobody
        self.fields["nurse"].queryset = staff_with(HOUSEHOLD_NURSE_ROLES, dong=dong) if dong else nobody
        for name in ("planner", "nurse"):
            self.fields[name].label_from_instance = _staff_label
            self.fields[name].empty_label = "미배정"
        self.fields["tong"].empty_label = "선택 안 함"
        if creating and is_planner(user):
            self.fields["planner"].initial = user.pk

    def clean(self):
        data = super().clean()
        tier = data.get("risk_tier")
        if tier and tier != RiskTier.NONE and not (data.get("tier_reason") or "").strip():
            self.add_error("tier_reason", "위험 등급을 지정하면 사유를 입력하세요.")
        return data

    def _post_clean(self):
        # Model validation runs in the service (household_create/update), not twice here.
        pass

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in self.Meta.fields if k in data}


class ResidentForm(forms.ModelForm):
    rrn = forms.CharField(
        label="주민등록번호", required=False, max_length=20,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric", "placeholder": "숫자 13자리"}),
    )

    class Meta:
        model = Resident
        fields = [
            "name", "relation", "birth_date", "sex", "living_together", "disability", "care_grade", "job", "phone",
            "health_notes", "deceased_on", "moved_out_on",
        ]
        widgets = {
            "birth_date": DATE_INPUT, "deceased_on": DATE_INPUT, "moved_out_on": DATE_INPUT,
            "health_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["deceased_on"]
            del self.fields["moved_out_on"]
        elif self.instance.rrn_masked:
            self.fields["rrn"].help_text = f"등록된 번호: {self.instance.rrn_masked}. 바꿀 때만 입력하세요."

    def clean_rrn(self):
        raw = self.cleaned_data.get("rrn", "").strip()
        return _normalize_rrn(raw) if raw else ""

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in self.Meta.fields if k in data}

