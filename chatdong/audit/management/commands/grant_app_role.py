"""Give the application's database role what it needs, and not the power to rewrite the
access log.

The triggers on 열람기록 refuse UPDATE, DELETE and TRUNCATE, but any session may
`SET LOCAL pgtrigger.ignore = …` and step past them. So in production the web server and the
Celery processes connect as a role that owns nothing and holds no UPDATE, DELETE or TRUNCATE
privilege on the access log; migrations (and bulk loaders such as generate_city) run as the
owner, which also runs this command after every `migrate`:

    python manage.py grant_app_role chatdong_app                    # the role exists
    python manage.py grant_app_role chatdong_app --password-env APP_DB_PASSWORD   # create/update it
    python manage.py grant_app_role chatdong_app --sql              # print the statements only
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

from chatdong.audit.models import AccessLog

SCHEMA = "public"


def grant_statements(role: str, *, database: str, owner: str) -> list[sql.Composed]:
    """The statements, in order. Safe to run again: grants and revokes are idempotent."""
    role_id, schema, table = sql.Identifier(role), sql.Identifier(SCHEMA), sql.Identifier(AccessLog._meta.db_table)
    owner_id = sql.Identifier(owner)
    return [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), role_id),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, role_id),
        # Everything the app reads and writes; no TRUNCATE, REFERENCES or TRIGGER anywhere.
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(schema, role_id),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, role_id),
        # Tables later migrations create get the same, without waiting for the next run.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(owner_id, schema, role_id),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(
            owner_id, schema, role_id
        ),
        # The access log: append and read only.
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(table, role_id),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM PUBLIC").format(table),
    ]


class Command(BaseCommand):
    help = "애플리케이션 DB 역할에 권한을 주되 열람기록의 수정·삭제·TRUNCATE 권한은 주지 않습니다."

    def add_arguments(self, parser):
        parser.add_argument("role", help="웹 서버와 Celery가 접속하는 DB 역할 (예: chatdong_app)")
        parser.add_argument(
            "--password-env", metavar="VAR",
            help="이 환경 변수의 비밀번호로 역할을 만들거나(LOGIN) 비밀번호를 바꿉니다.",
        )
        parser.add_argument("--sql", dest="print_sql", action="store_true", help="실행하지 않고 SQL만 출력합니다.")

    def handle(self, *args, role: str, password_env: str | None, print_sql: bool, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if role == owner:
                raise CommandError(f"{role}은(는) 지금 접속한 소유자 역할입니다. 앱 전용 역할을 따로 지정하세요.")
            statements = grant_statements(role, database=database, owner=owner)
            if print_sql:
                for statement in statements:
                    self.stdout.write(statement.as_string(cursor.connection) + ";")
                return
            with transaction.atomic():
                if password_env:
                    self._ensure_role(cursor, role, password_env)
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
                row = cursor.fetchone()
                if row is None:
                    raise CommandError(f"DB 역할 {role}이(가) 없습니다. --password-env로 만들거나 먼저 만드세요.")
                if row[0]:
                    raise CommandError(f"{role}은(는) 슈퍼유저라 권한을 제한할 수 없습니다.")
                for statement in statements:
                    cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS(f"{role}: 권한을 설정했습니다 (열람기록은 조회·추가만)."))

    def _ensure_role(self, cursor, role: str, password_env: str) -> None:
        password = os.environ.get(password_env, "")
        if not password:
            raise CommandError(f"환경 변수 {password_env}에 비밀번호가 없습니다.")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        verb = "ALTER" if cursor.fetchone() else "CREATE"
        cursor.execute(
            sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s").format(sql.Identifier(role)),
            [password],
        )
