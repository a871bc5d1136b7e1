"""One notification for one staff member. `dedupe_key` makes a notification idempotent:
the same (user, key) is stored once however often the sender runs."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="받는 사람", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("종류", max_length=50)
    title = models.CharField("제목", max_length=200)
    body = models.TextField("내용", blank=True)
    url = models.CharField("바로가기", max_length=500, blank=True)
    # NULL for notifications that may repeat; unique per user otherwise (NULLs are distinct).
    dedupe_key = models.CharField("중복 방지 키", max_length=200, null=True, blank=True)
    created_at = models.DateTimeField("알림 시각", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("읽은 시각", null=True, blank=True)

    class Meta:
        verbose_name = "알림"
        verbose_name_plural = "알림"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_unique_user_key"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
