from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from chatdong.web import selectors
from chatdong.web.context_processors import navigation

SCOPE_LEVEL_LABELS = {"dong": "동", "gu": "구", "city": "시"}


@login_required
def home(request):
    """The landing page: who you are, where you work, and the screens your role offers."""
    user = request.user
    today = timezone.localdate()
    level = selectors.scope_level(user)
    shortcuts = [item for item in navigation(request)["nav_items"] if item["url_name"] != "web:home"]
    menu = {item["url_name"] for item in shortcuts}
    context = {
        "today": today,
        "scope_level": level,
        "scope_level_label": SCOPE_LEVEL_LABELS[level],
        "shortcuts": shortcuts,
        "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        "staff_counts": selectors.staff_counts_by_role(user),
        "team": selectors.team_members(user),
        "tongs": selectors.assigned_tongs(user),
        "dong_count": selectors.dong_count(user) if level != "dong" else None,
        "policy": selectors.policy_overview(on=today) if "policy:list" in menu else None,
        "recent_access": selectors.recent_access(user),
    }
    context["staff_total"] = sum(row.count for row in context["staff_counts"])
    return render(request, "web/home.html", context)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without a request: no context processors, no session, no database.
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def csrf_failure(request, reason=""):
    """A Korean 403 for a missing or stale CSRF token (usually a form left open too long)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
