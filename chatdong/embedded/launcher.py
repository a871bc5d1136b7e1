"""`python -m chatdong.embedded run` (what `make run` calls) and `exec -- CMD`."""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from chatdong.embedded.common import BASE_DIR, DEV_KEYS_FLAG, EmbeddedError, _say, default_state_dir
from chatdong.embedded.redis import with_redis_db
from chatdong.embedded.supervisor import (
    EmbeddedServices,
    _Children,
    _reap_previous_launcher,
    services_for_environment,
)

DEFAULT_DEMO_PASSWORD = "chatdong-demo-2026"


class _Stop(Exception):
    """Raised by the signal handler to abandon start-up (Ctrl-C, SIGTERM)."""


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
    from chatdong import embedded

    parser = argparse.ArgumentParser(prog="python -m chatdong.embedded", description=embedded.__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="내장 서버 + 웹 + Celery worker/beat 실행 (make run)")
    exec_parser = sub.add_parser("exec", help="DATABASE_URL/REDIS_URL을 설정하고 명령 실행")
    exec_parser.add_argument("--redis-db", type=int, default=None, help="내장 Redis의 논리 DB 번호")
    exec_parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    # `make run`, `make test` and the other make targets are development runs: they may use
    # the development keys of settings.py (which refuses them elsewhere with DEBUG off).
    # Keys set in the environment still win.
    os.environ.setdefault(DEV_KEYS_FLAG, "true")
    try:
        if args.command == "run":
            return run()
        cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        return exec_command(cmd, redis_db=args.redis_db)
    except EmbeddedError as exc:
        _say(str(exc))
        return 1
