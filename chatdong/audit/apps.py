from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chatdong.audit"
    label = "audit"
    verbose_name = "열람기록·변경이력"
