from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from chatdong.policy.models import MedianIncome, PolicyThreshold
from chatdong.policy.selectors import history


@login_required
def threshold_list(request):
    """Every key with the version in force today and any scheduled future version."""
    today = timezone.localdate()
    rows = PolicyThreshold.objects.order_by("key", "-valid_from")
    current: dict[str, PolicyThreshold] = {}
    scheduled: dict[str, list[PolicyThreshold]] = {}
    for row in rows:
        if row.valid_from > today:
            scheduled.setdefault(row.key, []).append(row)
        elif row.key not in current and (row.valid_to is None or row.valid_to >= today):
            current[row.key] = row
    median = MedianIncome.objects.order_by("-year", "household_size")
    years: dict[int, list[MedianIncome]] = {}
    for m in median:
        years.setdefault(m.year, []).append(m)
    return render(
        request,
        "policy/threshold_list.html",
        {"current": sorted(current.values(), key=lambda r: r.key), "scheduled": scheduled,
         "median_years": years, "today": today},
    )


@login_required
def threshold_history(request, key: str):
    versions = list(history(key))
    return render(request, "policy/threshold_history.html", {"key": key, "versions": versions})
