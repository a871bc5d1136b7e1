"""Reading notifications: a user only ever sees their own."""

from django.db.models import QuerySet

from chatdong.notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
