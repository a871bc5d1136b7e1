from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from chatdong.policy.selectors import history, median_income_table, thresholds_overview


@login_required
def threshold_list(request):
    """Every key with the version in force today and any scheduled future version."""
    today = timezone.localdate()
    current, scheduled = thresholds_overview(on=today)
    return render(
        request,
        "policy/threshold_list.html",
        {"current": current, "scheduled": scheduled, "median_years": median_income_table(), "today": today},
    )


@login_required
def threshold_history(request, key: str):
    versions = list(history(key))
    if not versions:
        raise Http404("등록되지 않은 기준 키입니다.")
    return render(request, "policy/threshold_history.html", {"key": key, "versions": versions})
