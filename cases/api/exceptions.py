"""DRF exception handler that keeps resident registration numbers out of error bodies.

Validation messages echo the rejected input (e.g. an invalid choice), so an RRN typed into
the wrong field would otherwise come back in clear. Every string is masked the same way
the logging filter masks it.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from chatdong.audit.logging import redact


def _redact(value):
    if isinstance(value, ErrorDetail):
        return ErrorDetail(redact(str(value)), code=value.code)
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(item) for item in value]
    return value


def exception_handler(exc, context):
    # Services raise Django's ValidationError with Korean messages: a 400 with field errors.
    if isinstance(exc, DjangoValidationError):
        exc = DrfValidationError(detail=as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = _redact(response.data)
    return response
