"""Ends a session after SESSION_IDLE_TIMEOUT of inactivity (30 minutes by default)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SESSION_KEY = "_last_activity"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            limit = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
            if last is not None and now - int(last) > limit:
                logout(request)
                minutes = limit // 60
                messages.info(request, f"{minutes}분 동안 활동이 없어 안전을 위해 로그아웃되었습니다. 다시 로그인해 주세요.")
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_KEY] = now
        return self.get_response(request)
