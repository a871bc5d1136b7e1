"""Where the current request came from, for the access log — without passing the request down.

Services take an actor, not a request. The audit trail still needs the client IP, the path
and a request id, so `RequestContextMiddleware` binds them here for the length of one request
and `log_access` reads them. Celery tasks and management commands bind nothing: their rows
carry no IP or path, as before.
"""

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only when it cannot smuggle anything into headers or log lines.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{8,64}")
PATH_MAX = 500


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    path: str = ""
    request_id: str = ""


NO_REQUEST = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("chatdong_request_context", default=NO_REQUEST)


def current() -> RequestContext:
    """The request being served on this thread/task, or `NO_REQUEST` (empty fields)."""
    return _current.get()


def request_id_for(incoming: str | None) -> str:
    """The caller's X-Request-ID when it looks sane, otherwise a fresh uuid4 hex."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def context_for(request) -> RequestContext:
    # Imported here: the IP rule lives with the rest of the audit code, which imports this module.
    from chatdong.audit.services import client_ip

    return RequestContext(
        ip=client_ip(request),
        path=request.get_full_path()[:PATH_MAX],
        request_id=request_id_for(request.headers.get(REQUEST_ID_HEADER)),
    )


@contextlib.contextmanager
def bound(context: RequestContext) -> Iterator[RequestContext]:
    """Make `context` current inside the block and restore the previous one afterwards."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class RequestContextMiddleware:
    """Binds the request's IP, path and id for the audit log; echoes the id as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bound(context_for(request)) as context:
            request.request_id = context.request_id
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = context.request_id
        return response
