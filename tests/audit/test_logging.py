"""Logs never carry a resident registration number: the filter masks them."""

import io
import logging

import pytest

from chatdong.audit.logging import RedactRRNFilter, redact


@pytest.fixture
def capture():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactRRNFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.audit.rrn")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101-1234567", "900101-1******"),
        ("주민번호 0501014123456 확인", "주민번호 050101-4****** 확인"),
        ("a 851231 2345678 b", "a 851231-2****** b"),
        ("전화 010-1234-5678", "전화 010-1234-5678"),  # not an RRN
        ("12900101-1234567", "12900101-1234567"),  # part of a longer number
        ("900101-9234567", "900101-9234567"),  # 9 is not a gender digit
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_message_and_arguments_are_masked(capture):
    logger, stream = capture
    logger.info("가구원 %s 조회 (%s)", "900101-1234567", "김민수")
    output = stream.getvalue()
    assert "900101-1******" in output and "1234567" not in output
    assert "김민수" in output


def test_exception_text_is_masked(capture):
    logger, stream = capture
    try:
        raise ValueError("잘못된 주민등록번호: 900101-2345678")
    except ValueError:
        logger.exception("가구원 등록 실패")
    output = stream.getvalue()
    assert "Traceback" in output and "ValueError" in output
    assert "900101-2******" in output
    assert "2345678" not in output


def test_stack_info_is_masked(capture):
    logger, stream = capture
    # The stack text quotes this source line, RRN included; the message itself has none.
    logger.info("스택 확인", stack_info=True, extra={"rrn": "900101-1234567"})
    output = stream.getvalue()
    assert "Stack (most recent call last)" in output
    assert "900101-1******" in output and "1234567" not in output


def test_project_logging_applies_the_filter():
    root_handlers = logging.getLogger().handlers
    assert any(isinstance(f, RedactRRNFilter) for h in root_handlers for f in h.filters)
