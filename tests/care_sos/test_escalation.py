"""Deadline warnings (the beat task's service) on a frozen clock: due soon → the care managers
and the team leader, overdue → the gu care-support team; in-app and by e-mail; each warning
exactly once, however often the task runs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases.care_sos.models import CareSosWarning
from cases.care_sos.services.escalation import care_sos_escalate
from cases.care_sos.services.visits import care_request_record_visit
from cases.care_sos.tasks import care_sos_escalate as escalate_task
from chatdong.notifications.models import Notification

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the escalation at `hours` after T0, executing the after-commit e-mails."""

    def _run(hours):
        with time_machine.travel(T0 + datetime.timedelta(hours=hours), tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            return care_sos_escalate()

    return _run


def recipients(kind) -> set[int]:
    return set(Notification.objects.filter(kind=f"care_sos.{kind}").values_list("user_id", flat=True))


def test_due_soon_then_overdue_each_once(run, make_request, care_manager, care_nurse, team_leader, coordinator,
                                         coordinator2, far_coordinator, planner):
    with time_machine.travel(T0, tick=False):
        r = make_request(care_managers=[care_manager])
    mail.outbox.clear()
    assert run(47)["due_soon"] == 0 and not CareSosWarning.objects.exists()

    first = run(48)
    assert (first["due_soon"], first["overdue"]) == (1, 0)
    assert recipients("due_soon") == {care_manager.pk, team_leader.pk}  # assigned manager + team leader
    assert sorted(m.to[0] for m in mail.outbox) == ["care1@example.org", "leader@example.org"]
    assert "[기한 임박]" in mail.outbox[0].subject and "24시간 남음" in mail.outbox[0].subject
    assert r.resident.name not in mail.outbox[0].body  # no personal data leaves by e-mail

    for hours in (48, 50, 60):  # the task runs again (beat, retries): nothing new
        assert run(hours)["due_soon"] == 0
    assert len(mail.outbox) == 2 and Notification.objects.filter(kind="care_sos.due_soon").count() == 2

    second = run(72)
    assert (second["due_soon"], second["overdue"]) == (0, 1)
    assert {coordinator.pk, coordinator2.pk} <= recipients("overdue")
    assert far_coordinator.pk not in recipients("overdue") and planner.pk not in recipients("overdue")
    assert run(80)["overdue"] == 0
    warnings = list(CareSosWarning.objects.filter(request=r).order_by("kind").values_list("kind", flat=True))
    assert warnings == ["due_soon", "overdue"]
    overdue = CareSosWarning.objects.get(request=r, kind="overdue")
    assert set(overdue.recipients) == recipients("overdue")
    assert len(mail.outbox) == 2 + len(overdue.recipients)  # every recipient here has an address


def test_a_late_first_run_sends_only_the_overdue_warning(run, make_request):
    with time_machine.travel(T0, tick=False):
        make_request()
    result = run(100)  # beat was down for days
    assert (result["due_soon"], result["overdue"]) == (0, 1)
    assert not Notification.objects.filter(kind="care_sos.due_soon").exists()


def test_visited_or_closed_requests_are_not_warned(run, make_request, care_manager):
    from cases.care_sos.services.visits import care_request_withdraw

    with time_machine.travel(T0, tick=False):
        visited, withdrawn = make_request(), make_request()
    with time_machine.travel(T0 + datetime.timedelta(hours=10), tick=False):
        care_request_record_visit(actor=care_manager, care_request=visited, visited_at=timezone.now(), note="방문")
        care_request_withdraw(actor=care_manager, care_request=withdrawn, reason="가족이 돌보기로 함")
    result = run(80)
    assert (result["due_soon"], result["overdue"]) == (0, 0)
    assert not CareSosWarning.objects.exists()


def test_the_celery_task_calls_the_service(make_request, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        make_request()
    with time_machine.travel(T0 + datetime.timedelta(hours=73), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        result = escalate_task.apply().get()
    assert result["overdue"] == 1


def test_the_schedule_and_the_task_are_registered():
    from django_celery_beat.models import PeriodicTask

    from cases.care_sos.services.seeds import SCHEDULES, seed_schedules
    from chatdong.celery import app

    task = PeriodicTask.objects.get(name=SCHEDULES[0]["name"])
    assert task.task == "cases.care_sos_escalate" and task.enabled
    assert (task.interval.every, task.interval.period) == (10, "minutes")
    task.enabled = False  # an admin pauses it; a reseed (deploy) leaves that alone
    task.save()
    assert seed_schedules() == []
    assert PeriodicTask.objects.get(pk=task.pk).enabled is False
    app.loader.import_default_modules()
    assert "cases.care_sos_escalate" in app.tasks
