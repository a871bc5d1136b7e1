"""Sending notifications: in-app rows, inserted set-based and idempotently, and e-mail after
the transaction commits (so a rolled-back action never mails anybody)."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from chatdong.notifications.models import Notification

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *,
    users: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
    email: bool = False,
) -> list[int]:
    """Notify each user once per `dedupe_key` (None: always). Returns the ids of the users that
    were newly notified; only they get the e-mail (when `email`), sent after commit.

    One INSERT … ON CONFLICT DO NOTHING for all users: running the same notification twice,
    or twice at the same time, stores and mails it once.
    """
    user_ids = sorted({u.pk if hasattr(u, "pk") else int(u) for u in users if u is not None})
    if not user_ids:
        return []
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (user_id, kind, title, body, url, dedupe_key, created_at)
            SELECT u, %s, %s, %s, %s, %s, %s FROM unnest(%s::bigint[]) AS u
            ON CONFLICT (user_id, dedupe_key) DO NOTHING
            RETURNING user_id
            """,
            [kind, title[:200], body, url[:500], dedupe_key, timezone.now(), user_ids],
        )
        created = sorted(row[0] for row in cursor.fetchall())
    if email and created:
        transaction.on_commit(lambda: send_emails(user_ids=created, subject=title, body=body, url=url))
    return created


def send_emails(*, user_ids: list[int], subject: str, body: str, url: str = "") -> int:
    """One e-mail per user with an address, through Django's mail backend. Returns the count.

    A mail server failure is logged, never raised: the in-app notification already exists.
    """
    from django.contrib.auth import get_user_model

    recipients = list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if not recipients:
        return 0
    text = body
    if url:
        text = f"{body}\n\n바로가기: {settings.SITE_URL}{url}"
    messages = [
        EmailMessage(subject=f"[찾동] {subject}", body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
        for address in recipients
    ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the mail server is down: the bell still shows it
        logger.exception("알림 메일 발송 실패 (%d명)", len(messages))
        return 0


@transaction.atomic
def mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) as read. Returns rows changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
