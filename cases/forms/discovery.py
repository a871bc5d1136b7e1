"""Forms for crisis reports: the staff intake, the triage actions and the public page.

Forms only parse and validate input; the services in `cases.services.discovery` and
`cases.services.rewards` hold the rules.
"""

from django import forms
from django.utils import timezone

from cases.models import HousingType, ReportChannel, ReportOutcome
from cases.selectors import discovery as selectors

STAFF_CHANNELS = [(value, label) for value, label in ReportChannel.choices if value != ReportChannel.PUBLIC_WEB]
REQUIRED = "필수 입력 항목입니다."


class StaffReportForm(forms.Form):
    """A report received by staff through any channel (visit, phone, partner, big data…)."""

    dong = forms.ModelChoiceField(label="관할 동", queryset=None, empty_label="동을 선택하세요",
                                  error_messages={"required": "관할 동을 선택하세요."})
    channel = forms.ChoiceField(label="제보 경로", choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label="접수일시", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="비워 두면 지금 시각으로 기록합니다.",
    )
    partner = forms.ModelChoiceField(label="제보한 협력 주민", queryset=None, required=False, empty_label="해당 없음")
    reporter_name = forms.CharField(label="제보자 이름", max_length=50, required=False)
    reporter_phone = forms.CharField(label="제보자 연락처", max_length=20, required=False)
    consent = forms.BooleanField(
        label="제보자가 개인정보(이름·연락처) 수집·이용에 동의함", required=False,
    )
    subject_name = forms.CharField(label="대상자 이름(아는 경우)", max_length=50, required=False)
    address = forms.CharField(label="대상자 주소·위치", max_length=200, error_messages={"required": REQUIRED})
    situation = forms.CharField(label="위기 상황", widget=forms.Textarea(attrs={"rows": 5}),
                                error_messages={"required": REQUIRED})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = selectors.reporting_dongs_for(user)
        self.fields["partner"].queryset = selectors.partners_for(user)
        if user.dong_id:
            self.fields["dong"].initial = user.dong_id


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="담당자", queryset=None, empty_label="담당자를 선택하세요",
                                      error_messages={"required": "담당자를 선택하세요."})

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.assignable_staff_for(report)


class TransferForm(forms.Form):
    dong = forms.ModelChoiceField(label="이관할 동", queryset=None, empty_label="동을 선택하세요",
                                  error_messages={"required": "이관할 동을 선택하세요."})

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = selectors.transfer_dongs_for(report)


class LinkHouseholdForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "연결할 가구를 선택하세요."})


class CreateHouseholdForm(forms.Form):
    address_detail = forms.CharField(label="상세 주소", max_length=100, required=False)
    housing_type = forms.ChoiceField(label="주거 형태", choices=HousingType.choices, initial=HousingType.OTHER)


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label="방문일시", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="비워 두면 지금 시각으로 기록합니다.",
    )
    note = forms.CharField(label="확인 내용", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "방문 확인 내용을 입력하세요."})


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="처리 결과", choices=[("", "선택하세요"), *ReportOutcome.choices],
        error_messages={"required": "처리 결과를 선택해야 종료할 수 있습니다."},
    )
    note = forms.CharField(label="처리 내용", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RewardForm(forms.Form):
    amount = forms.IntegerField(
        label="지급액(원)", min_value=1, error_messages={"required": "지급액을 입력하세요.",
                                                     "min_value": "지급액은 0원보다 커야 합니다."},
    )
    paid_on = forms.DateField(label="지급일", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate)


# --- the public page ---------------------------------------------------------------------

class PublicReportForm(forms.Form):
    """주민 제보: the minimum — area, where, what; the reporter's contact is optional."""

    gu = forms.ModelChoiceField(label="자치구", queryset=None, empty_label="구를 선택하세요",
                                error_messages={"required": "자치구를 선택하세요.",
                                                "invalid_choice": "자치구를 다시 선택하세요."})
    dong = forms.ModelChoiceField(label="동", queryset=None, empty_label="동을 선택하세요",
                                  error_messages={"required": "동을 선택하세요.", "invalid_choice": "동을 다시 선택하세요."})
    address = forms.CharField(
        label="어디인가요? (주소나 위치)", max_length=200, error_messages={"required": "주소나 위치를 입력하세요."},
        widget=forms.TextInput(attrs={"placeholder": "예: ○○로 12 2층, ○○편의점 뒤 반지하", "autocomplete": "off"}),
    )
    situation = forms.CharField(
        label="어떤 어려움이 있나요?", max_length=2000, error_messages={"required": "어떤 어려움이 있는지 입력하세요."},
        widget=forms.Textarea(attrs={"rows": 5,
                                     "placeholder": "예: 혼자 사시는 어르신이 며칠째 보이지 않고 우편물이 쌓여 있어요."}),
    )
    reporter_name = forms.CharField(label="제보자 이름 (선택)", max_length=50, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}))
    reporter_phone = forms.CharField(label="제보자 연락처 (선택)", max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    consent = forms.BooleanField(
        label="위 개인정보 수집·이용에 동의합니다. (필수)",
        error_messages={"required": "개인정보 수집·이용에 동의해야 제보할 수 있습니다."},
    )
    # Honeypot: hidden from people (CSS + aria-hidden), filled in by naive bots.
    website = forms.CharField(label="이 칸은 비워 두세요", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gu"].queryset = selectors.public_gus()
        gu_id = self.data.get("gu") or self.initial.get("gu")
        dongs = selectors.public_dongs()
        self.fields["dong"].queryset = dongs
        self.dong_choices = dongs.filter(gu_id=gu_id) if gu_id and str(gu_id).isdigit() else dongs

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean(self):
        cleaned = super().clean()
        gu, dong = cleaned.get("gu"), cleaned.get("dong")
        if gu and dong and dong.gu_id != gu.pk:
            self.add_error("dong", "선택한 구에 속한 동을 선택하세요.")
        return cleaned
