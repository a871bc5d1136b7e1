"""The activity webhook's secret is a setting (settings.ACTIVITY_WEBHOOK_SECRET), not read
from the process environment behind settings' back."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_empty_secret_setting_refuses_even_with_the_variable_in_the_environment(settings, monkeypatch):
    settings.ACTIVITY_WEBHOOK_SECRET = ""
    monkeypatch.setenv("ACTIVITY_WEBHOOK_SECRET", "set-after-settings-were-read")
    response = Client().post("/webhooks/activity/", b"{}", content_type="application/json")
    assert response.status_code == 503
