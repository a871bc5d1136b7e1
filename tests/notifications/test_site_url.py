"""Links in notification e-mails start with settings.SITE_URL (read in settings.py)."""

import pytest
from django.core import mail

from chatdong.notifications.services import send_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mail_link_uses_the_site_url(settings):
    settings.SITE_URL = "https://chatdong.example.go.kr"
    user = UserFactory(email="planner@example.go.kr")
    assert send_emails(user_ids=[user.pk], subject="새 과제", body="과제가 배정되었습니다.", url="/outreach/tasks/7/") == 1
    assert "바로가기: https://chatdong.example.go.kr/outreach/tasks/7/" in mail.outbox[-1].body


def test_without_a_site_url_the_link_is_relative(settings):
    settings.SITE_URL = ""
    user = UserFactory(email="planner@example.go.kr")
    send_emails(user_ids=[user.pk], subject="새 과제", body="과제가 배정되었습니다.", url="/outreach/tasks/7/")
    assert "바로가기: /outreach/tasks/7/" in mail.outbox[-1].body
