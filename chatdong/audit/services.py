"""Writing the access log. Views call `log_access` for every read of a household record."""

from chatdong.audit.models import AccessLog


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def log_access(
    *,
    request=None,
    user=None,
    subject_type: str,
    subject_id: int | None,
    action: str = AccessLog.Action.VIEW,
    household_id: int | None = None,
    reason: str = "",
) -> AccessLog:
    """Append one row to the access log (열람기록). Never updated, never deleted."""
    user = user if user is not None else getattr(request, "user", None)
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        ip=client_ip(request),
        subject_type=subject_type,
        subject_id=subject_id,
        household_id=household_id if household_id is not None else (
            subject_id if subject_type == AccessLog.Subject.HOUSEHOLD else None
        ),
        action=action,
        reason=reason[:300],
        path=(request.get_full_path()[:500] if request is not None else ""),
    )
