"""Benchmark: the 65/70 universal-visit sweep on a generated city (see bench/README.md).

    python -m bench.sweep_universal --residents 1000000      (or: make bench)

Creates a separate database (<name>_bench next to DATABASE_URL's, or BENCH_DATABASE_URL),
loads a city with `generate_city`, then measures in the same run:

  floor    the same cohort as one hand-written INSERT … SELECT, run in psql
  sweep    outreach.run_sweep through a real Celery worker (one set-based statement with
           de-duplication and assignment), and the worker's RSS sampled during the sweep
  rerun    the same sweep again (creates nothing)
  naive    a Python loop with get_or_create per resident plus per-resident assignment
           queries (the baseline)

and prints a table with the ratios and the targets. The database is dropped at the end
unless --keep is given.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_BASE_URL = "postgres://postgres@127.0.0.1:5432/chatdong"


# --- database plumbing (before Django is set up) --------------------------------------------------

def _db_config(url: str) -> dict:
    import environ

    return environ.Env.db_url_config(url)


def bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", DEFAULT_BASE_URL)
    name = _db_config(base)["NAME"]
    return re.sub(rf"/{re.escape(name)}(\?|$)", rf"/{name}_bench\1", base, count=1)


def _admin_connection(config: dict):
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None, port=config.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def recreate_database(url: str) -> None:
    config = _db_config(url)
    conn = _admin_connection(config)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    finally:
        conn.close()


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    config = _db_config(url)
    conn = _admin_connection(config)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
    finally:
        conn.close()


# --- the measured things -----------------------------------------------------------------------------

FLOOR_SQL = """
INSERT INTO outreach_visittask (
    campaign_id, dong_id, household_id, resident_id, stage, cycle, priority, reason, assignee_id, due_on,
    status, finding, result_note, sweep_run_id, source_task_id, created_at)
SELECT {campaign}, h.dong_id, h.id, r.id, 1, '', 'normal',
       ({year} - extract(year FROM r.birth_date)::int)::text || '세 보편방문 대상', NULL, DATE '{due}',
       'open', '', '', NULL, NULL, now()
FROM cases_resident r JOIN cases_household h ON h.id = r.household_id
WHERE ({ranges}) AND r.deceased_on IS NULL AND r.moved_out_on IS NULL
ON CONFLICT DO NOTHING;
"""


def floor_sql(campaign_id: int, year: int, ages: list[int], due: datetime.date) -> str:
    ranges = " OR ".join(
        f"(r.birth_date >= DATE '{year - a}-01-01' AND r.birth_date < DATE '{year - a + 1}-01-01')" for a in ages
    )
    return FLOOR_SQL.format(campaign=campaign_id, year=year, ranges=ranges, due=due.isoformat())


def run_floor(url: str, sql: str) -> tuple[float, str]:
    """Seconds the statement took in psql (its own \\timing), or through psycopg2 without psql."""
    config = _db_config(url)
    psql = shutil.which("psql")
    if psql:
        env = dict(os.environ)
        if config.get("PASSWORD"):
            env["PGPASSWORD"] = config["PASSWORD"]
        args = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", config["NAME"]]
        for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if config.get(key):
                args += [flag, str(config[key])]
        out = subprocess.run(args, input=f"\\timing on\n{sql}", capture_output=True, text=True, env=env, check=True)
        match = re.search(r"Time: ([\d.]+) ms", out.stdout)
        return float(match.group(1)) / 1000, "psql"
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql)
        return time.perf_counter() - started, "psycopg2 (psql 없음)"


class RssSampler:
    """Samples a process's resident set size every `interval` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.02):
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.samples.append(self.process.memory_info().rss)
            except Exception:  # the process may be gone
                return
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def start_worker(url: str, queue: str, log_path: Path) -> subprocess.Popen:
    from chatdong.celery import app

    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "false", "PYTHONUNBUFFERED": "1",
        "CELERY_BROKER_URL": app.conf.broker_url, "CELERY_RESULT_BACKEND": app.conf.result_backend,
    })
    env.pop("CHATDONG_TEST_SWEEP_PAUSE", None)
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "chatdong", "worker", "--pool", "solo", "--queues", queue,
         "--hostname", f"bench-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise SystemExit(f"Celery 작업자가 시작하지 못했습니다: {log_path}")
        try:
            if app.send_task("chatdong.ping", args=["bench"], queue=queue).get(timeout=2) == "bench":
                return process
        except Exception:
            if time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"Celery 작업자가 응답하지 않습니다: {log_path}") from None


