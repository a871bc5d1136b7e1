"""The set-based task writer every sweep goes through.

A sweep is one SQL statement: the campaign kind supplies a *cohort* SELECT (one row per
visit to make), and `insert_tasks` wraps it as

    WITH cohort AS MATERIALIZED (<cohort>),
         staff  AS (eligible staff per dong, ranked by open load),
         picked AS (cohort + the directly chosen assignee),
         ins    AS (INSERT INTO outreach_visittask ... ON CONFLICT DO NOTHING RETURNING ...)
    SELECT count(cohort), count(ins), new tasks still without an assignee

followed, only when some new task had no direct choice, by one set-based UPDATE spreading
those over the dong's staff. Creating, de-duplicating and assigning happen in the database:
no Python loop over residents. The unique constraints (campaign, resident|household, stage,
cycle) make the statement idempotent on their own (a rerun costs one index probe per cohort
row), and the caller's advisory lock keeps two runs of one campaign from interleaving.

Assignment, in order of preference, among active staff of the role the campaign needs in
the task's dong: the household's own planner (when the role is planner), the staff member
covering the household's tong (User.tongs; the least loaded one if several do), otherwise
round-robin over the dong's staff starting with the least open load.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection

from cases.models.households import ACTIVE_RESIDENT_SQL
from chatdong.accounts.roles import Role

# The columns a cohort SELECT must return, in this order.
COHORT_COLUMNS = (
    "household_id", "resident_id", "dong_id", "tong_id", "preferred_id", "reason", "priority", "cycle", "due_on",
)


@dataclass
class Cohort:
    """A kind's cohort: SQL with %(name)s placeholders and its parameters.

    `per` is "resident" (resident_id is set: one task per resident) or "household"
    (resident_id is NULL: one task per household)."""

    sql: str
    params: dict = field(default_factory=dict)
    per: str = "resident"
    role: str = Role.PLANNER
    stage: int = 1


@dataclass
class InsertResult:
    candidates: int
    created: int
    task_ids: list[int] = field(default_factory=list)

    @property
    def already_present(self) -> int:
        return self.candidates - self.created


def _pause_clause(pause_seconds: float) -> str:
    """Test hook (see services.sweeps.test_pause_seconds): sleep inside the INSERT after half
    of the rows went in, so a test can kill the worker mid-statement."""
    if not pause_seconds:
        return ""
    return (
        " WHERE (CASE WHEN p.rn = GREATEST(1, (SELECT count(*) FROM cohort) / 2)"
        " THEN length(pg_sleep(%(pause)s)::text) ELSE 0 END) >= 0"
    )


# Eligible staff of a role per dong, numbered 0..n-1 from the least open load (ties: id).
STAFF_CTES = """
staff_base AS (
    SELECT u.id, u.dong_id FROM accounts_user u
    WHERE u.is_active AND u.role = %(role)s AND u.dong_id IS NOT NULL {staff_dongs}
),
staff AS (
    SELECT s.id, s.dong_id,
           row_number() OVER (PARTITION BY s.dong_id ORDER BY coalesce(l.n, 0), s.id) - 1 AS slot,
           count(*) OVER (PARTITION BY s.dong_id) AS n_staff
    FROM staff_base s
    LEFT JOIN (
        SELECT assignee_id, count(*) AS n FROM outreach_visittask
        WHERE status = 'open' AND assignee_id IN (SELECT id FROM staff_base)
        GROUP BY assignee_id
    ) l ON l.assignee_id = s.id
)"""

# Second statement: the new tasks nobody was chosen for directly go round-robin over their
# dong's staff, least loaded first (loads now include the tasks just inserted).
ROUND_ROBIN_SQL = """
WITH todo AS (
    SELECT t.id, t.dong_id,
           row_number() OVER (PARTITION BY t.dong_id ORDER BY t.household_id, t.resident_id, t.id) - 1 AS k
    FROM outreach_visittask t WHERE t.id = ANY(%(ids)s)
),
{staff}
UPDATE outreach_visittask t SET assignee_id = s.id
FROM todo JOIN staff s ON s.dong_id = todo.dong_id AND s.slot = todo.k %% s.n_staff
WHERE t.id = todo.id
"""


def insert_tasks(
    *,
    campaign_id: int,
    run_id: int | None,
    cohort: Cohort,
    dong_ids: list[int] | None,
    source_task_id: int | None = None,
    return_ids: bool = False,
    pause_seconds: float = 0,
) -> InsertResult:
    """Insert the cohort's missing tasks; see the module docstring.

    Statement 1 inserts every cohort row with ON CONFLICT DO NOTHING — the unique index does
    the de-duplication by index probes, whatever the table statistics say — and assigns the
    rows that have a direct choice (the household's planner, the tong's staff member).
    Statement 2 (only when needed) spreads the rest over the dong's staff."""
    if cohort.per not in ("resident", "household"):  # pragma: no cover - programming error
        raise ValueError(cohort.per)
    staff_dongs = "AND u.dong_id = ANY(%(dongs)s)" if dong_ids else ""
    columns = ", ".join(COHORT_COLUMNS)
    returning = "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ins)" if return_ids else "'{}'::bigint[]"
    sql = f"""
WITH cohort ({columns}) AS MATERIALIZED ({cohort.sql}),
{STAFF_CTES.format(staff_dongs=staff_dongs)},
tong_staff AS (
    SELECT DISTINCT ON (ut.tong_id) ut.tong_id, s.id, s.dong_id
    FROM accounts_user_tongs ut JOIN staff s ON s.id = ut.user_id
    ORDER BY ut.tong_id, s.slot
),
picked AS (
    SELECT c.*, coalesce(ps.id, ts.id) AS direct_id, row_number() OVER () AS rn
    FROM cohort c
    LEFT JOIN staff ps ON ps.id = c.preferred_id AND ps.dong_id = c.dong_id
    LEFT JOIN tong_staff ts ON ts.tong_id = c.tong_id AND ts.dong_id = c.dong_id
),
ins AS (
    INSERT INTO outreach_visittask (
        campaign_id, dong_id, household_id, resident_id, stage, cycle, priority, reason, assignee_id,
        due_on, status, finding, result_note, sweep_run_id, source_task_id, created_at
    )
    SELECT %(campaign)s, p.dong_id, p.household_id, p.resident_id, %(stage)s, p.cycle, p.priority,
           left(p.reason, 200), p.direct_id, p.due_on, 'open', '', '', %(run)s, %(source)s, statement_timestamp()
    FROM picked p
    {_pause_clause(pause_seconds)}
    ON CONFLICT DO NOTHING
    RETURNING id, assignee_id
)
SELECT (SELECT count(*) FROM cohort), (SELECT count(*) FROM ins),
       (SELECT coalesce(array_agg(id), '{{}}') FROM ins WHERE assignee_id IS NULL), {returning}
"""
    params = {
        **cohort.params,
        "campaign": campaign_id,
        "stage": cohort.stage,
        "role": str(cohort.role),
        "dongs": list(dong_ids or []),
        "run": run_id,
        "source": source_task_id,
        "pause": float(pause_seconds),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        candidates, created, unassigned, ids = cursor.fetchone()
        if unassigned:
            cursor.execute(
                ROUND_ROBIN_SQL.format(staff=STAFF_CTES.format(staff_dongs="AND u.dong_id IN (SELECT dong_id FROM todo)")),
                {"ids": list(unassigned), "role": str(cohort.role)},
            )
    return InsertResult(candidates=candidates, created=created, task_ids=list(ids or []))


def dong_filter(alias: str, dong_ids: list[int] | None) -> str:
    """SQL restricting `alias.dong_id` to the campaign's dongs (no restriction: city-wide)."""
    return f"AND {alias}.dong_id = ANY(%(dongs)s)" if dong_ids else ""


def active(alias: str = "r") -> str:
    return ACTIVE_RESIDENT_SQL.format(r=alias)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier; 29 Feb falls back to 28 Feb."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
