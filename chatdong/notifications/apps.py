from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chatdong.notifications"
    label = "notifications"
    verbose_name = "알림"
