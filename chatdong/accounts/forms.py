from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm

from chatdong.accounts.models import User
from chatdong.accounts.roles import CITY_ROLES, DONG_ROLES, GU_ROLES, Role


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="아이디", max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="비밀번호", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "아이디 또는 비밀번호가 올바르지 않습니다. 5회 틀리면 계정이 1시간 동안 잠깁니다.",
        "inactive": "사용이 중지된 계정입니다. 관리자에게 문의해 주세요.",
    }


class UserScopeFormMixin:
    """The area scope must match the role (the same rule as the User check constraint), with
    Korean messages on the form instead of a database error: dong roles have a dong (and its
    gu), gu roles a gu and no dong, city roles neither; tongs belong to the user's dong."""

    def clean(self):
        data = super().clean()
        if data.get("is_superuser"):
            return data
        role, dong, gu = data.get("role"), data.get("dong"), data.get("gu")
        if role is None:
            return data
        label = Role(role).label
        if role in DONG_ROLES:
            if dong is None:
                self.add_error("dong", f"{label}은(는) 동에서 일하는 역할이라 소속 동을 지정해야 합니다.")
            elif gu is not None and gu.pk != dong.gu_id:
                self.add_error("gu", f"소속 구({gu})가 소속 동의 구({dong.gu})와 다릅니다.")
            else:
                data["gu"] = dong.gu
                self.instance.gu = dong.gu
        elif role in GU_ROLES:
            if gu is None:
                self.add_error("gu", f"{label}은(는) 구 단위 역할이라 소속 구를 지정해야 합니다.")
            if dong is not None:
                self.add_error("dong", f"{label}은(는) 구 단위 역할이라 소속 동을 비워 두어야 합니다.")
        elif role in CITY_ROLES:
            if dong is not None:
                self.add_error("dong", f"{label}은(는) 시 단위 역할이라 소속 동을 비워 두어야 합니다.")
            if gu is not None:
                self.add_error("gu", f"{label}은(는) 시 단위 역할이라 소속 구를 비워 두어야 합니다.")
        tongs = data.get("tongs")
        if tongs and dong is not None:
            stray = [str(tong) for tong in tongs if tong.dong_id != dong.pk]
            if stray:
                self.add_error("tongs", f"담당 통은 소속 동({dong.name})의 통이어야 합니다: {', '.join(stray)}")
        elif tongs and dong is None:
            self.add_error("tongs", "소속 동이 없는 계정에는 담당 통을 지정할 수 없습니다.")
        return data


class StaffCreationForm(UserScopeFormMixin, AdminUserCreationForm):
    """Admin form for a new staff account (custom User, role and scope checked)."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "name", "role", "gu", "dong")


class StaffChangeForm(UserScopeFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
