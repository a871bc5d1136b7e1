"""Send `chatdong.ping` to the Celery workers and wait for the answer (health check)."""

import time
import uuid

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.core.management.base import BaseCommand, CommandError
from kombu.exceptions import OperationalError

from chatdong.celery import app


class Command(BaseCommand):
    help = "Celery 작업자에게 chatdong.ping 작업을 보내고 같은 값이 돌아오는지 확인합니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=60.0, help="응답을 기다릴 최대 시간(초), 기본 60"
        )

    def handle(self, *args, timeout: float, **options):
        if app.conf.task_always_eager:
            raise CommandError("CELERY_TASK_ALWAYS_EAGER가 켜져 있어 작업자를 확인할 수 없습니다.")
        value = f"ping-{uuid.uuid4().hex}"
        started = time.monotonic()
        try:
            result = app.send_task("chatdong.ping", args=[value])
        except OperationalError as exc:
            raise CommandError(f"Celery 브로커에 연결할 수 없습니다: {exc}") from exc
        try:
            answer = result.get(timeout=timeout)
        except CeleryTimeoutError as exc:
            raise CommandError(
                f"{timeout:.0f}초 안에 Celery 작업자가 응답하지 않았습니다 (작업 {result.id})."
            ) from exc
        finally:
            result.forget()
        if answer != value:
            raise CommandError(f"Celery 응답이 보낸 값과 다릅니다: 보낸 값 {value}, 받은 값 {answer!r}")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Celery 응답 확인: {answer} ({elapsed:.2f}초)"))