def stop_worker(process: subprocess.Popen) -> None:
    import signal

    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sweep_through_worker(campaign_id: int, queue: str, pid: int) -> dict:
    """Run outreach.run_sweep on the worker; the run's own time and the worker's RSS."""
    from outreach.models import SweepRun
    from outreach.tasks import run_sweep

    with RssSampler(pid) as rss:
        before = rss.process.memory_info().rss
        started = time.perf_counter()
        answer = run_sweep.apply_async(args=[campaign_id], queue=queue).get(timeout=3600)
        end_to_end = time.perf_counter() - started
    if answer.get("status") != "succeeded":
        raise SystemExit(f"sweep failed: {answer}")
    run = SweepRun.objects.get(pk=answer["run"])
    return {
        "seconds": (run.finished_at - run.started_at).total_seconds(), "end_to_end": end_to_end,
        "created": answer["created"], "candidates": answer["candidates"],
        "rss_before": before, "rss_peak": max(rss.samples + [before]), "samples": len(rss.samples),
    }


def naive_loop(campaign, ages: list[int], year: int, due: datetime.date, budget: float, limit: int | None) -> dict:
    """The baseline: walk the cohort in Python; per resident find an assignee with queries and
    get_or_create the task. Stops after `limit` residents or `budget` seconds and extrapolates."""
    from django.db.models import Count, Q

    from cases.models import Resident
    from chatdong.accounts.roles import Role
    from chatdong.accounts.selectors import staff_with
    from outreach.models import VisitTask

    birth_years = Q()
    for age in ages:
        birth_years |= Q(birth_date__year=year - age)
    cohort = Resident.objects.active().filter(birth_years)
    total = cohort.count()
    done = 0
    started = time.perf_counter()
    for resident in cohort.select_related("household").order_by("pk").iterator(chunk_size=2000):
        household = resident.household
        planners = staff_with(Role.PLANNER, dong=household.dong_id)
        assignee = None
        if household.planner_id:
            assignee = planners.filter(pk=household.planner_id).first()
        if assignee is None and household.tong_id:
            assignee = planners.filter(tongs=household.tong_id).first()
        if assignee is None:
            assignee = (
                planners.annotate(load=Count("visit_tasks", filter=Q(visit_tasks__status="open")))
                .order_by("load", "pk").first()
            )
        VisitTask.objects.get_or_create(
            campaign=campaign, resident=resident, stage=1, cycle="",
            defaults={
                "dong_id": household.dong_id, "household": household, "assignee": assignee, "due_on": due,
                "reason": f"{year - resident.birth_date.year}세 보편방문 대상",
            },
        )
        done += 1
        elapsed = time.perf_counter() - started
        if (limit and done >= limit) or elapsed > budget:
            break
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "done": done, "total": total,
            "estimated": elapsed / max(done, 1) * total, "complete": done >= total}


