"""Ends a session after SESSION_IDLE_TIMEOUT of inactivity (30 minutes by default)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import resolve_url

SESSION_KEY = "_last_activity"


class IdleTimeoutMiddleware:
    """Logs the user out when the last request of the session is older than the idle limit.

    Each authenticated request stamps the session with the current time. A request after the
    limit is logged out and sent to the login page with a Korean notice (htmx requests get an
    HX-Redirect header instead; API requests continue as anonymous and are refused there).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            limit = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
            if last is not None and now - int(last) > limit:
                return self._time_out(request, limit)
            request.session[SESSION_KEY] = now
        return self.get_response(request)

    def _time_out(self, request, limit: int):
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        # This middleware answers before MessageMiddleware has run for the request, so it
        # brings its own message storage and writes it onto the response itself.
        storage = getattr(request, "_messages", None)
        own_storage = storage is None
        if own_storage:
            storage = request._messages = default_storage(request)
        messages.info(
            request, f"{limit // 60}분 동안 활동이 없어 안전을 위해 로그아웃되었습니다. 다시 로그인해 주세요."
        )
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
        else:
            response = redirect_to_login(request.get_full_path())
        if own_storage:
            storage.update(response)
        return response
