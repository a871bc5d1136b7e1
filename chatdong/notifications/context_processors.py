from chatdong.notifications.selectors import unread_count


def notifications(request):
    """The unread count for the bell in the header (one COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread": unread_count(user)}
