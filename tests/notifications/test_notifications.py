"""In-app notifications: stored once per (user, key), e-mailed after commit only to the newly
notified, a bell with the unread count, and a list that shows only one's own."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.notifications.models import Notification
from chatdong.notifications.services import mark_read, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return UserFactory(role=Role.PLANNER, name="앨리스", email="alice@example.org")


@pytest.fixture
def bob(db):
    return UserFactory(role=Role.PLANNER, name="밥", email="")


def test_same_key_is_stored_and_mailed_once(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(users=[alice, bob], kind="t", title="제목", body="내용", url="/x/", dedupe_key="k1", email=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = notify(users=[alice, bob, alice], kind="t", title="제목", dedupe_key="k1", email=True)
    assert first == sorted([alice.pk, bob.pk]) and second == []
    assert Notification.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]  # bob has no address
    assert mail.outbox[0].subject == "[찾동] 제목" and "/x/" in mail.outbox[0].body


def test_no_mail_when_the_transaction_rolls_back(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(users=[alice], kind="t", title="취소될 알림", dedupe_key="k2", email=True)
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == [] and not Notification.objects.exists()


def test_without_a_key_notifications_repeat(alice):
    notify(users=[alice], kind="t", title="a")
    notify(users=[alice], kind="t", title="a")
    assert Notification.objects.filter(user=alice).count() == 2


def test_bell_list_open_and_read_all(client, alice, bob):
    notify(users=[alice], kind="t", title="첫 알림", url=reverse("web:home"), dedupe_key="a")
    notify(users=[alice], kind="t", title="둘째 알림", dedupe_key="b")
    notify(users=[bob], kind="t", title="밥의 알림", dedupe_key="c")
    client.force_login(alice)
    home = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="notification-count">2<' in home
    page = client.get(reverse("notifications:list")).content.decode()
    assert "첫 알림" in page and "둘째 알림" in page and "밥의 알림" not in page
    first = Notification.objects.get(title="첫 알림")
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert Notification.objects.get(pk=first.pk).read_at is not None
    bobs = Notification.objects.get(user=bob)
    assert client.post(reverse("notifications:open", args=[bobs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=bobs.pk).read_at is None
    assert 'data-testid="notification-count"' not in client.get(reverse("web:home")).content.decode()
    assert mark_read(user=alice) == 0


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
