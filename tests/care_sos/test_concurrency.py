"""Two people at once, each on a real database connection of its own (threads,
transaction=True): exactly one decision per plan, and each warning sent once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cases.care_sos.models import Approval, CareRequest, CareSosWarning
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import approvals
from cases.care_sos.services.escalation import care_sos_escalate
from chatdong.notifications.models import Notification
from tests.care_sos.factories import walk

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run each call in its own thread (own connection), released together; returns
    [(result, error)] in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = (call(), None)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcomes[i] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_coordinators_approve_the_same_plan_at_once(make_request, care_manager, coordinator, coordinator2,
                                                        provider):
    r = walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    outcomes = at_once(
        lambda: approvals.care_plan_approve(actor=coordinator, care_request=CareRequest.objects.get(pk=r.pk)),
        lambda: approvals.care_plan_approve(actor=coordinator2, care_request=CareRequest.objects.get(pk=r.pk)),
    )
    wins = [result for result, error in outcomes if error is None]
    errors = [error for result, error in outcomes if error is not None]
    assert len(wins) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "이미 처리되었거나" in errors[0].messages[0] or "다른 직원이 방금" in errors[0].messages[0]
    assert Approval.objects.filter(request=r).count() == 1
    assert r.events.filter(transition="approve").count() == 1
    assert CareRequest.objects.get(pk=r.pk).status == S.APPROVED


def test_approve_and_return_at_once_leave_one_decision(make_request, care_manager, coordinator, coordinator2,
                                                       provider):
    r = walk(make_request(), to=S.SUBMITTED, actor=care_manager, provider=provider)
    outcomes = at_once(
        lambda: approvals.care_plan_approve(actor=coordinator, care_request=CareRequest.objects.get(pk=r.pk)),
        lambda: approvals.care_plan_return(actor=coordinator2, care_request=CareRequest.objects.get(pk=r.pk),
                                           comment="단가 확인 필요"),
    )
    assert sum(error is None for _, error in outcomes) == 1
    approval = Approval.objects.get(request=r)
    final = CareRequest.objects.get(pk=r.pk).status
    assert (approval.decision, final) in {("approved", S.APPROVED), ("returned", S.RETURNED)}
    assert r.events.filter(transition__in=["approve", "return_plan"]).count() == 1


def test_two_escalation_runs_at_once_warn_once(make_request, care_manager, team_leader, coordinator):
    now = timezone.now()
    due_soon = make_request(received_at=now - datetime.timedelta(hours=60))
    overdue = make_request(received_at=now - datetime.timedelta(hours=80))
    outcomes = at_once(care_sos_escalate, care_sos_escalate, care_sos_escalate)
    assert all(error is None for _, error in outcomes), outcomes
    assert sum(result["due_soon"] for result, _ in outcomes) == 1
    assert sum(result["overdue"] for result, _ in outcomes) == 1
    assert set(CareSosWarning.objects.values_list("request_id", "kind")) == {
        (due_soon.pk, "due_soon"), (overdue.pk, "overdue")}
    keys = list(Notification.objects.filter(kind__in=["care_sos.due_soon", "care_sos.overdue"])
                .values_list("user_id", "dedupe_key"))
    assert len(keys) == len(set(keys)) > 0
