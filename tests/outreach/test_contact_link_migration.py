"""Storing the contact–task link once keeps it: a contact that carried its task's id in the
old `Contact.visit_task_id` becomes that task's `VisitTask.contact` before the column goes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from outreach.models import VisitTask
from tests.factories import DongFactory, HouseholdFactory, UserFactory
from tests.outreach.factories import CampaignFactory

BEFORE = [("cases", "0005_care_sos_to_own_app"), ("outreach", "0003_seed_schedules")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(targets or executor.loader.graph.leaf_nodes()).apps


@pytest.mark.django_db(transaction=True)
def test_the_old_contact_link_moves_to_the_task():
    dong = DongFactory()
    planner = UserFactory(dong=dong)
    household = HouseholdFactory(dong=dong)
    campaign = CampaignFactory(dongs=[dong])
    task, untouched = (
        VisitTask.objects.create(campaign=campaign, dong=dong, household=household, due_on=timezone.localdate(),
                                 cycle=cycle)
        for cycle in ("a", "b")
    )
    try:
        old = _migrate(BEFORE)
        Contact = old.get_model("cases", "Contact")
        fields = {"household_id": household.pk, "occurred_at": timezone.now(), "created_by_id": planner.pk}
        Contact.objects.create(visit_task_id=task.pk, **fields)
        latest = Contact.objects.create(visit_task_id=task.pk, **fields)  # two named it: the latest wins
        Contact.objects.create(visit_task_id=987654321, **fields)  # a dangling id is dropped
    finally:
        _migrate(None)
    assert VisitTask.objects.get(pk=task.pk).contact_id == latest.pk
    assert VisitTask.objects.get(pk=untouched.pk).contact_id is None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'cases_contact' "
            "AND column_name = 'visit_task_id'"
        )
        assert cursor.fetchone()[0] == 0
