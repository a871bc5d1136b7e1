"""Who uses the embedded servers (owners.json under a lock) and the launcher's child processes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil

from chatdong.embedded.common import (
    BASE_DIR,
    DEV_KEYS_FLAG,
    SOCKET_PATH_MAX,
    STOP_TIMEOUT,
    EmbeddedError,
    _pid_alive,
    _read_json,
    _say,
    _short_dir,
    _write_json,
    default_state_dir,
)
from chatdong.embedded.postgres import EmbeddedPostgres
from chatdong.embedded.redis import EmbeddedRedis


class EmbeddedServices:
    """The embedded servers of one state directory, shared by every process that uses them.

    ``start()`` returns the environment to hand to Django/Celery (DATABASE_URL, REDIS_URL);
    ``stop()`` stops the servers only if no other live process still uses them.
    """

    def __init__(self, state_dir: Path | str | None = None, *, postgres: bool = True, redis: bool = True):
        self.state_dir = Path(state_dir).resolve() if state_dir else default_state_dir()
        self.want_postgres = postgres
        self.want_redis = redis
        self.postgres = EmbeddedPostgres(self.state_dir / "pg")
        redis_dir = self.state_dir / "redis"
        socket_path = redis_dir / "redis.sock"
        if len(str(socket_path)) > SOCKET_PATH_MAX:
            socket_path = _short_dir(self.state_dir) / "redis.sock"
        self.redis = EmbeddedRedis(redis_dir, socket_path)
        self.env: dict[str, str] = {}
        self.services_env = self.state_dir / "services.env"
        self._owners = self.state_dir / "owners.json"
        self._started = False

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.state_dir / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _live_owners(self) -> list[int]:
        pids = _read_json(self._owners, [])
        return [p for p in pids if isinstance(p, int) and p != os.getpid() and _pid_alive(p)]

    def start(self) -> dict[str, str]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with self._locked():
            others = self._live_owners()
            _write_json(self._owners, [*others, os.getpid()])
            try:
                if self.want_postgres:
                    self.env["DATABASE_URL"] = self.postgres.start()
                if self.want_redis:
                    self.env["REDIS_URL"] = self.redis.start()
            except BaseException:
                _write_json(self._owners, others)
                if not others:
                    self._stop_servers()
                raise
            self._started = True
            current = _read_env_file(self.services_env) if others else {}
            # A plain `manage.py` in another terminal joins this development run, keys too.
            flag = {DEV_KEYS_FLAG: os.environ[DEV_KEYS_FLAG]} if DEV_KEYS_FLAG in os.environ else {}
            _write_env_file(self.services_env, {**current, **flag, **self.env})
        return dict(self.env)

    def stop(self) -> bool:
        """Leave; stop the servers if this was the last user. True if they were stopped."""
        if not self._started:
            return False
        self._started = False
        with self._locked():
            others = self._live_owners()
            _write_json(self._owners, others)
            if others:
                return False
            self._stop_servers()
            return True

    def _stop_servers(self) -> None:
        self.services_env.unlink(missing_ok=True)
        # Redis first: nothing in PostgreSQL depends on it, and it is the quicker to stop.
        errors = []
        for server in (self.redis, self.postgres):
            try:
                server.stop()
            except Exception as exc:  # keep stopping the other one
                errors.append(f"{type(server).__name__}: {exc}")
        if errors:
            raise EmbeddedError("내장 서버를 정상적으로 멈추지 못했습니다: " + "; ".join(errors))

    def __enter__(self) -> EmbeddedServices:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    with contextlib.suppress(FileNotFoundError):
        for line in path.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.startswith("#"):
                values[key.strip()] = value.strip()
    return values


def _write_env_file(path: Path, values: dict[str, str]) -> None:
    lines = ["# Written by chatdong.embedded while the embedded servers run; removed on stop."]
    lines += [f"{key}={value}" for key, value in values.items()]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def services_for_environment(state_dir: Path | str | None = None) -> EmbeddedServices | None:
    """Embedded servers for whichever of DATABASE_URL / REDIS_URL is unset (None if both set)."""
    need_pg = not os.environ.get("DATABASE_URL")
    need_redis = not os.environ.get("REDIS_URL")
    if not (need_pg or need_redis):
        return None
    return EmbeddedServices(state_dir, postgres=need_pg, redis=need_redis)


class _Children:
    """Application processes, each in its own session so that we control shutdown order."""

    def __init__(self, record: Path, log_dir: Path) -> None:
        self.record = record
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen] = {}

    def spawn(self, name: str, args: Sequence[str], env: dict[str, str]) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
        proc = subprocess.Popen(  # noqa: S603 - fixed argv built above
            list(args), cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.procs[name] = proc
        self.save()

    def save(self) -> None:
        children = []
        for name, proc in self.procs.items():
            with contextlib.suppress(psutil.NoSuchProcess):
                children.append({"name": name, "pid": proc.pid, "created": psutil.Process(proc.pid).create_time()})
        me = psutil.Process()
        _write_json(self.record, {"pid": me.pid, "created": me.create_time(), "children": children})

    def exited(self) -> tuple[str, int] | None:
        for name, proc in self.procs.items():
            code = proc.poll()
            if code is not None:
                return name, code
        return None

    def stop(self, order: Sequence[str]) -> None:
        """SIGTERM each main process (in ``order``), wait, then SIGKILL what is left."""
        for name in order:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
        for name, proc in self.procs.items():
            if proc.poll() is None:
                _say(f"{name} 프로세스가 {STOP_TIMEOUT:.0f}초 안에 끝나지 않아 강제 종료합니다.")
            # The whole group: gunicorn and Celery pool workers must not outlive their master.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.procs.clear()


def _reap_previous_launcher(record: Path) -> None:
    """Refuse to run twice; kill what a SIGKILLed launcher left behind."""
    data = _read_json(record, None)
    if not isinstance(data, dict):
        return
    with contextlib.suppress(psutil.NoSuchProcess):
        if abs(psutil.Process(data["pid"]).create_time() - data["created"]) < 1:
            raise EmbeddedError(
                f"chatdong이 이미 실행 중입니다 (pid {data['pid']}). 그 터미널에서 Ctrl-C로 먼저 종료하세요."
            )
    for child in data.get("children", []):
        with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError, PermissionError):
            if abs(psutil.Process(child["pid"]).create_time() - child["created"]) < 1:
                _say(f"이전 실행이 남긴 {child['name']} 프로세스(pid {child['pid']})를 종료합니다.")
                group = [p for p in psutil.process_iter() if _pgid(p.pid) == child["pid"]]
                os.killpg(child["pid"], signal.SIGKILL)
                psutil.wait_procs(group, timeout=STOP_TIMEOUT)
    record.unlink(missing_ok=True)


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None
