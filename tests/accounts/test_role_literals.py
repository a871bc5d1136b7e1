"""Roles are compared only in chatdong.accounts: everywhere else asks a named predicate
(`chatdong.accounts.rules`), a scoping helper or a staff selector (`chatdong.accounts.selectors`).

The scan reads every tracked .py and .html file outside chatdong/accounts/, migrations and the
tests. It flags comparisons, not mentions: a role used as data (the demo's staff table, a
cohort's worker role, `ContactStaffRole.NURSE = "nurse"`, form fields named "planner") is fine.
"""

import re
import subprocess
from pathlib import Path

import pytest

from chatdong.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]
ROLE_VALUES = "|".join(sorted(re.escape(r.value) for r in Role))
ROLE_LITERAL = rf"""["'](?:{ROLE_VALUES})["']"""
COMPARE = r"(?:==|!=|\bnot\s+in\b|\bin\b)"

PATTERNS = {
    # user.role == …, actor.role in DONG_ROLES, {% if user.role != "…" %}
    "compares a user's role": re.compile(rf"\.role\b\s*{COMPARE}"),
    "compares with a user's role": re.compile(r"(?:==|!=)\s*[\w.]*\.role\b"),
    "compares getattr(…, 'role')": re.compile(rf"""getattr\([^)]*["']role["'][^)]*\)\s*{COMPARE}"""),
    # x == Role.PLANNER, role in (Role.ADMIN, …), Role.NURSE != x
    "compares with a Role member": re.compile(r"(?:==|!=)\s*Role\.|Role\.\w+\s*(?:==|!=)|\bin\s*[(\[{]\s*Role\."),
    # role in DONG_ROLES | GU_ROLES
    "tests membership of a role set": re.compile(r"\bin\s+[A-Z_]*ROLES\b"),
    # role == "admin", "nurse" != role, role in ("admin",)
    "compares with a role string": re.compile(
        rf"(?:==|!=)\s*{ROLE_LITERAL}|{ROLE_LITERAL}\s*(?:==|!=)|\bin\s*[(\[{{][^)\]}}]*{ROLE_LITERAL}"
    ),
    # User.objects.filter(role__in=…), .filter(role=Role.NURSE), Q(role="planner")
    "filters staff by role": re.compile(
        rf"""\brole__(?:in|exact|iexact)\b|\b(?:filter|exclude|get|Q)\([^)]*\brole\s*=\s*(?:Role\.|{ROLE_LITERAL})"""
    ),
}
# `for name in ("planner", "nurse"):` iterates over field names; it compares nothing.
FOR_IN = re.compile(r"\bfor\s+[\w\s,()]+?\s+in\b")
EXCLUDED = ("chatdong/accounts/", "tests/")


def _offences(text: str) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = FOR_IN.sub("for _ IN", line)
        for what, pattern in PATTERNS.items():
            if pattern.search(code):
                found.append((number, what, line.strip()))
                break
    return found


def _tracked_sources() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--", "*.py", "*.html"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
        files = [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = [str(p.relative_to(ROOT)) for ext in ("py", "html") for p in ROOT.rglob(f"*.{ext}")
                 if ".venv" not in p.parts and ".git" not in p.parts]
    return [
        f for f in files
        if not f.startswith(EXCLUDED) and "/migrations/" not in f and (ROOT / f).is_file()
    ]


def test_no_role_is_compared_outside_accounts():
    offences = [
        f"{path}:{number}: {what}: {line}"
        for path in _tracked_sources()
        for number, what, line in _offences((ROOT / path).read_text(encoding="utf-8", errors="replace"))
    ]
    assert not offences, (
        "Roles are compared only in chatdong/accounts/ — use a predicate of chatdong.accounts.rules, "
        "chatdong.accounts.scoping or a staff selector of chatdong.accounts.selectors instead:\n"
        + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "line",
    [
        'if user.role == "nurse":',
        "if actor.role != Role.ADMIN:",
        "if request.user.role in AGGREGATE_ONLY_ROLES:",
        "return user.role not in DONG_ROLES | GU_ROLES",
        'if role in ("admin",):',
        "if role not in (Role.CITY_ANALYST, Role.ADMIN):",
        'joint = any(u.role == "nurse" for u in staff)',
        'return "planner" == kind',
        "is_superuser = role == Role.ADMIN",
        'if getattr(user, "role", None) == Role.NURSE:',
        "staff.filter(role__in=[Role.PLANNER, Role.COUNSELLOR])",
        "User.objects.filter(is_active=True, role=Role.PLANNER, dong_id=d)",
        'Q(role="care_manager")',
        '{% if user.role == "admin" %}',
        '{% if user.role != "city_analyst" %}<li>',
    ],
)
def test_the_scan_flags_role_comparisons(line):
    assert _offences(line), line


@pytest.mark.parametrize(
    "line",
    [
        'NURSE = "nurse", "간호사"',
        'fields = ["dong", "tong", "planner", "nurse", "note"]',
        'for name in ("planner", "nurse"):',
        'list_display = ("__str__", "dong", "planner", "next_contact_due")',
        "return Cohort(sql=sql, params=params, per='household', role=Role.PLANNER)",
        '("planner1", Role.PLANNER, "불광1동"),',
        "first_per_role.setdefault(user.role, (user.get_role_display(), user.username))",
        'self.fields["planner"].queryset = staff_with(HOUSEHOLD_PLANNER_ROLES, dong=dong)',
        "if is_care_manager(user):",
        'path("admin/", admin.site.urls)',
    ],
)
def test_the_scan_leaves_roles_used_as_data_alone(line):
    assert not _offences(line), line
