"""Activity alerts: the signed webhook and the periodic inactivity check."""

import datetime
import json
import time

import pytest
from django.utils import timezone

from cases.models import NoResponseProcedure, RiskTier
from outreach.models import (
    ActivityDevice,
    ActivityEvent,
    CampaignKind,
    DeviceKind,
    SweepRun,
    TaskPriority,
    VisitTask,
)
from outreach.services.activity import check_inactivity
from outreach.views.webhooks import sign
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory
from tests.outreach.factories import ActivityDeviceFactory

SECRET = "test-webhook-secret-0123456789"
URL = "/webhooks/activity/"


@pytest.fixture(autouse=True)
def webhook_env(settings, outreach_policy):
    settings.ACTIVITY_WEBHOOK_SECRET = SECRET


@pytest.fixture
def device(db):
    household = HouseholdFactory(dong=DongFactory())
    ResidentFactory(household=household)
    return ActivityDeviceFactory(household=household, kind=DeviceKind.IOT,
                                 last_activity_at=timezone.now() - datetime.timedelta(hours=10))


def post(client, payload, *, secret=SECRET, timestamp=None, body=None, signature=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signature or sign(secret, timestamp, body)
    return client.post(URL, data=body, content_type="application/json",
                       HTTP_X_CHATDONG_TIMESTAMP=timestamp, HTTP_X_CHATDONG_SIGNATURE=signature)


def event(device, event_id, *, kind="checkin", at=None):
    at = at or timezone.now()
    return {"event_id": event_id, "device_id": device.external_id, "kind": kind, "occurred_at": at.isoformat()}


def snapshot(device):
    device.refresh_from_db()
    return (ActivityEvent.objects.count(), VisitTask.objects.count(), device.last_activity_at, device.last_event_at)


def test_good_request_moves_last_activity(client, device):
    at = timezone.now() - datetime.timedelta(minutes=1)
    response = post(client, {"events": [event(device, "e1", at=at)]})
    assert response.status_code == 200, response.content
    assert response.json() == {"received": 1, "stored": 1, "duplicates": 0, "alerts_created": 0}
    device.refresh_from_db()
    assert device.last_activity_at == at


@pytest.mark.parametrize("case", ["bad_signature", "wrong_secret", "no_headers", "old_timestamp", "future_timestamp"])
def test_unauthenticated_requests_change_nothing(client, device, case):
    before = snapshot(device)
    payload = {"events": [event(device, "x1")]}
    if case == "bad_signature":
        response = post(client, payload, signature="sha256=" + "0" * 64)
    elif case == "wrong_secret":
        response = post(client, payload, secret="someone-else")
    elif case == "no_headers":
        response = client.post(URL, data=json.dumps(payload), content_type="application/json")
    elif case == "old_timestamp":
        response = post(client, payload, timestamp=int(time.time()) - 600)
    else:
        response = post(client, payload, timestamp=int(time.time()) + 600)
    assert response.status_code == 401
    assert snapshot(device) == before


def test_replayed_request_is_refused(client, device):
    body = json.dumps({"events": [event(device, "r1")]}).encode()
    timestamp = str(int(time.time()))
    first = post(client, None, body=body, timestamp=timestamp)
    assert first.status_code == 200
    before = snapshot(device)
    replay = post(client, None, body=body, timestamp=timestamp)
    assert replay.status_code == 409
    assert snapshot(device) == before


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"events": []}',
        b'{"events": [{"event_id": "m1", "device_id": "DEV", "kind": "dance", "occurred_at": "2025-01-01T00:00:00+09:00"}]}',
        b'{"events": [{"event_id": "m2", "device_id": "DEV", "kind": "checkin", "occurred_at": "yesterday"}]}',
        b'{"events": [{"event_id": "m3", "device_id": "DEV", "kind": "checkin", "occurred_at": "2025-01-01T00:00:00"}]}',
        b'{"events": [{"device_id": "DEV", "kind": "checkin", "occurred_at": "2025-01-01T00:00:00+09:00"}]}',
        b'{"events": [{"event_id": "m4", "device_id": "DEV", "kind": "checkin", "occurred_at": "2999-01-01T00:00:00+09:00"}]}',
    ],
)
def test_malformed_body_changes_nothing(client, device, body):
    body = body.replace(b'"DEV"', f'"{device.external_id}"'.encode())
    # one good event first in the same batch: it must not be written either
    if body.startswith(b'{"events": [{'):
        good = json.dumps(event(device, "good-1")).encode()
        body = body.replace(b'{"events": [', b'{"events": [' + good + b", ", 1)
    before = snapshot(device)
    response = post(client, None, body=body)
    assert response.status_code == 400, response.content
    assert snapshot(device) == before


def test_unknown_device_changes_nothing(client, device):
    before = snapshot(device)
    payload = {"events": [event(device, "u1"), {**event(device, "u2"), "device_id": "NO-SUCH-DEVICE"}]}
    response = post(client, payload)
    assert response.status_code == 422
    assert response.json()["devices"] == ["NO-SUCH-DEVICE"]
    assert snapshot(device) == before


def test_out_of_order_and_duplicate_events_are_harmless(client, device):
    now = timezone.now()
    late, early = now - datetime.timedelta(minutes=5), now - datetime.timedelta(hours=5)
    assert post(client, {"events": [event(device, "o1", at=late)]}).status_code == 200
    response = post(client, {"events": [event(device, "o2", at=early), event(device, "o1", at=late)]})
    assert response.json() == {"received": 2, "stored": 1, "duplicates": 1, "alerts_created": 0}
    device.refresh_from_db()
    assert device.last_activity_at == late  # never moved backwards
    assert ActivityEvent.objects.filter(device=device).count() == 2


