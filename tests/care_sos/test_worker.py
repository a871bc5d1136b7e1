"""The deadline warnings through a real Celery worker on Redis: the task sent twice at once,
and again later, warns once. E-mails are counted from the worker's file-based mail backend
(the test process cannot see a worker's mail.outbox)."""

import datetime
import os
import subprocess
import time
import uuid

import pytest
from django.utils import timezone

from cases.care_sos.models import CareSosWarning
from cases.care_sos.tasks import care_sos_escalate
from chatdong.notifications.models import Notification
from tests import clock
from tests.celery_worker import REPO_ROOT, _stop, database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_worker(tmp_path):
    """A prefork worker (2 processes) on a queue of its own, mailing into files under tmp_path."""
    from celery.exceptions import TimeoutError as CeleryTimeoutError
    from django.conf import settings
    from django.db import connections

    from chatdong.celery import app

    queue = f"care-sos-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url(connections["default"].settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": app.conf.broker_url,
        "CELERY_RESULT_BACKEND": app.conf.result_backend,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    })
    log_path = tmp_path / "worker.log"
    args = [
        *clock.celery_command(), "-A", "chatdong", "worker", "--loglevel", "info", "--pool", "prefork",
        "--concurrency", "2", "--queues", queue, "--hostname", f"care-sos-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, cwd=REPO_ROOT, env=clock.subprocess_env(env), stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"worker exited:\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                value = uuid.uuid4().hex
                if app.send_task("chatdong.ping", args=[value], queue=queue).get(timeout=2) == value:
                    break
            except CeleryTimeoutError:
                if time.monotonic() > deadline:
                    pytest.fail(f"worker did not answer:\n{log_path.read_text(errors='replace')[-3000:]}")
        yield queue, mail_dir
    finally:
        _stop(process)


def mails(mail_dir) -> list[str]:
    return [p.read_text(errors="replace") for p in sorted(mail_dir.iterdir())]


def test_escalation_through_a_real_worker_warns_once(mail_worker, make_request, care_manager, care_nurse,
                                                     team_leader, coordinator):
    queue, mail_dir = mail_worker
    now = timezone.now()
    due_soon = make_request(received_at=now - datetime.timedelta(hours=60), care_managers=[care_manager])
    overdue = make_request(received_at=now - datetime.timedelta(hours=80), care_managers=[care_nurse])

    results = [care_sos_escalate.apply_async(queue=queue) for _ in range(2)]  # two at once (2 processes)
    answers = [r.get(timeout=60) for r in results]
    assert sorted(a["due_soon"] for a in answers) == [0, 1]
    assert sorted(a["overdue"] for a in answers) == [0, 1]
    again = care_sos_escalate.apply_async(queue=queue).get(timeout=60)
    assert (again["due_soon"], again["overdue"]) == (0, 0)

    assert set(CareSosWarning.objects.values_list("request_id", "kind")) == {
        (due_soon.pk, "due_soon"), (overdue.pk, "overdue")}
    soon_users = set(Notification.objects.filter(kind="care_sos.due_soon").values_list("user_id", flat=True))
    late_users = set(Notification.objects.filter(kind="care_sos.overdue").values_list("user_id", flat=True))
    assert soon_users == {care_manager.pk, team_leader.pk}
    assert late_users == {coordinator.pk, care_nurse.pk, team_leader.pk}

    # The e-mails leave after the commit, in the worker: one per recipient with an address.
    deadline = time.monotonic() + 20
    while len(mails(mail_dir)) < 5 and time.monotonic() < deadline:
        time.sleep(0.2)
    texts = mails(mail_dir)
    messages = [m for text in texts for m in text.split("-" * 79) if "Subject:" in m]
    assert len(messages) == 5, texts
    assert sum("To: gu@example.org" in m for m in messages) == 1
    assert sum("To: leader@example.org" in m for m in messages) == 2  # due soon + overdue
