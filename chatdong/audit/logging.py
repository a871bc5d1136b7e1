"""A logging filter that masks anything shaped like a resident registration number."""

import logging
import re

RRN_PATTERN = re.compile(r"(?<!\d)(\d{6})[-\s]?([1-8])\d{6}(?!\d)")


def redact(text: str) -> str:
    return RRN_PATTERN.sub(r"\1-\2******", text)


class RedactRRNFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string is not ours to fix here
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
