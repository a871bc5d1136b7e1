"""Property-based fuzzing of the real OpenAPI schema (schemathesis) against the WSGI app in-process.

Every operation is called with generated valid and invalid input, authenticated with a
planner's token, and must never answer 5xx; the status code, content type, headers and
body must match what the schema documents. Bounded and seeded so it runs in about a
minute and a failure reproduces.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chatdong.accounts.roles import Role
from chatdong.wsgi import application
from tests.security.world import build_world

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.phases.update(phases=["examples", "fuzzing"])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def planner_token(db, settings):
    """A planner with real data in scope (and data out of scope) and a token to call with."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    # The WSGI handler would close the test's connection (and its open transaction) after
    # each request; the Django test client does the same disconnect.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield Token.objects.create(user=world.users[Role.PLANNER]).key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, planner_token):
    case.call_and_validate(headers={"Authorization": f"Token {planner_token}"}, checks=CHECKS)
