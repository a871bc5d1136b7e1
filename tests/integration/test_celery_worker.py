"""The live Celery worker fixture: a real worker, the real broker, the test database."""

import uuid

import pytest
from django.db import connection

from chatdong.celery import app
from tests.factories import DongFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_ping_round_trip(live_celery_worker):
    value = f"integration-{uuid.uuid4().hex}"

    result = app.send_task("chatdong.ping", args=[value])

    assert result.get(timeout=30) == value
    assert live_celery_worker.process.poll() is None


def test_worker_uses_the_test_database_and_sees_committed_rows(live_celery_worker):
    dong = DongFactory(name="통합시험동")

    probe = app.send_task("tests.integration.database_probe", args=[dong.code]).get(timeout=30)

    assert probe["database"] == connection.settings_dict["NAME"]
    assert probe["database"].startswith("test_")
    assert probe["dong_name"] == "통합시험동"
