"""PostgreSQL from the ``pgserver`` wheel, on a unix socket in the state directory."""

from __future__ import annotations

import os
import subprocess
import urllib.parse
import warnings
from pathlib import Path

import psutil

from chatdong.embedded.common import (
    STOP_TIMEOUT,
    EmbeddedError,
    _pid_alive,
    _read_json,
    _say,
    _terminate_pid,
    _wait_gone,
    _write_json,
)

DB_NAME = "chatdong"
DB_USER = "postgres"


def _import_pgserver():
    # pgserver imports platformdirs, which warns when XDG_RUNTIME_DIR is unset.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
        from pgserver.utils import PostmasterInfo
    return pgserver, PostmasterInfo


def postgres_url(socket_dir: Path | str, database: str = DB_NAME, user: str = DB_USER) -> str:
    """A DATABASE_URL for a server listening on a unix socket in ``socket_dir``.

    django-environ reads ``postgres://user@//abs/socket/dir/name`` as HOST=/abs/socket/dir,
    which is what Django, ``dbshell`` and pytest-django need.
    """
    return f"postgres://{user}@/{urllib.parse.quote(str(socket_dir))}/{database}"


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, data in ``pgdata``; unix socket only."""

    def __init__(self, pgdata: Path, database: str = DB_NAME) -> None:
        self.pgdata = pgdata
        self.database = database
        self.pid: int | None = None
        self.socket_dir: Path | None = None

    def running_pid(self) -> int | None:
        """The postmaster's pid if one is running on this data directory."""
        pidfile = self.pgdata / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None
        try:
            proc = psutil.Process(pid)
            if proc.status() != psutil.STATUS_ZOMBIE and proc.name() == "postgres":
                return pid
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
        return None

    def _prune_stale_files(self) -> None:
        # pgserver keeps the pids of its client processes here and refuses to stop the server
        # while any is listed; a SIGKILLed launcher would otherwise stay listed forever.
        handles = self.pgdata / ".handle_pids.json"
        pids = _read_json(handles, None)
        if isinstance(pids, list):
            alive = [p for p in pids if isinstance(p, int) and _pid_alive(p)]
            if alive != pids:
                _write_json(handles, alive)
        # A postmaster.pid whose pid now belongs to another program would block the start.
        pidfile = self.pgdata / "postmaster.pid"
        if pidfile.exists() and self.running_pid() is None:
            pidfile.unlink(missing_ok=True)

    def start(self) -> str:
        """Start (or adopt) the server, create the database if missing; return its URL."""
        pgserver, _ = _import_pgserver()
        if self.pgdata.exists():
            self._prune_stale_files()
        first_time = not (self.pgdata / "PG_VERSION").exists()
        if not first_time:
            self._check_major_version(pgserver)
        if first_time:
            _say(f"PostgreSQL 데이터 디렉터리를 초기화합니다: {self.pgdata}")
        try:
            # cleanup_mode=None: the owners registry, not pgserver, decides when to stop.
            server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        except Exception as exc:
            log = self.pgdata / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise EmbeddedError(f"내장 PostgreSQL을 시작하지 못했습니다: {exc}\n{tail}") from exc
        info = server.get_postmaster_info()
        self.pid = info.pid
        self.socket_dir = info.socket_dir
        # Drop pgserver's handle at once: our registry tracks the users of the server.
        server.cleanup()
        pgserver.PostgresServer._instances.pop(self.pgdata, None)
        self._ensure_database()
        return postgres_url(self.socket_dir, self.database)

    def _check_major_version(self, pgserver) -> None:
        data_version = (self.pgdata / "PG_VERSION").read_text().strip()
        binary_version = pgserver.postgres(["--version"]).split()[-1].split(".")[0]
        if binary_version != data_version:
            raise EmbeddedError(
                f"{self.pgdata}의 데이터는 PostgreSQL {data_version}용인데 설치된 내장 서버는 "
                f"PostgreSQL {binary_version}입니다. 데이터가 필요 없으면 이 디렉터리를 지우고 다시 "
                "실행하세요 (필요하면 먼저 pg_dump로 백업)."
            )

    def _ensure_database(self) -> None:
        import psycopg2

        conn = psycopg2.connect(host=str(self.socket_dir), user=DB_USER, dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.database])
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{self.database}"')
        finally:
            conn.close()

    def stop(self) -> None:
        """Stop the server running on this data directory, if any (fast shutdown)."""
        pid = self.running_pid()
        if pid is None:
            return
        pgserver, _ = _import_pgserver()
        user = "pgserver" if os.geteuid() == 0 else None
        try:
            pgserver.pg_ctl(["-w", "-t", "30", "-m", "fast", "stop"], pgdata=self.pgdata, user=user, timeout=40)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            _say("pg_ctl stop에 실패하여 PostgreSQL 프로세스를 직접 종료합니다.")
            _terminate_pid(pid)
        if not _wait_gone(pid, STOP_TIMEOUT):
            _terminate_pid(pid)
