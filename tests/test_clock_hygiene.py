"""Application code asks one clock, in Seoul's time zone (issue: the suite failed 00:00–10:00 KST).

`date.today()` and a naive `datetime.now()` give the *server's* date (UTC on most servers: the
day before between 00:00 and 09:00 in Seoul); `timezone.now().date()` is the UTC date;
`CURRENT_DATE` in SQL follows the connection's time zone, which Django sets to UTC. Seoul's
date is `timezone.localdate()` in Python and `chatdong_seoul_today()` in SQL.
"""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = ("chatdong", "cases", "outreach", "governance", "budgets")
FORBIDDEN = [
    (re.compile(r"\bdate\.today\(\)"), "date.today() — use timezone.localdate()"),
    (re.compile(r"\bdatetime\.(now|today)\(\s*\)"), "naive datetime.now()/today() — use timezone.now()"),
    (re.compile(r"\butcnow\(|\butcfromtimestamp\("), "utcnow() — use timezone.now()"),
    (re.compile(r"\bnow\(\)\.date\(\)"), "now().date() is the UTC date — use timezone.localdate()"),
    (re.compile(r"\bCURRENT_DATE\b"), "SQL CURRENT_DATE is the UTC date — use chatdong_seoul_today()"),
    (re.compile(r"\btime\.localtime\(|\bdatetime\.date\.fromtimestamp\("), "server-local time"),
]


def app_files():
    out = subprocess.run(["git", "ls-files", "--", *APP_DIRS], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in out.stdout.splitlines():
        # Migrations are history: an old migration may show the expression a later one replaced.
        if name.endswith(".py") and "/migrations/" not in name:
            yield ROOT / name


def test_the_scan_sees_application_code():
    assert sum(1 for _ in app_files()) > 100


def test_no_server_or_utc_date_in_application_code():
    found = []
    for path in app_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            for pattern, why in FORBIDDEN:
                if pattern.search(code):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {why}\n    {line.strip()}")
    assert not found, "\n".join(found)


def test_the_scan_catches_each_form(tmp_path):
    samples = ["datetime.date.today()", "datetime.datetime.now()", "datetime.utcnow()",
               "timezone.now().date()", "SELECT CURRENT_DATE", "time.localtime()"]
    for sample in samples:
        assert any(p.search(sample) for p, _ in FORBIDDEN), sample
    for fine in ["timezone.localdate()", "timezone.now()", "datetime.datetime.now(datetime.UTC)",
                 "chatdong_seoul_today()"]:
        assert not any(p.search(fine) for p, _ in FORBIDDEN), fine
