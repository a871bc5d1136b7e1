"""Moving Care SOS out of `cases` into its own app keeps every row.

The test migrates the database back to where it was before the move (`cases.0004`, no
`care_sos` migrations), writes a row into every Care SOS table through the *historical*
`cases` models, and migrates forward again. Every row must still be there with the same id,
the content types must have kept their ids (so permissions and admin log entries still point
at the right rows), and the append-only triggers must be installed under their new ids.
"""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.care_sos.models import CareProvider, CareRequest
from chatdong.accounts.roles import Role
from chatdong.policy.models import PolicyThreshold
from tests.factories import (
    CrisisReportFactory,
    DongFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
)

BEFORE_MOVE = [("cases", "0004_care_sos_seeds")]
MODELS = (
    "approval", "careassessment", "careplan", "careplanline", "careprovider", "carerequest", "carerequestevent",
    "caresoswarning", "servicedelivery",
)
TABLES = (*(f"cases_{model}" for model in MODELS), "cases_carerequest_care_managers", "cases_carerequest_visited_by")
OLD_TRIGGERS = {
    ("cases_approval", "pgtrigger_approval_append_only_e9a5f"),
    ("cases_carerequestevent", "pgtrigger_carerequestevent_append_only_03ad3"),
}
NEW_TRIGGERS = {
    ("cases_approval", "pgtrigger_approval_append_only_0dd86"),
    ("cases_carerequestevent", "pgtrigger_carerequestevent_append_only_ccea9"),
}


def _migrate(targets):
    """Migrate to `targets` (None: every app's latest) and return the apps of that state."""
    executor = MigrationExecutor(connection)
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _rows() -> dict[str, list[int]]:
    with connection.cursor() as cursor:
        rows = {}
        for table in TABLES:
            cursor.execute(f'SELECT id FROM "{table}" ORDER BY id')  # noqa: S608 - table names are constants
            rows[table] = [row[0] for row in cursor.fetchall()]
        return rows


def _triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        # Care SOS's tables only: other `cases` tables have append-only triggers of their own.
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE tgname LIKE 'pgtrigger_%%append_only%%' AND tgrelid::regclass::text = ANY(%s)",
            [list(TABLES)],
        )
        return set(cursor.fetchall())


def _content_types() -> dict[str, tuple[int, str]]:
    return {ct.model: (ct.pk, ct.app_label) for ct in ContentType.objects.filter(model__in=MODELS)}


def _write_one_row_per_table(old_apps, *, dong, manager, coordinator, household, resident, report, policy):
    """Every Care SOS table gets a row, written through the `cases` models of before the move."""
    model = lambda name: old_apps.get_model("cases", name)  # noqa: E731
    now = timezone.now()
    today = timezone.localdate()
    provider = model("CareProvider").objects.create(
        name="이동 전 제공기관", kind="other", care_kinds=["daily"], gu_id=dong.gu_id, dong_id=dong.pk,
    )
    request = model("CareRequest").objects.create(
        dong_id=dong.pk, household_id=household.pk, resident_id=resident.pk, crisis_report_id=report.pk,
        channel="phone", reason_kind="other", reason="이동 전 신청", informal_carer="none", status="in_service",
        received_at=now - datetime.timedelta(days=3), received_by_id=manager.pk,
        visit_deadline_hours=72, visit_deadline_policy_id=policy.pk, due_soon_hours=24, due_soon_policy_id=policy.pk,
        visit_due_at=now, due_soon_at=now - datetime.timedelta(days=1), visited_at=now - datetime.timedelta(days=2),
    )
    request.care_managers.add(manager.pk)
    request.visited_by.add(manager.pk)
    model("CareRequestEvent").objects.create(request_id=request.pk, transition="receive", to_status="received",
                                             actor_id=manager.pk)
    model("CareAssessment").objects.create(request_id=request.pk, care_kinds=["daily"], assessed_by_id=manager.pk,
                                           assessed_at=now)
    plan = model("CarePlan").objects.create(
        request_id=request.pk, period_start=today, period_end=today, total_cost=30_000, public_amount=30_000,
        created_by_id=manager.pk, submission_no=1,
    )
    line = model("CarePlanLine").objects.create(
        plan_id=plan.pk, kind="daily", service="cleaning", provider_id=provider.pk, quantity=1, unit="case",
        unit_cost=30_000, amount=30_000, start_on=today, end_on=today,
    )
    model("Approval").objects.create(
        request_id=request.pk, plan_id=plan.pk, submission_no=1, decision="approved", decided_by_id=coordinator.pk,
        total_cost=30_000, self_pay_amount=0,
    )
    model("ServiceDelivery").objects.create(
        request_id=request.pk, line_id=line.pk, provider_id=provider.pk, delivered_on=today, quantity=1, cost=30_000,
        result_note="청소 완료", recorded_by_id=manager.pk,
    )
    model("CareSosWarning").objects.create(request_id=request.pk, kind="due_soon", recipients=[manager.pk])
    return provider, request


