from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="아이디", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="비밀번호", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "아이디 또는 비밀번호가 올바르지 않습니다. 5회 틀리면 계정이 1시간 동안 잠깁니다.",
        "inactive": "사용이 중지된 계정입니다. 관리자에게 문의해 주세요.",
    }
