"""Related fields whose choices are limited to what the requesting user may see.

An id outside the scope is answered exactly like an id that does not exist, so the API
never confirms that an out-of-scope object is there.
"""

from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from chatdong.timebounds import before_records_message, before_records_start, rfc3339


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """`selector(user)` returns the queryset of allowed objects for the request's user."""

    default_error_messages = {
        "does_not_exist": "ID {pk_value}에 해당하는 대상을 찾을 수 없거나 담당 구역 밖입니다.",
        "incorrect_type": "ID는 정수여야 합니다.",
    }

    def __init__(self, *, selector, model, **kwargs):
        self.selector = selector
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.model.objects.none()
        return self.selector(user)


class DateTimeField(serializers.DateTimeField):
    """Date-times as RFC 3339, and no input before the records start (see chatdong.timebounds).

    DRF's ISO output keeps the zone's offset as it was: for a year-179 date in Asia/Seoul that
    is +08:27:52, which RFC 3339 clients reject.
    """

    def to_internal_value(self, value):
        at = super().to_internal_value(value)
        if before_records_start(at):
            raise serializers.ValidationError(before_records_message("일시"), code="min_value")
        return at

    def to_representation(self, value):
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if not value or output_format is None or isinstance(value, str) or output_format.lower() != ISO_8601:
            return super().to_representation(value)
        return rfc3339(self.enforce_timezone(value))
