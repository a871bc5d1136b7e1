"""Related fields whose choices are limited to what the requesting user may see.

An id outside the scope is answered exactly like an id that does not exist, so the API
never confirms that an out-of-scope object is there.
"""

from rest_framework import serializers


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