@pytest.mark.django_db(transaction=True)
def test_moving_care_sos_into_its_own_app_keeps_every_row():
    dong = DongFactory()
    manager = UserFactory(role=Role.CARE_MANAGER, dong=dong)
    coordinator = UserFactory(role=Role.GU_COORDINATOR, gu=dong.gu)
    household = HouseholdFactory(dong=dong)
    resident = ResidentFactory(household=household)
    report = CrisisReportFactory(dong=dong, household=household)
    policy = PolicyThreshold.objects.create(
        key="test.care_sos_move", value=72, valid_from=datetime.date(2020, 1, 1), source="시험",
    )
    content_types = _content_types()
    assert {app for _, app in content_types.values()} == {"care_sos"}
    permissions = set(Permission.objects.filter(content_type__model__in=MODELS).values_list("pk", "content_type"))
    assert len(permissions) == 4 * len(MODELS)

    try:
        old_apps = _migrate(BEFORE_MOVE)
        # Back before the move: the models are `cases` models again, content types included.
        assert _triggers() == OLD_TRIGGERS
        assert _content_types() == {model: (pk, "cases") for model, (pk, _) in content_types.items()}
        provider, request = _write_one_row_per_table(
            old_apps, dong=dong, manager=manager, coordinator=coordinator, household=household, resident=resident,
            report=report, policy=policy,
        )
        old_log = LogEntry.objects.create(
            user_id=coordinator.pk, content_type_id=content_types["careprovider"][0], object_id=str(provider.pk),
            object_repr=provider.name, action_flag=ADDITION,
        )
        before = _rows()
        assert all(before.values()), f"a Care SOS table has no row: {before}"
    finally:
        _migrate(None)

    assert _rows() == before
    assert _content_types() == content_types
    assert not ContentType.objects.filter(app_label="cases", model__in=MODELS).exists()
    assert set(Permission.objects.filter(content_type__model__in=MODELS).values_list("pk", "content_type")) == permissions
    assert _triggers() == NEW_TRIGGERS

    # The rows read back through the moved models, relations and admin log included.
    moved = CareRequest.objects.get(pk=request.pk)
    assert list(moved.care_managers.values_list("pk", flat=True)) == [manager.pk]
    assert moved.plan.lines.get().provider_id == provider.pk
    assert moved.approvals.count() == moved.events.count() == moved.deliveries.count() == moved.warnings.count() == 1
    assert LogEntry.objects.get(pk=old_log.pk).get_edited_object() == CareProvider.objects.get(pk=provider.pk)
    view = Permission.objects.get_by_natural_key("view_carerequest", "care_sos", "carerequest")
    assert (view.pk, view.content_type_id) in permissions

    # The append-only guards still hold after being re-installed under their new ids.
    for table in ("cases_approval", "cases_carerequestevent"):
        with (
            pytest.raises(DatabaseError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - table names are constants
