"""Writing the access log. Views call `log_access` for every read of a household record.

Where the request came from (IP, path, request id) is read from `chatdong.audit.context`,
which the request middleware binds; callers pass only who did what to whom.
"""

from collections.abc import Iterable

from chatdong.audit import context
from chatdong.audit.models import AccessLog
from chatdong.proxy import client_ip  # noqa: F401 - re-exported: the request context takes the IP from here


def _origin() -> dict:
    where = context.current()
    return {"ip": where.ip, "path": where.path, "request_id": where.request_id}


def log_access(
    *,
    user=None,
    subject_type: str,
    subject_id: int | None,
    action: str = AccessLog.Action.VIEW,
    household_id: int | None = None,
    reason: str = "",
) -> AccessLog:
    """Append one row to the access log (열람기록). Never updated, never deleted."""
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        subject_type=subject_type,
        subject_id=subject_id,
        household_id=household_id if household_id is not None else (
            subject_id if subject_type == AccessLog.Subject.HOUSEHOLD else None
        ),
        action=action,
        reason=reason[:300],
        **_origin(),
    )


def log_household_access_many(*, user, household_ids: Iterable[int], action: str, reason: str) -> None:
    """One household row per id, in bulk (exports and imports touch thousands at once)."""
    origin = _origin()
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user if getattr(user, "is_authenticated", False) else None,
                subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=pk, household_id=pk,
                action=action, reason=reason[:300], **origin,
            )
            for pk in household_ids
        ],
        batch_size=1000,
    )
