"""열람기록 is append-only: the database refuses UPDATE and DELETE, whoever asks."""

import pytest
from django.db import InternalError, connection, transaction
from django.test import RequestFactory

from chatdong.accounts.roles import Role
from chatdong.audit.context import bound, context_for
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db):
    user = UserFactory(role=Role.PLANNER)
    return log_access(user=user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=41, reason="정기 모니터링")


def test_log_access_records_user_ip_path_and_reason(db):
    user = UserFactory(role=Role.PLANNER)
    request = RequestFactory().get("/cases/households/41/?tab=members", REMOTE_ADDR="10.1.2.3")
    request.user = user
    with bound(context_for(request)):
        row = log_access(
            user=user,
            subject_type=AccessLog.Subject.RESIDENT,
            subject_id=7,
            household_id=41,
            action=AccessLog.Action.EXPORT,
            reason="사례회의 자료 출력",
        )
    row.refresh_from_db()
    assert row.user == user
    assert row.ip == "10.1.2.3"
    assert row.path == "/cases/households/41/?tab=members"
    assert row.reason == "사례회의 자료 출력"
    assert (row.subject_type, row.subject_id, row.household_id, row.action) == ("resident", 7, 41, "export")
    assert row.at is not None


def test_household_views_record_the_household_id(entry):
    assert entry.household_id == 41
    assert entry.ip is None and entry.path == ""


def test_anonymous_request_is_logged_without_user(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/report/", REMOTE_ADDR="10.9.9.9")
    request.user = AnonymousUser()
    with bound(context_for(request)):
        row = log_access(user=request.user, subject_type=AccessLog.Subject.REPORT, subject_id=None)
    assert row.user is None and row.ip == "10.9.9.9"


def test_long_reason_is_cut_to_the_column(db):
    row = log_access(subject_type=AccessLog.Subject.LIST, subject_id=None, reason="가" * 400)
    assert len(row.reason) == 300


def test_orm_update_is_refused(entry):
    entry.reason = "고친 사유"
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        entry.save()
    with pytest.raises(InternalError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(reason="고친 사유")
    entry.refresh_from_db()
    assert entry.reason == "정기 모니터링"


def test_orm_delete_is_refused(entry):
    with pytest.raises(InternalError), transaction.atomic():
        entry.delete()
    with pytest.raises(InternalError), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslog SET reason = 'x' WHERE id = %s",
        "UPDATE audit_accesslog SET user_id = NULL WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
    ],
)
def test_raw_sql_update_and_delete_are_refused(entry, statement):
    import psycopg2

    with pytest.raises(InternalError) as info, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    assert isinstance(info.value.__cause__, psycopg2.errors.RaiseException)
    entry.refresh_from_db()
    assert entry.reason == "정기 모니터링"


def test_inserts_keep_working(entry):
    log_access(subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=42)
    assert AccessLog.objects.count() == 2


def test_access_log_admin_is_read_only(client, entry):
    from django.urls import reverse

    client.force_login(UserFactory(role=Role.ADMIN))
    assert client.get(reverse("admin:audit_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:audit_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk).exists()