# --- main ------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="65·70 보편방문 sweep 벤치마크")
    parser.add_argument("--residents", type=int, default=int(os.environ.get("BENCH_RESIDENTS", 1_000_000)))
    parser.add_argument("--reuse", action="store_true", help="이미 만든 벤치마크 DB를 다시 씁니다(도시 생성 생략).")
    parser.add_argument("--keep", action="store_true", help="끝난 뒤 벤치마크 DB를 지우지 않습니다.")
    parser.add_argument("--naive-budget", type=float, default=600.0,
                        help="단순 반복(ORM) 기준선에 쓸 최대 초. 넘으면 그때까지의 속도로 전체를 추정합니다.")
    parser.add_argument("--naive-limit", type=int, default=None, help="단순 반복을 이 인원까지만 재고 추정합니다.")
    args = parser.parse_args(argv)

    url = bench_database_url()
    if not args.reuse:
        recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatdong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from chatdong import policy
    from chatdong.areas.models import Dong
    from chatdong.demo.city import generate_city
    from outreach.models import Campaign, CampaignKind, VisitTask
    from outreach.services.cohorts import due_date

    print(f"벤치마크 DB: {_db_config(url)['NAME']}")
    try:
        call_command("migrate", verbosity=0)
        from cases.models import Resident

        if not args.reuse or Resident.objects.count() < args.residents:
            t = time.perf_counter()
            generate_city(residents=args.residents, reset=args.reuse, with_ciphertext=False)
            print(f"도시 생성: 가구원 {args.residents:,}명, {time.perf_counter() - t:.1f}초")
        residents = Resident.objects.count()
        today = timezone.localdate()
        year = today.year
        ages = [int(a) for a in policy.read("outreach.universal_ages", on=datetime.date(year, 1, 1))]

        def campaign(name, *, kind=CampaignKind.UNIVERSAL, year=year):
            return Campaign.objects.create(
                kind=kind, name=name, year=year, period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31), due_days=30,
            )

        VisitTask.objects.all().delete()
        Campaign.objects.filter(name__startswith="bench ").delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE outreach_visittask")
            cursor.execute("SELECT count(*) FROM cases_resident r JOIN cases_household h ON h.id = r.household_id")
        # One universal campaign per dong and year (a database rule): the campaigns that only hold
        # the floor's and the naive loop's tasks are of another kind; the cohort SQL is the same.
        swept = campaign("bench sweep")
        floor_a, floor_b, naive_c = (
            campaign(f"bench {n}", kind=CampaignKind.TARGETED) for n in ("floor-1", "floor-2", "naive")
        )
        due = due_date(floor_a, today)

        # 1. the floor, before the sweep
        floor1, how = run_floor(url, floor_sql(floor_a.pk, year, ages, due))
        cohort_size = VisitTask.objects.filter(campaign=floor_a).count()

        # 2. the sweep and its rerun through a real worker (warmed up on a one-dong campaign)
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"{queue}.log"
        worker = start_worker(url, queue, log_path)
        try:
            warm = campaign("bench warm-up", year=year - 1)  # last year's: no overlap with `swept`
            warm.dongs.set([Dong.objects.order_by("pk").first()])
            sweep_through_worker(warm.pk, queue, worker.pid)
            first = sweep_through_worker(swept.pk, queue, worker.pid)
            rerun = sweep_through_worker(swept.pk, queue, worker.pid)
        finally:
            stop_worker(worker)

        # 3. the floor again, after (the faster of the two is the floor)
        floor2, _ = run_floor(url, floor_sql(floor_b.pk, year, ages, due))
        floor = min(floor1, floor2)

        # 4. the naive loop
        naive = naive_loop(naive_c, ages, year, due, args.naive_budget, args.naive_limit)

        assert first["created"] == cohort_size == first["candidates"], (first, cohort_size)
        assigned = VisitTask.objects.filter(campaign=swept, assignee__isnull=False).count()
        mib = 1024 * 1024
        ratio_first = first["seconds"] / floor
        ratio_naive = naive["estimated"] / first["seconds"]
        rss_growth = (first["rss_peak"] - first["rss_before"]) / mib
        naive_note = (
            f"전체 {naive['total']:,}명 실측" if naive["complete"]
            else f"{naive['done']:,}명 {naive['seconds']:.1f}초 실측 → {naive['total']:,}명 추정"
        )
        rows = [
            ("가구원 수 (도시)", f"{residents:,}", ""),
            ("65·70 대상자 (cohort)", f"{cohort_size:,}", f"배정됨 {assigned:,}"),
            (f"SQL 하한 (한 문장, {how})", f"{floor:.3f} s", f"1차 {floor1:.3f} s / 2차 {floor2:.3f} s"),
            ("sweep 1회차 (작업자, SweepRun 기준)", f"{first['seconds']:.3f} s",
             f"하한 대비 {ratio_first:.2f}배 (목표 ≤ 1.5배) {'OK' if ratio_first <= 1.5 else 'MISS'}"),
            ("  └ 요청부터 결과 수신까지", f"{first['end_to_end']:.3f} s", "브로커 왕복 포함"),
            ("sweep 재실행 (생성 0건)", f"{rerun['seconds']:.3f} s",
             f"목표 ≤ 1 s {'OK' if rerun['seconds'] <= 1 else 'MISS'} (생성 {rerun['created']}건)"),
            ("단순 반복 ORM (get_or_create)", f"{naive['estimated']:.1f} s", naive_note),
            ("  └ sweep 대비", f"{ratio_naive:.0f}배 느림", f"목표 ≥ 50배 {'OK' if ratio_naive >= 50 else 'MISS'}"),
            ("작업자 RSS (sweep 전 → 최대)",
             f"{first['rss_before'] / mib:.1f} → {first['rss_peak'] / mib:.1f} MiB",
             f"+{rss_growth:.1f} MiB, 표본 {first['samples']}개 {'(평탄)' if rss_growth < 5 else ''}"),
        ]
        width = max(len(r[0]) for r in rows) + 2
        print()
        print(f"{'항목':<{width}} {'값':>22}  비고")
        print("-" * (width + 60))
        for label, value, note in rows:
            print(f"{label:<{width}} {value:>22}  {note}")
        print()
        print(f"RESULT floor_s={floor:.3f} sweep_s={first['seconds']:.3f} rerun_s={rerun['seconds']:.3f} "
              f"naive_s={naive['estimated']:.1f} ratio_sweep_floor={ratio_first:.2f} ratio_naive_sweep={ratio_naive:.0f} "
              f"rss_growth_mib={rss_growth:.1f} cohort={cohort_size} residents={residents}")
    finally:
        if not args.keep:
            drop_database(url)
            print("벤치마크 DB를 지웠습니다.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
