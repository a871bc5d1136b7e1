"""The Celery app. Beat schedules live in the database (django-celery-beat)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatdong.settings")

app = Celery("chatdong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="chatdong.ping")
def ping(value: str = "pong") -> str:
    """Round-trip check used by the launcher smoke test and health checks."""
    return value
