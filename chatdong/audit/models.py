"""열람기록: who looked at whose data, when, from where and why. Append-only in the database."""

import pgtrigger
from django.conf import settings
from django.db import models


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "열람"
        CREATE = "create", "등록"
        UPDATE = "update", "수정"
        DELETE = "delete", "삭제"
        PRINT = "print", "출력"
        EXPORT = "export", "내보내기"
        REVEAL = "reveal", "주민등록번호 전체 열람"

    class Subject(models.TextChoices):
        HOUSEHOLD = "household", "가구"
        RESIDENT = "resident", "가구원"
        CARE_REQUEST = "care_request", "돌봄SOS 신청"
        REPORT = "report", "위기가구 제보"
        LIST = "list", "목록"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="열람자", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("시각", auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    subject_type = models.CharField("대상 종류", max_length=20, choices=Subject.choices)
    subject_id = models.BigIntegerField("대상 ID", null=True, blank=True)
    household_id = models.BigIntegerField("가구 ID", null=True, blank=True, db_index=True)
    action = models.CharField("행위", max_length=10, choices=Action.choices)
    reason = models.CharField("사유", max_length=300, blank=True)
    path = models.CharField("경로", max_length=500, blank=True)
    request_id = models.CharField("요청 ID", max_length=64, blank=True)

    class Meta:
        verbose_name = "열람기록"
        verbose_name_plural = "열람기록"
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"], name="accesslog_user_at")]
        triggers = [
            pgtrigger.Protect(name="accesslog_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # Row triggers never see TRUNCATE; a statement trigger does. Neither stops a session
            # that sets pgtrigger.ignore: the app's database role lacks the privileges instead
            # (manage.py grant_app_role, README "Production").
            pgtrigger.Trigger(
                name="accesslog_no_truncate",
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.get_action_display()} {self.subject_type}#{self.subject_id}"
