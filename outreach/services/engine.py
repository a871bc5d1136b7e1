"""The set-based task writer every sweep goes through.

A sweep is one SQL statement: the campaign kind supplies a *cohort* SELECT (one row per
visit to make), and `insert_tasks` wraps it as

    WITH cohort AS MATERIALIZED (<cohort>),
         fresh  AS (cohort rows with no task yet),
         staff  AS (eligible staff per dong, ranked by open load),
         ...
         ins    AS (INSERT INTO outreach_visittask ... ON CONFLICT DO NOTHING RETURNING id)
    SELECT count(cohort), count(ins)

so creating, de-duplicating and assigning happen in the database in one pass: no Python
loop over residents. The unique constraints (campaign, resident|household, stage, cycle)
make the statement idempotent on their own; the anti-join (`fresh`) only makes a rerun
cheap, and the caller's advisory lock keeps two runs of one campaign from interleaving.

Assignment, in order of preference, among active staff of the role the campaign needs in
the task's dong: the household's own planner (when the role is planner), the staff member
covering the household's tong (User.tongs; the least loaded one if several do), otherwise
round-robin over the dong's staff starting with the least open load.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection

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
        " WHERE (CASE WHEN n.rn = GREATEST(1, (SELECT count(*) FROM numbered) / 2)"
        " THEN length(pg_sleep(%(pause)s)::text) ELSE 0 END) >= 0"
    )


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
    """Insert the cohort's missing tasks in one statement; see the module docstring."""
    if cohort.per == "resident":
        exists = (
            "t.resident_id = c.resident_id AND t.resident_id IS NOT NULL"
        )
    elif cohort.per == "household":
        exists = "t.household_id = c.household_id AND t.resident_id IS NULL"
    else:  # pragma: no cover - programming error
        raise ValueError(cohort.per)
    staff_dongs = "AND u.dong_id = ANY(%(dongs)s)" if dong_ids else ""
    columns = ", ".join(COHORT_COLUMNS)
    returning = "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ins)" if return_ids else "'{}'::bigint[]"
    sql = f"""
WITH cohort ({columns}) AS MATERIALIZED ({cohort.sql}),
fresh AS (
    SELECT c.* FROM cohort c
    WHERE NOT EXISTS (
        SELECT 1 FROM outreach_visittask t
        WHERE t.campaign_id = %(campaign)s AND t.stage = %(stage)s AND t.cycle = c.cycle AND {exists}
    )
),
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
),
tong_staff AS (
    SELECT DISTINCT ON (ut.tong_id) ut.tong_id, s.id, s.dong_id
    FROM accounts_user_tongs ut JOIN staff s ON s.id = ut.user_id
    ORDER BY ut.tong_id, s.slot
),
picked AS (
    SELECT f.*, coalesce(ps.id, ts.id) AS direct_id
    FROM fresh f
    LEFT JOIN staff ps ON ps.id = f.preferred_id AND ps.dong_id = f.dong_id
    LEFT JOIN tong_staff ts ON ts.tong_id = f.tong_id AND ts.dong_id = f.dong_id
),
numbered AS (
    SELECT p.*,
           row_number() OVER (PARTITION BY p.dong_id, (p.direct_id IS NULL)
                              ORDER BY p.household_id, p.resident_id) - 1 AS k,
           row_number() OVER () AS rn
    FROM picked p
),
ins AS (
    INSERT INTO outreach_visittask (
        campaign_id, dong_id, household_id, resident_id, stage, cycle, priority, reason, assignee_id,
        due_on, status, finding, result_note, sweep_run_id, source_task_id, created_at
    )
    SELECT %(campaign)s, n.dong_id, n.household_id, n.resident_id, %(stage)s, n.cycle, n.priority,
           left(n.reason, 200), coalesce(n.direct_id, rr.id), n.due_on, 'open', '', '', %(run)s, %(source)s,
           statement_timestamp()
    FROM numbered n
    LEFT JOIN staff rr ON n.direct_id IS NULL AND rr.dong_id = n.dong_id AND rr.slot = n.k %% rr.n_staff
    {_pause_clause(pause_seconds)}
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM cohort), (SELECT count(*) FROM ins), {returning}
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
        candidates, created, ids = cursor.fetchone()
    return InsertResult(candidates=candidates, created=created, task_ids=list(ids or []))


def dong_filter(alias: str, dong_ids: list[int] | None) -> str:
    """SQL restricting `alias.dong_id` to the campaign's dongs (no restriction: city-wide)."""
    return f"AND {alias}.dong_id = ANY(%(dongs)s)" if dong_ids else ""


ACTIVE_RESIDENT = "{r}.deceased_on IS NULL AND {r}.moved_out_on IS NULL"


def active(alias: str = "r") -> str:
    return ACTIVE_RESIDENT.format(r=alias)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier; 29 Feb falls back to 28 Feb."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
