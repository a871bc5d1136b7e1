"""The public report page (/report/): residents report a neighbour in crisis without logging in.

Minimum data, explicit consent, CSRF, a honeypot against bots and a per-IP limit kept in
the cache (Redis). It never shows any household data: only gu and dong names.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cases.forms.discovery import PublicReportForm
from cases.selectors import discovery as selectors
from cases.services.discovery import public_report_submit
from chatdong.proxy import client_ip
from chatdong.web.forms import add_service_errors

SESSION_KEY = "public_report_done"
# Stated in the consent text (보유·이용 기간). Keep it in line with the records schedule of
# the dong offices.
RETENTION_YEARS = 5


def _limit() -> tuple[int, int]:
    return settings.PUBLIC_REPORT_LIMIT, settings.PUBLIC_REPORT_WINDOW_SECONDS


def _throttle_key(request) -> str:
    return f"public-report:ip:{client_ip(request) or 'unknown'}"


def _over_limit(request) -> bool:
    limit, _ = _limit()
    return int(cache.get(_throttle_key(request)) or 0) >= limit


def _count_submission(request) -> bool:
    """Count one submission atomically (Redis INCR); False when it exceeds the limit."""
    limit, window = _limit()
    key = _throttle_key(request)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def _throttled(request):
    limit, window = _limit()
    return render(
        request, "public/report_throttled.html",
        {"limit": limit, "window_minutes": window // 60}, status=429,
    )


def _form_page(request, form, *, status: int, rejected: bool = False):
    return render(
        request, "public/report_form.html",
        {"form": form, "rejected": rejected, "retention_years": RETENTION_YEARS}, status=status,
    )


def public_report(request):
    if request.method == "POST":
        if _over_limit(request):
            return _throttled(request)
        form = PublicReportForm(request.POST)
        if form.is_bot:
            return _form_page(request, PublicReportForm(), status=400, rejected=True)
        if form.is_valid():
            if not _count_submission(request):
                return _throttled(request)
            data = form.cleaned_data
            try:
                report = public_report_submit(
                    dong=data["dong"], address=data["address"], situation=data["situation"],
                    reporter_name=data["reporter_name"], reporter_phone=data["reporter_phone"],
                    consent=data["consent"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[SESSION_KEY] = {"reference": report.reference, "dong": str(report.dong)}
                return redirect("public:report_done")
        status = 400
    else:
        form = PublicReportForm()
        status = 200
    return _form_page(request, form, status=status)


@require_GET
def public_dong_options(request):
    """htmx: the <option>s of the dongs of one gu."""
    gu = request.GET.get("gu", "")
    dongs = selectors.public_dongs(gu_id=gu) if gu.isdigit() else selectors.public_dongs().none()
    return render(request, "public/_dong_options.html", {"dongs": dongs})


@require_GET
def public_report_done(request):
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("public:report")
    return render(request, "public/report_done.html", {"reference": done["reference"], "dong": done["dong"]})
