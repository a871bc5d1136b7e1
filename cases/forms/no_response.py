"""Forms for the no-response procedure; the rules live in `cases.services.no_response`."""

from django import forms

from cases.models import NoResponseProcedure


class StartForm(forms.Form):
    trigger = forms.CharField(
        label="시작 사유", max_length=200,
        error_messages={"required": "무응답 대응을 시작하는 사유를 입력하세요."},
        widget=forms.TextInput(attrs={"placeholder": "예: IoT 기기 48시간 미감지, 안부전화 3회 미응답"}),
    )


class StepDoneForm(forms.Form):
    note = forms.CharField(label="메모", max_length=300, required=False)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="결과",
        choices=[
            (NoResponseProcedure.Status.RESOLVED, "안부 확인됨 (대상자 안전 확인)"),
            (NoResponseProcedure.Status.ESCALATED, "실종 신고함"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "종료 결과를 선택하세요."},
    )
    note = forms.CharField(label="결과 내용", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "결과 내용을 입력하세요."})
