"""Who may write personal data through the API: everyone with an area, never the city analyst."""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

from chatdong.accounts.rules import can_see_personal_data


class CanWritePersonalData(BasePermission):
    message = "이 역할은 개인정보를 등록·수정할 수 없습니다 (통계만 열람)."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.user and request.user.is_authenticated and can_see_personal_data(request.user):
            return True
        if getattr(view, "kwargs", None):
            # An object route: for a role without personal data the object does not exist, the
            # same answer as for an object outside one's area (404, not 403).
            raise NotFound()
        return False
