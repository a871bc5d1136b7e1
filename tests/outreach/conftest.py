import datetime

import pytest

from chatdong.policy.models import PolicyThreshold

# The policy keys the outreach sweeps read, with the seeded values (DOMAIN §5–§6).
OUTREACH_POLICY = {
    "outreach.universal_ages": [65, 70],
    "outreach.parenting_child_age_min": 3,
    "outreach.parenting_child_age_max": 5,
    "outreach.summer_window": {"start_month": 7, "end_month": 8},
    "outreach.winter_window": {"start_month": 12, "end_month": 2},
    "outreach.inactivity_hours": 72,
    "outreach.inactivity_hours.iot": 72,
    "outreach.inactivity_hours.mobile": 72,
    "risk_tier.high.contact_days": 7,
    "risk_tier.high.home_visit_days": 30,
    "risk_tier.watch.contact_days": 30,
    "risk_tier.concern.contact_days": 60,
    "risk_tier.closed.contact_days": 180,
}


def ensure_policy(key, value, *, valid_from=datetime.date(2000, 1, 1)):
    """A version of `key` in force from 2000 on, unless the seed migration already has one."""
    if not PolicyThreshold.objects.filter(key=key).exists():
        PolicyThreshold.objects.create(key=key, value=value, valid_from=valid_from, source="테스트")


@pytest.fixture
def outreach_policy(db):
    for key, value in OUTREACH_POLICY.items():
        ensure_policy(key, value)


# --- a worker of our own, to kill ------------------------------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from tests import clock  # noqa: E402
from tests.celery_worker import REPO_ROOT, _stop, database_url  # noqa: E402


@dataclass
class KillableWorker:
    """A solo-pool worker on its own queue: the task runs in the worker's main process, so
    SIGKILL to that process kills the sweep mid-statement. The queue keeps other workers of
    the test session away from the tasks meant for this one."""

    process: subprocess.Popen
    queue: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        import signal

        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        _stop(self.process)


def start_worker(*, queue: str, log_dir: Path, extra_env: dict | None = None, timeout: float = 90) -> KillableWorker:
    from celery.exceptions import TimeoutError as CeleryTimeoutError
    from django.conf import settings
    from django.db import connections

    from chatdong.celery import app

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(connections["default"].settings_dict),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": app.conf.broker_url,
            "CELERY_RESULT_BACKEND": app.conf.result_backend,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
    )
    log_path = log_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
    args = [
        *clock.celery_command(), "-A", "chatdong", "worker", "--loglevel", "info", "--pool", "solo",
        "--queues", queue, "--hostname", f"kill-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            args, cwd=REPO_ROOT, env=clock.subprocess_env(env), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = KillableWorker(process, queue, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited during start:\n{worker.log_tail()}")
        try:
            value = uuid.uuid4().hex
            if app.send_task("chatdong.ping", args=[value], queue=queue).get(timeout=2) == value:
                return worker
        except CeleryTimeoutError:
            if time.monotonic() > deadline:
                worker.stop()
                raise RuntimeError(f"worker did not answer:\n{worker.log_tail()}") from None


@pytest.fixture
def killable_workers(tmp_path):
    """Start workers with `start(extra_env)`; all are stopped at the end of the test."""
    started: list[KillableWorker] = []
    queue = f"outreach-kill-{uuid.uuid4().hex[:8]}"

    def start(extra_env=None):
        worker = start_worker(queue=queue, log_dir=tmp_path, extra_env=extra_env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.stop()
