"""Bulk loading with PostgreSQL COPY: text encoding, column plans, and a streaming writer.

`CopyTarget` names the columns the generator fills and fills every other column of the model
with its default, so a field added to the model later does not break the generator. The
`CopyWriter` runs `COPY … FROM STDIN` on a background thread: while PostgreSQL ingests one
chunk, Python generates the next (psycopg2 releases the GIL while it waits on the server).
"""

import datetime
import io
import json
import queue
import threading
from collections.abc import Sequence
from decimal import Decimal

from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone


class CopyError(Exception):
    """A table cannot be loaded by COPY (a required column without a default)."""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value)
        return _escape("{" + items + "}")
    if isinstance(value, dict):
        return _escape(json.dumps(value, ensure_ascii=False))
    return _escape(str(value))


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed:
        return ""
    raise CopyError(
        f"{field.model._meta.db_table}.{field.column} 열은 기본값이 없어 대량 적재(COPY)로 채울 수 없습니다."
    )


class CopyTarget:
    """`COPY table (columns…) FROM STDIN` for a model: the generator supplies `columns` (attnames,
    in order) and `line()` appends the model defaults of every other column."""

    def __init__(self, model, columns: Sequence[str]):
        opts = model._meta
        now = timezone.now()
        given = [opts.get_field(name) for name in columns]
        given_names = {f.attname for f in given}
        rest = [
            f for f in opts.concrete_fields
            if f.attname not in given_names and not f.primary_key
            and getattr(f, "db_default", NOT_PROVIDED) is NOT_PROVIDED and not getattr(f, "generated", False)
        ]
        self.table = opts.db_table
        column_sql = ", ".join(f'"{f.column}"' for f in [*given, *rest])
        self.sql = f'COPY "{self.table}" ({column_sql}) FROM STDIN'
        self.suffix = "".join("\t" + copy_value(_default(f, now)) for f in rest) + "\n"

    def line(self, values: Sequence[str]) -> str:
        """A row from already-encoded values (see `copy_value`)."""
        return "\t".join(values) + self.suffix


class CopyWriter:
    """Feeds text chunks to COPY on one background thread, in order, over one connection.

    While the writer is open the caller must not use the connection itself; `close()` waits
    for the last chunk and re-raises any database error in the caller's thread.
    """

    _STOP = object()

    def __init__(self, raw_connection, *, depth: int = 2):
        self._connection = raw_connection
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self.rows = 0
        self._thread = threading.Thread(target=self._run, name="copy-writer", daemon=True)
        self._thread.start()

    def _run(self):
        cursor = self._connection.cursor()
        try:
            while True:
                item = self._queue.get()
                if item is self._STOP:
                    return
                if self._error is None:
                    sql, text = item
                    try:
                        cursor.copy_expert(sql, io.StringIO(text), size=1 << 20)
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller in close()
                        self._error = exc
        finally:
            cursor.close()

    def put(self, target: CopyTarget, lines: list[str]) -> None:
        if self._error is not None:
            self.close()
        if lines:
            self._queue.put((target.sql, "".join(lines)))
            self.rows += len(lines)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(self._STOP)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
