import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from chatdong.web.templatetags.chatdong_ui import badge_class, korean_duration, policy_value


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1_600_000, "원", "1,600,000원"),
        (72, "시간", "72시간"),
        (43, "%", "43%"),
        (2.0, "년", "2년"),
        (Decimal("0.5"), "", "0.5"),
        ([65, 70], "세", "65세, 70세"),
        ({"start_month": 12, "end_month": 2}, "월", "12월~2월"),
        ({"a": 1, "b": 2}, "명", "a: 1명, b: 2명"),
        (True, "", "예"),
        (False, "원", "아니오"),
        (None, "원", "없음"),
        ("주 1회", "", "주 1회"),
    ],
)
def test_policy_value(value, unit, expected):
    assert policy_value(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.timedelta(hours=1), "1시간"),
        (datetime.timedelta(minutes=30), "30분"),
        (datetime.timedelta(days=1, minutes=90), "1일 1시간 30분"),
        (45, "1분 미만"),
        (datetime.timedelta(0), "1분 미만"),
        (None, ""),
    ],
)
def test_korean_duration(value, expected):
    assert korean_duration(value) == expected


def test_badge_class_only_allows_known_tones():
    assert badge_class("danger") == "krds-badge bg-light-danger"
    assert badge_class("success", "outline") == "krds-badge outline-success"
    assert badge_class("x onclick=alert(1)") == "krds-badge bg-light-gray"


def test_status_badge_include():
    html = Template('{% include "includes/status_badge.html" with label="적용 중" tone="success" %}').render(Context())
    assert html.strip() == '<span class="krds-badge bg-light-success">적용 중</span>'


def test_field_include_shows_korean_errors_linked_to_the_input():
    from django import forms

    class F(forms.Form):
        name = forms.CharField(label="이름", help_text="주민등록상 이름")
        kind = forms.ChoiceField(label="구분", choices=[("a", "가"), ("b", "나")], widget=forms.RadioSelect)
        agree = forms.BooleanField(label="동의")

    form = F(data={})
    assert not form.is_valid()
    html = Template('{% include "includes/form.html" %}').render(Context({"form": form}))
    assert "필수 항목입니다." in html  # Django's own message, in Korean
    assert 'class="krds-input"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_error id_name_helptext"' in html
    assert 'id="id_name_error"' in html and 'id="id_name_helptext"' in html
    assert 'class="form-hint-invalid"' in html
    assert "확인이 필요한 항목이 3개" in html
    assert html.count('class="krds-form-check"') == 3  # two radios and the checkbox
