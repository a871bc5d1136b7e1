"""Logging filters: mask anything shaped like a resident registration number; tag the request id."""

import logging
import re

from chatdong.audit import context

# 6 digits (birth date), optional separator, a 1–8 gender/century digit, 6 more digits;
# not part of a longer number.
RRN_PATTERN = re.compile(r"(?<!\d)(\d{6})[-\s]?([1-8])\d{6}(?!\d)")
_formatter = logging.Formatter()


def redact(text: str) -> str:
    """`900101-1234567` → `900101-1******` (also without the hyphen)."""
    return RRN_PATTERN.sub(r"\1-\2******", text)


class RedactRRNFilter(logging.Filter):
    """Masks RRNs in the message, its arguments, the traceback and the stack info.

    The traceback is rendered here (and stored in `exc_text`, which formatters reuse) because
    an exception's text — e.g. a ValueError quoting bad input — is where an RRN most often hides.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string is not ours to fix here
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the X-Request-ID of the request being served, "-" outside one),
    so a log line can be matched with the response header and the access-log rows."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.current().request_id or "-"
        return True