def test_thousand_duplicate_alerts_make_one_task(client, device):
    device.household.risk_tier = RiskTier.HIGH
    device.household.save()
    alerts = [event(device, f"alert-{i % 10}", kind="inactivity_alert") for i in range(1000)]
    first = post(client, {"events": alerts})
    assert first.status_code == 200
    assert first.json()["stored"] == 10 and first.json()["alerts_created"] == 1
    for i in range(5):  # the sender retries, re-signed, with fresh ids for the same silence
        retry = post(client, {"events": [event(device, f"again-{i}-{j}", kind="inactivity_alert") for j in range(200)]})
        assert retry.status_code == 200 and retry.json()["alerts_created"] == 0
    tasks = VisitTask.objects.filter(household=device.household)
    assert tasks.count() == 1
    task = tasks.get()
    assert task.priority == TaskPriority.URGENT and task.campaign.kind == CampaignKind.ACTIVITY
    assert task.due_on == timezone.localdate()
    # 위험 household: the no-response procedure started, once
    assert NoResponseProcedure.objects.filter(household=device.household, status="open").count() == 1


def test_periodic_check_one_task_per_silence(device):
    silent_long = ActivityDeviceFactory(kind=DeviceKind.MOBILE, last_activity_at=timezone.now() - datetime.timedelta(hours=73))
    ResidentFactory(household=silent_long.household)
    never = ActivityDeviceFactory(kind=DeviceKind.IOT)  # never reported: silence counts from registration
    ActivityDevice.objects.filter(pk=never.pk).update(registered_at=timezone.now() - datetime.timedelta(days=4))
    inactive = ActivityDeviceFactory(active=False, last_activity_at=timezone.now() - datetime.timedelta(days=9))
    first = check_inactivity()
    assert first.run.status == SweepRun.Status.SUCCEEDED
    households = set(VisitTask.objects.values_list("household_id", flat=True))
    assert households == {silent_long.household_id, never.household_id}
    assert inactive.household_id not in households and device.household_id not in households
    for _ in range(3):
        assert check_inactivity().result.created == 0
    # The household is visited (task closed); the device stays silent: still the same episode.
    VisitTask.objects.filter(household=silent_long.household).update(status="done")
    assert check_inactivity().result.created == 0
    # A sign of life, then silence again for 73 hours: a new episode, a new task.
    ActivityDevice.objects.filter(pk=silent_long.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(hours=73, minutes=-5)
    )
    assert check_inactivity().result.created == 1
    assert VisitTask.objects.filter(household=silent_long.household).count() == 2


def test_silence_is_measured_on_the_application_clock(device):
    """The events are stamped by the application; the check must measure silence on the same
    clock, not the database server's (which may run behind or ahead of it)."""
    import time_machine

    later = timezone.now() + datetime.timedelta(days=5)  # the device's last sign: 10 h before now
    with time_machine.travel(later, tick=False):
        assert check_inactivity().result.created == 1
    assert VisitTask.objects.get().household_id == device.household_id


# --- hostile input with a valid signature ------------------------------------------------------

def _nonce_spent(body: bytes, timestamp: str) -> bool:
    from django.core.cache import cache

    from outreach.views.webhooks import NONCE_PREFIX

    return cache.get(NONCE_PREFIX + sign(SECRET, timestamp, body).removeprefix("sha256=")) is not None


def test_huge_timestamp_is_a_400_not_a_500(client, device):
    before = snapshot(device)
    body = json.dumps({"events": [event(device, "t1")]}).encode()
    timestamp = "9" * 400
    response = post(client, None, body=body, timestamp=timestamp)
    assert response.status_code == 400 and "Unix 시각" in response.json()["error"]
    assert snapshot(device) == before
    assert not _nonce_spent(body, timestamp)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400_and_keeps_the_nonce(client, device, depth):
    before = snapshot(device)
    body = b'{"events": ' + b"[" * depth + b"]" * depth + b"}"
    timestamp = str(int(time.time()))
    response = post(client, None, body=body, timestamp=timestamp)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert snapshot(device) == before
    assert not _nonce_spent(body, timestamp)


def test_refused_body_does_not_burn_the_nonce_but_a_good_one_does(client, device):
    timestamp = str(int(time.time()))
    bad = b"not json"
    assert post(client, None, body=bad, timestamp=timestamp).status_code == 400
    assert post(client, None, body=bad, timestamp=timestamp).status_code == 400  # not 409: nothing was spent
    good = json.dumps({"events": [event(device, "n1")]}).encode()
    assert post(client, None, body=good, timestamp=timestamp).status_code == 200
    assert _nonce_spent(good, timestamp)
    assert post(client, None, body=good, timestamp=timestamp).status_code == 409


@pytest.mark.parametrize("at", ["0179-03-01T10:00:00+09:00", "2017-12-31T23:59:59+09:00", "2025-13-01T00:00:00+09:00",
                                "2025-01-01T00:00:00+99:00"])
def test_event_times_out_of_range_are_a_400(client, device, at):
    before = snapshot(device)
    response = post(client, {"events": [{**event(device, "y1"), "occurred_at": at}]})
    assert response.status_code == 400, response.content
    assert snapshot(device) == before
