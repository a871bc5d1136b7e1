"""Forms for the outreach screens. They only clean input; services decide."""

from django import forms
from django.utils import timezone

from cases.models import HousingType, RiskTier, Sex
from chatdong.accounts.scoping import writable_dongs
from outreach.models import RESULT_STATUSES, CampaignKind, Finding
from outreach.services.campaigns import MANUAL_KINDS
from outreach.services.cohorts import TARGETED_FILTERS


def _this_year() -> int:
    return timezone.localdate().year


class DongChoiceMixin:
    def _set_dongs(self, user):
        self.fields["dongs"].queryset = writable_dongs(user).order_by("gu__name", "name")


class CampaignForm(DongChoiceMixin, forms.Form):
    kind = forms.ChoiceField(label="종류", choices=[(k.value, k.label) for k in MANUAL_KINDS])
    name = forms.CharField(label="이름", max_length=120)
    year = forms.IntegerField(label="연도", min_value=2015, max_value=2100, initial=_this_year)
    dongs = forms.ModelMultipleChoiceField(
        label="대상 동", queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="관리자는 비워 두면 서울시 전체가 대상입니다.",
    )
    period_start = forms.DateField(
        label="기간 시작", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="비워 두면 연도 전체(하절기·동절기는 정책 기준값의 기간)입니다.",
    )
    period_end = forms.DateField(label="기간 종료", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_days = forms.IntegerField(label="처리 기한(일)", min_value=0, max_value=365, initial=30)
    # targeted survey filters (기획조사)
    age_min = forms.IntegerField(label="나이(이상)", required=False, min_value=0, max_value=130)
    age_max = forms.IntegerField(label="나이(이하)", required=False, min_value=0, max_value=130)
    housing_types = forms.MultipleChoiceField(
        label="주거 형태", required=False, choices=HousingType.choices, widget=forms.CheckboxSelectMultiple
    )
    living_alone = forms.BooleanField(label="1인가구만", required=False)
    tiers = forms.MultipleChoiceField(
        label="위험 등급", required=False, choices=RiskTier.choices, widget=forms.CheckboxSelectMultiple
    )
    run_now = forms.BooleanField(label="만든 뒤 바로 실행", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_dongs(user)

    def params(self) -> dict:
        data = self.cleaned_data
        if data["kind"] != CampaignKind.TARGETED:
            return {}
        return {key: data.get(key) for key in TARGETED_FILTERS}


class ResultForm(forms.Form):
    status = forms.ChoiceField(
        label="방문 결과", choices=[(s.value, s.label) for s in RESULT_STATUSES], widget=forms.RadioSelect
    )
    finding = forms.ChoiceField(
        label="1단계 조사 결과", choices=[("", "선택 안 함"), *Finding.choices], required=False, widget=forms.RadioSelect,
        help_text="고독사 실태조사 1단계: 이상 발견이면 복지플래너의 2단계 심층조사 과제가 만들어집니다.",
    )
    note = forms.CharField(label="메모", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, stage1: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not stage1:
            del self.fields["finding"]


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="새 담당자", queryset=None)
    tasks = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].empty_label = "담당자 선택"
        self.fields["assignee"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"


class RoundUploadForm(DongChoiceMixin, forms.Form):
    round_label = forms.CharField(label="차수", max_length=40, help_text="예: 2025년 3차")
    file = forms.FileField(
        label="명단 파일",
        help_text="CSV(UTF-8 또는 CP949) 또는 엑셀(.xlsx). 열: 주민등록번호 또는 성명·생년월일, 주소, 위기정보."
    )
    dongs = forms.ModelMultipleChoiceField(label="대상 동", queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    due_days = forms.IntegerField(label="처리 기한(일)", min_value=0, max_value=365, initial=14)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_dongs(user)
        if getattr(user, "dong_id", None):
            self.fields["dongs"].initial = [user.dong_id]


class RowCreateForm(forms.Form):
    dong = forms.ModelChoiceField(label="동", queryset=None)
    address = forms.CharField(label="주소", max_length=200)
    housing_type = forms.ChoiceField(label="주거 형태", choices=HousingType.choices, initial=HousingType.OTHER)
    sex = forms.ChoiceField(label="성별", choices=[("", "주민등록번호로 판단"), *Sex.choices], required=False)
    birth_date = forms.DateField(label="생년월일", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, dongs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("생년월일이 미래입니다.")
        return value


class RowRejectForm(forms.Form):
    note = forms.CharField(label="제외 사유", max_length=300)
