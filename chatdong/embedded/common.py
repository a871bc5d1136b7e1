"""What the embedded servers and the launcher share: errors, messages, process and file helpers."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Seconds a child process gets between SIGTERM and SIGKILL.
STOP_TIMEOUT = 10.0
# sun_path holds 108 bytes on Linux and 104 on macOS; keep a margin.
SOCKET_PATH_MAX = 100
# settings.py accepts its committed development keys with DEBUG off only when this is true.
DEV_KEYS_FLAG = "ALLOW_DEV_KEYS"


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
