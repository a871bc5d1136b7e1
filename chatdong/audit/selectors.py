import datetime

from chatdong.audit.models import AccessLog


def _parse_day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def access_log_search(*, username: str = "", date_from: str = "", date_to: str = "", household_id: str = ""):
    """Access log rows for review by user and date range (Primero-style access review)."""
    rows = AccessLog.objects.select_related("user").order_by("-at")
    if username:
        rows = rows.filter(user__username=username)
    if day := _parse_day(date_from):
        rows = rows.filter(at__date__gte=day)
    if day := _parse_day(date_to):
        rows = rows.filter(at__date__lte=day)
    if household_id.isdigit():
        rows = rows.filter(household_id=int(household_id))
    return rows
