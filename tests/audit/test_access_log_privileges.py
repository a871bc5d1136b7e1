"""열람기록 stays append-only: TRUNCATE is refused by a trigger, and the app's database role
(manage.py grant_app_role) cannot UPDATE, DELETE or TRUNCATE it even past the triggers."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, InternalError, connection, transaction
from psycopg2 import errors

from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

pytestmark = pytest.mark.django_db
TABLE = AccessLog._meta.db_table
# What `pgtrigger.ignore(...)` sets: the triggers' PostgreSQL names, as a text array.
IGNORE_ALL = "{" + ",".join(trigger.get_pgid(AccessLog) for trigger in AccessLog._meta.triggers) + "}"


@pytest.fixture
def entry(db):
    return log_access(subject_type=AccessLog.Subject.LIST, subject_id=None, reason="열람")


def _refused(statement, params=None):
    """Run one statement in a savepoint; return the database error it raised (or fail)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return caught.value


def test_truncate_is_refused_by_the_trigger(entry):
    with connection.cursor() as cursor:
        # The row just written has deferred FK checks pending, which alone would stop TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    error = _refused(f"TRUNCATE {TABLE}")
    assert isinstance(error, InternalError)
    assert "Cannot truncate" in str(error)
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_update_and_delete_are_still_refused(entry):
    assert "Cannot update or delete" in str(_refused(f"UPDATE {TABLE} SET reason = 'x'"))
    assert "Cannot update or delete" in str(_refused(f"DELETE FROM {TABLE}"))


@pytest.fixture
def app_role(db):
    """A fresh role granted by the command; created inside the test's transaction, so the
    rollback at the end removes it (roles and grants are transactional in PostgreSQL)."""
    role = f"chatdong_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("grant_app_role", role, stdout=io.StringIO())
    return role


def _as_role(role, statement, params=None):
    """Run `statement` as `role`, with every pgtrigger trigger told to step aside."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute("SET LOCAL pgtrigger.ignore = %s", [IGNORE_ALL])
        cursor.execute(statement, params)
        result = cursor.fetchall() if cursor.description else None
        cursor.execute("RESET ROLE")
        return result


@pytest.mark.parametrize(
    "statement", [f"UPDATE {TABLE} SET reason = 'x'", f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"]
)
def test_app_role_cannot_rewrite_the_log_even_when_it_ignores_the_triggers(entry, app_role, statement):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError) as caught:
        _as_role(app_role, statement)
    assert isinstance(caught.value.__cause__, errors.InsufficientPrivilege)
    assert AccessLog.objects.get(pk=entry.pk).reason == "열람"


def test_the_ignore_setting_alone_would_bypass_the_trigger(entry):
    """Why the role matters: the table owner with the setting gets past the trigger."""
    with transaction.atomic(), connection.cursor() as cursor:
        sid = transaction.savepoint()
        cursor.execute("SET LOCAL pgtrigger.ignore = %s", [IGNORE_ALL])
        cursor.execute(f"UPDATE {TABLE} SET reason = 'x' WHERE id = %s", [entry.pk])
        assert cursor.rowcount == 1
        transaction.savepoint_rollback(sid)


def test_app_role_reads_and_appends_the_log_and_writes_other_tables(entry, app_role):
    rows = _as_role(
        app_role,
        f"INSERT INTO {TABLE} (at, subject_type, action, reason, path, request_id) "
        "VALUES (now(), 'list', 'view', '앱 역할', '', '') RETURNING id",
    )
    assert AccessLog.objects.filter(pk=rows[0][0], reason="앱 역할").exists()
    assert _as_role(app_role, f"SELECT count(*) FROM {TABLE}")[0][0] == 2
    # Ordinary tables stay writable (sessions, users, households, …).
    _as_role(app_role, "DELETE FROM django_session WHERE expire_date < now() - interval '100 years'")
    _as_role(app_role, "UPDATE accounts_user SET last_login = last_login WHERE false")


def test_grant_app_role_creates_the_role_with_a_password(db, monkeypatch):
    role = f"chatdong_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("TEST_APP_DB_PASSWORD", "s3cret-한글-pw")
    call_command("grant_app_role", role, password_env="TEST_APP_DB_PASSWORD", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = %s", [role])
        assert cursor.fetchone() == (True, False)
        cursor.execute("SELECT has_table_privilege(%s, %s, 'INSERT'), has_table_privilege(%s, %s, 'UPDATE')",
                       [role, TABLE, role, TABLE])
        assert cursor.fetchone() == (True, False)


def test_grant_app_role_prints_the_sql_without_running_it(db):
    out = io.StringIO()
    call_command("grant_app_role", "chatdong_app_print", "--sql", stdout=out)
    text = out.getvalue()
    assert f'REVOKE UPDATE, DELETE, TRUNCATE ON "{TABLE}" FROM "chatdong_app_print";' in text
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "chatdong_app_print";' in text
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'chatdong_app_print'")
        assert cursor.fetchone() is None


def test_grant_app_role_refuses_a_missing_role_and_the_owner(db):
    with pytest.raises(CommandError, match="없습니다"):
        call_command("grant_app_role", "chatdong_app_missing", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="소유자"):
        call_command("grant_app_role", owner, stdout=io.StringIO())
