"""A real Celery worker for integration tests (registered in tests/conftest.py).

    @pytest.mark.integration
    @pytest.mark.django_db(transaction=True)
    def test_sweep(live_celery_worker):
        result = run_campaign.delay(campaign.pk)
        assert result.get(timeout=30) == ...

The worker is a separate process (`celery -A chatdong worker`, prefork pool) started once per
test session. It uses the *test* database (pytest-django's ``test_<name>``) and the broker
and result backend of the test process. Data the test writes is only visible to the worker
once committed, hence ``transaction=True``. Extra task modules that only tests need can be
passed with ``--include``: ``tests.integration.tasks`` is always included.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import clock

REPO_ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 90.0
STOP_TIMEOUT = 20.0
INCLUDE = ["tests.integration.tasks"]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL (django-environ form) for a Django connection's settings."""
    user = urllib.parse.quote(settings_dict.get("USER") or "", safe="")
    password = urllib.parse.quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    name = settings_dict["NAME"]
    if host.startswith("/"):  # unix socket directory (the embedded server)
        return f"postgres://{credentials}/{urllib.parse.quote(host)}/{name}"
    netloc = f"{host}:{port}" if port else host
    return f"postgres://{credentials}{netloc}/{name}"


@dataclass
class LiveCeleryWorker:
    process: subprocess.Popen
    hostname: str
    database_name: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def ping(self, timeout: float = 10.0) -> str:
        """Round trip of `chatdong.ping` through the broker and this worker."""
        from chatdong.celery import app

        value = f"ping-{uuid.uuid4().hex}"
        answer = app.send_task("chatdong.ping", args=[value]).get(timeout=timeout)
        assert answer == value, f"worker answered {answer!r} to {value!r}"
        return answer


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown: finish the running task
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(STOP_TIMEOUT)
    # The pool's children share the worker's process group (its own session).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture(scope="session")
def live_celery_worker(django_db_setup, tmp_path_factory):
    """Start `celery -A chatdong worker` on the test database; yield a LiveCeleryWorker."""
    from celery.exceptions import TimeoutError as CeleryTimeoutError
    from django.conf import settings
    from django.db import connections

    from chatdong.celery import app

    if app.conf.task_always_eager:
        pytest.fail("CELERY_TASK_ALWAYS_EAGER가 켜져 있으면 실제 작업자 테스트를 할 수 없습니다.")
    settings_dict = connections["default"].settings_dict
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(settings_dict),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": app.conf.broker_url,
            "CELERY_RESULT_BACKEND": app.conf.result_backend,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # `tests` is not an installed package; the worker imports tests.integration.tasks.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
        }
    )
    hostname = f"pytest-{uuid.uuid4().hex[:8]}@%h"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    args = [
        *clock.celery_command(), "-A", "chatdong", "worker",
        "--loglevel", "info", "--pool", "prefork", "--concurrency", "2",
        "--hostname", hostname, "--without-gossip", "--without-mingle", "--without-heartbeat",
        *[f"--include={module}" for module in INCLUDE],
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            args, cwd=REPO_ROOT, env=clock.subprocess_env(env), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    worker = LiveCeleryWorker(process, hostname, settings_dict["NAME"], log_path)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"Celery 작업자가 시작 중에 종료되었습니다:\n{worker.log_tail()}")
            try:
                worker.ping(timeout=2)
                break
            except CeleryTimeoutError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{READY_TIMEOUT:.0f}초 안에 Celery 작업자가 응답하지 않았습니다:\n{worker.log_tail()}")
        yield worker
    finally:
        _stop(process)
