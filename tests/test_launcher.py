"""The embedded servers behind `make run` / `make test`: start, stop, reuse, recovery.

Each test gets its own state directory, so these run next to any configured or embedded
servers the rest of the suite uses.
"""

import os
import signal
import subprocess
import sys
import time

import environ
import psutil
import psycopg2
import redis

from chatdong.embedded import BASE_DIR, EmbeddedServices, postgres_url, with_redis_db


def _connect(env):
    config = environ.Env.db_url_config(env["DATABASE_URL"])
    return psycopg2.connect(host=config["HOST"], user=config["USER"], dbname=config["NAME"])


def _redis(env):
    # The same conversion settings.py applies for the Django cache.
    return redis.Redis.from_url(env["REDIS_URL"].replace("redis+socket://", "unix://"))


def _alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _exec_env(state_dir):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL",
                                                            "CELERY_RESULT_BACKEND"}}
    env["CHATDONG_STATE_DIR"] = str(state_dir)
    return env


def test_start_serves_postgres_and_redis_and_stop_leaves_nothing(tmp_path):
    services = EmbeddedServices(tmp_path / "state")

    env = services.start()
    try:
        with _connect(env) as conn, conn.cursor() as cur:
            cur.execute("SELECT current_database(), 1 + 1")
            assert cur.fetchone() == ("chatdong", 2)
            # The policy app's exclusion constraints need btree_gist in the embedded server.
            cur.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        assert _redis(env).ping() is True
        assert (services.state_dir / "services.env").read_text().count("_URL=") == 2
        pg_pid, redis_pid = services.postgres.pid, services.redis.pid
        assert _alive(pg_pid) and _alive(redis_pid)
    finally:
        stopped = services.stop()

    assert stopped is True
    assert not _alive(pg_pid)
    assert not _alive(redis_pid)
    assert not (services.state_dir / "pg" / "postmaster.pid").exists()
    assert not services.redis.socket_path.exists()
    assert not (services.state_dir / "services.env").exists()
    assert (services.state_dir / "owners.json").read_text() == "[]"


def test_second_start_reuses_the_data_without_reinitialising(tmp_path):
    state = tmp_path / "state"
    with EmbeddedServices(state) as first:
        with _connect(first.env) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE kept (note text)")
            cur.execute("INSERT INTO kept VALUES ('첫 실행에서 저장')")
        _redis(first.env).set("chatdong:kept", "첫 실행")
    pg_version = state / "pg" / "PG_VERSION"
    initialised_at = pg_version.stat().st_mtime_ns
    system_identifier = (state / "pg" / "global" / "pg_control").stat().st_ino

    with EmbeddedServices(state) as second:
        with _connect(second.env) as conn, conn.cursor() as cur:
            cur.execute("SELECT note FROM kept")
            assert cur.fetchall() == [("첫 실행에서 저장",)]
        assert _redis(second.env).get("chatdong:kept") == "첫 실행".encode()

    assert pg_version.stat().st_mtime_ns == initialised_at
    assert (state / "pg" / "global" / "pg_control").stat().st_ino == system_identifier


def test_exec_reuses_running_servers_and_returns_the_command_exit_code(tmp_path):
    state = tmp_path / "state"
    with EmbeddedServices(state) as owner:
        probe = (
            "import os, sys, psycopg2, environ;"
            "c = environ.Env.db_url_config(os.environ['DATABASE_URL']);"
            "psycopg2.connect(host=c['HOST'], user=c['USER'], dbname=c['NAME']).close();"
            "print(os.environ['DATABASE_URL']); print(os.environ['REDIS_URL']);"
            "sys.exit(3)"
        )
        result = subprocess.run(
            [sys.executable, "-m", "chatdong.embedded", "exec", "--redis-db", "2", "--", sys.executable, "-c", probe],
            cwd=BASE_DIR, env=_exec_env(state), capture_output=True, text=True, timeout=60,
        )  # fmt: skip

        assert result.returncode == 3, result.stderr
        database_url, redis_url = result.stdout.split()
        assert database_url == owner.env["DATABASE_URL"]
        assert redis_url == owner.env["REDIS_URL"] + "?db=2"
        # The exec was not the last user: the servers keep running for us.
        assert _alive(owner.postgres.pid) and _alive(owner.redis.pid)
        with _connect(owner.env) as conn, conn.cursor() as cur:
            cur.execute("SELECT 1")
    assert not _alive(owner.postgres.pid)


def test_servers_left_by_a_killed_process_are_adopted_and_stopped(tmp_path):
    state = tmp_path / "state"
    holder = subprocess.Popen(
        [sys.executable, "-m", "chatdong.embedded", "exec", "--", "sleep", "60"],
        cwd=BASE_DIR, env=_exec_env(state), start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (state / "services.env").exists():
            assert holder.poll() is None and time.monotonic() < deadline, "exec did not start the servers"
            time.sleep(0.1)
        # SIGKILL: no cleanup at all, as if the terminal or the machine's OOM killer took it.
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    finally:
        if holder.poll() is None:
            os.killpg(holder.pid, signal.SIGKILL)
            holder.wait()
    left_pg = int((state / "pg" / "postmaster.pid").read_text().split()[0])
    left_redis = int((state / "redis" / "redis.pid").read_text())
    assert _alive(left_pg) and _alive(left_redis)

    services = EmbeddedServices(state)
    env = services.start()
    assert (services.postgres.pid, services.redis.pid) == (left_pg, left_redis)
    with _connect(env) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1")
    assert services.stop() is True

    assert not _alive(left_pg) and not _alive(left_redis)
    assert (state / "owners.json").read_text() == "[]"
    assert (state / "pg" / ".handle_pids.json").read_text() == "[]"


def test_long_state_paths_put_the_redis_socket_in_a_short_directory(tmp_path):
    deep = tmp_path.joinpath(*["a-rather-long-directory-name"] * 5)
    services = EmbeddedServices(deep)

    assert len(str(deep / "redis" / "redis.sock")) > 107
    assert len(str(services.redis.socket_path)) < 100
    assert services.redis.data_dir == deep.resolve() / "redis"


def test_urls_are_understood_by_django_environ():
    config = environ.Env.db_url_config(postgres_url("/srv/chatdong/.chatdong/pg"))
    assert (config["HOST"], config["NAME"], config["USER"]) == ("/srv/chatdong/.chatdong/pg", "chatdong", "postgres")

    moved = with_redis_db("redis+socket:///srv/x/redis.sock", 1)
    assert moved == {
        "REDIS_URL": "redis+socket:///srv/x/redis.sock?db=1",
        "CELERY_BROKER_URL": "redis+socket:///srv/x/redis.sock?virtual_host=1",
    }
    assert with_redis_db("redis://127.0.0.1:6379/0", 3) == {"REDIS_URL": "redis://127.0.0.1:6379/3"}
