"""Forms of the Care SOS screens. They parse and validate input (Korean messages); the
services in `cases.care_sos.services` hold the rules."""

from django import forms
from django.utils import timezone

from cases.care_sos.models import (
    ASSESSMENT_DOMAINS,
    Adl,
    CareKind,
    CareService,
    CloseOutcome,
    InformalCarer,
    IntakeChannel,
    NeedLevel,
    ReasonKind,
    ServiceUnit,
    Urgency,
)
from cases.models import Benefit, CareGrade, Disability, HousingType, Sex
from chatdong.accounts.rules import is_care_manager

REQUIRED = "필수 입력 항목입니다."
DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label, required=required, help_text=help_text,
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"required": REQUIRED, "invalid": "날짜와 시각을 올바르게 입력하세요 (예: 2025-03-01 14:30)."},
    )


def _date(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": REQUIRED, "invalid": "날짜를 올바르게 입력하세요 (예: 2025-03-01)."},
    )


def _object_particle(word: str) -> str:
    """을 after a final consonant (받침), 를 after a vowel: '신청 경로를', '종결 결과를', '단위를', '성별을'."""
    last = word[-1] if word else ""
    if "가" <= last <= "힣":
        return "을" if (ord(last) - ord("가")) % 28 else "를"
    return "을(를)"


def _choice(label, choices, *, required=True, initial=None, radio=False, blank="선택하세요"):
    options = list(choices) if radio else [("", blank), *choices]
    return forms.ChoiceField(
        label=label, choices=options, required=required, initial=initial,
        widget=forms.RadioSelect if radio else forms.Select,
        error_messages={"required": f"{label}{_object_particle(label)} 선택하세요."},
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.get_role_display()})"


# --- intake ------------------------------------------------------------------------------------

