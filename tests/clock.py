"""Run the whole suite on a shifted clock: ``pytest --clock=MOMENT`` (or ``make test-clock``).

A bug that only shows at some hours (a date built as "today 10:00" is in the future until
10:00 in Seoul; the server's UTC date is yesterday until 09:00 in Seoul) would otherwise turn
CI red at those hours only. With ``--clock`` the test process starts at the named moment (in
Seoul time) and keeps ticking from there (time-machine), so every test, the live server's
threads and the Celery workers the tests start (``celery_command``) see that moment.

Moments are the *next* occurrence after the real now, so the clock is always moved forward:
the database's own clock (used only by guards such as the policy trigger) then stays at or
before the application's, as it would on a real server a few seconds behind.

    --clock=kst-0005       next 00:05 in Seoul (UTC date is still the day before)
    --clock=kst-2355       next 23:55 in Seoul
    --clock=year-end       next 31 December 23:59
    --clock=new-year       next 1 January 00:01
    --clock=leap-day       next 29 February 09:30
    --clock=summer-open    00:01 on the day the summer survey window opens (policy seed)
    --clock=winter-open    00:01 on the day the winter survey window opens (policy seed)
    --clock=2027-03-01T08:00  any ISO date-time (Seoul time unless it carries an offset)
"""

from __future__ import annotations

import datetime
import sys
from zoneinfo import ZoneInfo

import time_machine
from time_machine import escape_hatch

SEOUL = ZoneInfo("Asia/Seoul")
ENV = "CHATDONG_TEST_CLOCK"  # ISO instant handed to subprocesses (Celery workers)


def _window_start_month(key: str) -> int:
    from chatdong.policy.seeds import THRESHOLD_SEEDS

    return next(s.value["start_month"] for s in THRESHOLD_SEEDS if s.key == key)


def _next(now: datetime.datetime, month: int | None, day: int | None, at: datetime.time) -> datetime.datetime:
    """The first Seoul date-time after `now` on (month, day) at `at`; None fields are free."""
    local = now.astimezone(SEOUL)
    candidate_day = local.date()
    for _ in range(366 * 8 + 2):  # a leap day is at most 8 years away (2096 → 2104)
        if (month is None or candidate_day.month == month) and (day is None or candidate_day.day == day):
            candidate = datetime.datetime.combine(candidate_day, at, tzinfo=SEOUL)
            if candidate > local:
                return candidate
        candidate_day += datetime.timedelta(days=1)
    raise ValueError(f"no date {month}-{day} found")


def moment(name: str, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or datetime.datetime.now(datetime.UTC)
    named = {
        "kst-0005": lambda: _next(now, None, None, datetime.time(0, 5)),
        "kst-2355": lambda: _next(now, None, None, datetime.time(23, 55)),
        "year-end": lambda: _next(now, 12, 31, datetime.time(23, 59)),
        "new-year": lambda: _next(now, 1, 1, datetime.time(0, 1)),
        "leap-day": lambda: _next(now, 2, 29, datetime.time(9, 30)),
        "summer-open": lambda: _next(now, _window_start_month("outreach.summer_window"), 1, datetime.time(0, 1)),
        "winter-open": lambda: _next(now, _window_start_month("outreach.winter_window"), 1, datetime.time(0, 1)),
    }
    if name in named:
        return named[name]()
    try:
        parsed = datetime.datetime.fromisoformat(name)
    except ValueError:
        raise ValueError(f"--clock: unknown moment {name!r} (one of {', '.join(named)} or an ISO date-time)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SEOUL)


MOMENTS = ("kst-0005", "kst-2355", "year-end", "new-year", "leap-day", "summer-open", "winter-open")

_traveller: time_machine.travel | None = None


def shifted() -> bool:
    return _traveller is not None


def celery_command() -> list[str]:
    """The argv prefix that starts `celery …` in a subprocess on the same (shifted) clock."""
    if not shifted():
        return [sys.executable, "-m", "celery"]
    return [sys.executable, "-m", "tests.clock_celery"]


def subprocess_env(env: dict[str, str]) -> dict[str, str]:
    """`env` plus the current shifted instant, for a process started now (see clock_celery)."""
    if shifted():
        env = {**env, ENV: datetime.datetime.now(datetime.UTC).isoformat()}
    return env


def offset_seconds() -> float:
    """How far the shifted clock runs ahead of the real one (0 when not shifted)."""
    return datetime.datetime.now(datetime.UTC).timestamp() - escape_hatch.time.time() if shifted() else 0.0


def install_database_clock(*, real: bool = False) -> None:
    """Define the test database's `chatdong_seoul_today()` (the policy guards' "today") on this
    run's clock: shifted by the same offset as the application's under --clock, the real
    definition otherwise — so a database reused (--reuse-db) after a shifted run is put back."""
    from django.db import connection

    from chatdong.policy.models import SEOUL_TODAY_FUNCTION

    shift = f" + make_interval(secs => {offset_seconds():.0f})" if shifted() and not real else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {SEOUL_TODAY_FUNCTION}() RETURNS date LANGUAGE sql STABLE AS "
            f"$$ SELECT ((CURRENT_TIMESTAMP{shift}) AT TIME ZONE 'Asia/Seoul')::date $$"
        )


def pytest_addoption(parser):
    parser.addoption("--clock", action="store", default=None, metavar="MOMENT",
                     help="run every test on a clock starting at MOMENT (see tests/clock.py)")


def pytest_configure(config):
    global _traveller
    name = config.getoption("--clock")
    if not name:
        return
    start = moment(name)
    _traveller = time_machine.travel(start, tick=True)
    _traveller.start()
    config._chatdong_clock = (name, start)


def pytest_report_header(config):
    clock = getattr(config, "_chatdong_clock", None)
    if clock:
        name, start = clock
        return f"clock: {name} → {start.astimezone(SEOUL):%Y-%m-%d %H:%M %Z} (time-machine, ticking)"
    return None


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None
