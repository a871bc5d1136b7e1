"""IoT check-in devices and the mobile-activity service (안부 확인), fed by a signed webhook."""

from django.db import models


class DeviceKind(models.TextChoices):
    IOT = "iot", "IoT 안부 확인 기기"
    MOBILE = "mobile", "통신 활동 확인(똑똑문안)"


class ActivityDevice(models.Model):
    external_id = models.CharField("기기 ID", max_length=80, unique=True)
    kind = models.CharField("종류", max_length=10, choices=DeviceKind.choices)
    household = models.ForeignKey("cases.Household", verbose_name="가구", on_delete=models.PROTECT, related_name="devices")
    resident = models.ForeignKey(
        "cases.Resident", verbose_name="대상자", on_delete=models.PROTECT, null=True, blank=True, related_name="devices"
    )
    last_activity_at = models.DateTimeField("마지막 활동", null=True, blank=True)
    last_event_at = models.DateTimeField("마지막 수신", null=True, blank=True)
    registered_at = models.DateTimeField("등록일시", auto_now_add=True)
    active = models.BooleanField("사용", default=True)

    class Meta:
        verbose_name = "안부 확인 기기"
        verbose_name_plural = "안부 확인 기기"
        ordering = ["external_id"]
        indexes = [models.Index(fields=["active", "last_activity_at"], name="activitydevice_silence")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id}"


class EventKind(models.TextChoices):
    CHECKIN = "checkin", "안부 확인 응답"
    MOTION = "motion", "움직임 감지"
    DOOR = "door", "출입 감지"
    POWER = "power", "전력 사용"
    CALL = "call", "통화"
    MESSAGE = "message", "문자"
    DATA = "data", "데이터 사용"
    APP = "app", "앱 사용"
    INACTIVITY_ALERT = "inactivity_alert", "무활동 경보"


# Kinds that are a sign of life; an inactivity alert is the device saying there was none.
ACTIVITY_KINDS = frozenset(k.value for k in EventKind if k != EventKind.INACTIVITY_ALERT)


class ActivityEvent(models.Model):
    """Each webhook event once (event_id unique): duplicates and replays are harmless."""

    device = models.ForeignKey(ActivityDevice, verbose_name="기기", on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField("이벤트 ID", max_length=80, unique=True)
    kind = models.CharField("종류", max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField("발생 시각")
    received_at = models.DateTimeField("수신 시각", auto_now_add=True)

    class Meta:
        verbose_name = "안부 확인 이벤트"
        verbose_name_plural = "안부 확인 이벤트"
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.device} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"