class IntakeForm(forms.Form):
    """접수. With a household chosen, the person is one of its members or a new member; without
    one, a new household is registered at the given address."""

    # the person in need
    resident = forms.ModelChoiceField(label="돌봄이 필요한 분", queryset=None, required=False,
                                      empty_label="가구원 중에서 고르거나 아래에 새로 입력하세요")
    address = forms.CharField(label="주소(실거주지)", max_length=200, required=False)
    address_detail = forms.CharField(label="상세 주소", max_length=100, required=False)
    housing_type = _choice("주거 형태", HousingType.choices, required=False, initial=HousingType.OTHER)
    income_ratio = forms.DecimalField(
        label="소득(기준중위소득 대비 %)", required=False, min_value=0, max_value=1000, decimal_places=1,
        help_text="본인부담금 계산에 씁니다. 모르면 비워 두고 나중에 가구 정보에서 입력하세요.",
        error_messages={"invalid": "숫자로 입력하세요 (예: 85)."},
    )
    benefits = forms.MultipleChoiceField(label="수급·지원 현황", choices=Benefit.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    person_name = forms.CharField(label="이름", max_length=50, required=False)
    person_birth_date = _date("생년월일", required=False)
    person_sex = _choice("성별", Sex.choices, required=False)
    person_phone = forms.CharField(label="연락처", max_length=20, required=False)
    person_disability = _choice("장애", Disability.choices, required=False, initial=Disability.NONE)
    person_care_grade = _choice("장기요양등급", CareGrade.choices, required=False, initial=CareGrade.NONE)
    # the request
    channel = _choice("신청 경로", IntakeChannel.choices)
    applicant_name = forms.CharField(label="신청인 이름", max_length=50, required=False,
                                     help_text="본인이 직접 신청하면 비워 둡니다.")
    applicant_relation = forms.CharField(label="대상자와의 관계", max_length=30, required=False)
    applicant_phone = forms.CharField(label="신청인 연락처", max_length=20, required=False)
    reason_kind = _choice("돌봄 필요 사유", ReasonKind.choices)
    reason = forms.CharField(label="상황", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "어떤 돌봄이 왜 필요한지 상황을 입력하세요."})
    urgency = _choice("긴급도", Urgency.choices, initial=Urgency.NORMAL, radio=True)
    informal_carer = _choice("비공식 돌봄자", InformalCarer.choices)
    carer_note = forms.CharField(label="돌봄자 상황", max_length=300, required=False)
    received_at = _datetime("접수일시", required=False,
                            help_text="비워 두면 지금 시각으로 접수합니다. 방문 기한은 이 시각부터 계산합니다.")
    care_managers = StaffChoiceField(label="담당 돌봄매니저", queryset=None, required=False,
                                     widget=forms.CheckboxSelectMultiple,
                                     help_text="고르지 않으면 우리 동 돌봄매니저 모두가 담당합니다.")

    def __init__(self, *args, household=None, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        from chatdong.accounts.models import User

        self.fields["care_managers"].queryset = User.objects.filter(pk__in=[u.pk for u in staff]).order_by("name")
        self.fields["care_managers"].initial = [u.pk for u in staff if is_care_manager(u)]
        if household is not None:
            self.fields["resident"].queryset = household.residents.active().order_by("birth_date")
            for name in ("address", "address_detail", "housing_type", "income_ratio", "benefits"):
                del self.fields[name]
        else:
            del self.fields["resident"]
            self.fields["address"].required = True
            self.fields["address"].error_messages["required"] = "새 가구의 주소를 입력하세요."

    def clean(self):
        data = super().clean()
        if data.get("resident") is None:
            missing = {
                "person_name": "돌봄이 필요한 분의 이름을 입력하세요.",
                "person_birth_date": "생년월일을 입력하세요.",
                "person_sex": "성별을 선택하세요.",
            }
            for name, message in missing.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {
            name: d.get(name) or "" for name in (
                "channel", "applicant_name", "applicant_relation", "applicant_phone", "reason_kind", "reason",
                "urgency", "informal_carer", "carer_note",
            )
        }
        kwargs["received_at"] = d.get("received_at")
        kwargs["care_managers"] = list(d.get("care_managers") or []) or None
        if self.household is not None:
            kwargs["household"] = self.household
            kwargs["resident"] = d.get("resident")
        else:
            kwargs["new_household"] = {
                "address": d["address"].strip(), "address_detail": (d.get("address_detail") or "").strip(),
                "housing_type": d.get("housing_type") or HousingType.OTHER, "income_ratio": d.get("income_ratio"),
                "benefits": list(d.get("benefits") or []),
            }
        if d.get("resident") is None:
            kwargs["new_resident"] = {
                "name": d["person_name"].strip(), "birth_date": d["person_birth_date"], "sex": d["person_sex"],
                "phone": (d.get("person_phone") or "").strip(),
                "disability": d.get("person_disability") or Disability.NONE,
                "care_grade": d.get("person_care_grade") or CareGrade.NONE,
            }
        return kwargs


# --- the visit and the exits ----------------------------------------------------------------------

class ScheduleForm(forms.Form):
    scheduled_at = _datetime("방문 예정일시")
    comment = forms.CharField(label="메모", max_length=300, required=False)


class VisitForm(forms.Form):
    visited_at = _datetime("방문일시")
    note = forms.CharField(label="방문해서 확인한 내용", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "방문해서 확인한 내용을 입력하세요."})
    visitors = StaffChoiceField(label="방문한 직원", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        from chatdong.accounts.models import User

        self.fields["visitors"].queryset = User.objects.filter(pk__in=[u.pk for u in staff]).order_by("name")
        self.fields["visited_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="사유", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "사유를 입력하세요."})


class TransferForm(forms.Form):
    dong = forms.ModelChoiceField(label="이관할 동", queryset=None, error_messages={"required": "이관할 동을 선택하세요."})
    reason = forms.CharField(label="이관 사유", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "이관 사유를 입력하세요."})

    def __init__(self, *args, dongs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs


# --- assessment -----------------------------------------------------------------------------------

class AssessmentForm(forms.Form):
    adl_difficulties = forms.MultipleChoiceField(label="일상생활 수행 어려움(ADL)", choices=Adl.choices, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    carer_available = forms.BooleanField(label="비공식 돌봄자가 돌볼 수 있음", required=False)
    carer_note = forms.CharField(label="비공식 돌봄자 상황", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    care_kinds = forms.MultipleChoiceField(
        label="필요한 돌봄 종류", choices=CareKind.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "필요한 돌봄 종류(긴급돌봄·일반돌봄·일상편의)를 하나 이상 고르세요."},
        help_text="긴급돌봄: 요양보호사 방문·단기시설 / 일반돌봄: 병원·복지관·보건소 "
                  "연계 / 일상편의: 나눔반장의 전구 교체·병원 동행·청소",
    )
    summary = forms.CharField(label="사정 의견", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Domain fields first, in the order of ASSESSMENT_DOMAINS.
        domain_fields = {}
        for key, label in ASSESSMENT_DOMAINS:
            domain_fields[f"{key}_level"] = forms.ChoiceField(
                label=f"{label} 욕구", choices=NeedLevel.choices, initial=NeedLevel.NONE, widget=forms.RadioSelect,
                error_messages={"required": f"{label} 욕구 정도를 선택하세요."},
            )
            domain_fields[f"{key}_note"] = forms.CharField(label=f"{label} 욕구 내용", required=False,
                                                           widget=forms.Textarea(attrs={"rows": 2}))
        self.fields = {**domain_fields, **self.fields}

    def domain_rows(self):
        return [(label, self[f"{key}_level"], self[f"{key}_note"]) for key, label in ASSESSMENT_DOMAINS]


# --- the plan -------------------------------------------------------------------------------------

class PlanForm(forms.Form):
    goal = forms.CharField(label="돌봄 목표", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    period_start = _date("제공 기간 시작")
    period_end = _date("제공 기간 끝")


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class PlanLineForm(forms.Form):
    kind = _choice("돌봄 종류", CareKind.choices)
    service = _choice("서비스", CareService.choices)
    provider = ProviderChoiceField(label="제공기관", queryset=None, empty_label="선택하세요",
                                   error_messages={"required": "제공기관을 선택하세요."})
    quantity = forms.DecimalField(label="수량", min_value=0.1, max_value=9999, decimal_places=1,
                                  error_messages={"required": "수량을 입력하세요.", "invalid": "수량은 숫자로 입력하세요.",
                                                  "min_value": "수량은 0보다 커야 합니다.",
                                                  "max_decimal_places": "수량은 소수 첫째 자리까지 입력하세요."})
    unit = _choice("단위", ServiceUnit.choices)
    unit_cost = forms.IntegerField(label="단가(원)", min_value=0,
                                   error_messages={"required": "단가를 입력하세요.",
                                                   "invalid": "단가는 원 단위 숫자로 입력하세요.",
                                                   "min_value": "단가는 0원 이상이어야 합니다."})
    start_on = _date("시작일")
    end_on = _date("종료일")
    note = forms.CharField(label="비고", max_length=200, required=False)

    def __init__(self, *args, providers=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if plan is not None and not self.is_bound:
            self.fields["start_on"].initial = plan.period_start
            self.fields["end_on"].initial = plan.period_end


class SubmitForm(forms.Form):
    cap_override_reason = forms.CharField(label="연간 한도 초과 사유", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    comment = forms.CharField(label="요청 메모", max_length=300, required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label="의견", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="보완 요청 의견", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "반려할 때는 무엇을 보완해야 하는지 의견을 입력해야 합니다."})


# --- delivery, follow-up, closure ----------------------------------------------------------------

class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_service_display()} · {obj.provider.name} ({obj.quantity_text}{obj.get_unit_display()})"


class DeliveryForm(forms.Form):
    line = LineChoiceField(label="서비스", queryset=None, empty_label="선택하세요",
                           error_messages={"required": "제공한 서비스를 선택하세요."})
    delivered_on = _date("제공일")
    quantity = forms.DecimalField(label="수량", min_value=0.1, max_value=9999, decimal_places=1,
                                  error_messages={"required": "수량을 입력하세요.", "invalid": "수량은 숫자로 입력하세요.",
                                                  "min_value": "수량은 0보다 커야 합니다."})
    cost = forms.IntegerField(label="비용(원)", min_value=0, required=False, help_text="비워 두면 수량 × 단가로 계산합니다.",
                              error_messages={"invalid": "비용은 원 단위 숫자로 입력하세요.",
                                              "min_value": "비용은 0원 이상이어야 합니다."})
    result_note = forms.CharField(label="제공 결과(기관 의견)", widget=forms.Textarea(attrs={"rows": 2}),
                                  error_messages={"required": "제공기관이 알려 준 제공 결과를 입력하세요."})

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["delivered_on"].initial = timezone.localdate()


class FollowUpForm(forms.Form):
    checked_on = _date("점검일")
    note = forms.CharField(label="점검 내용", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "사후관리 점검 내용을 입력하세요."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()


class CloseForm(forms.Form):
    outcome = _choice("종결 결과", CloseOutcome.choices)
    note = forms.CharField(label="종결 내용", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PrintForm(forms.Form):
    reason = forms.CharField(label="출력 사유", max_length=200, required=False)
