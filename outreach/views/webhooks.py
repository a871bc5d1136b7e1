"""The activity webhook: IoT check-in devices and the mobile-activity service POST events.

Authentication is a shared secret (settings.ACTIVITY_WEBHOOK_SECRET) and an HMAC-SHA256
signature over "<timestamp>.<raw body>":

    X-Chatdong-Timestamp: 1767225600               (Unix seconds)
    X-Chatdong-Signature: sha256=<hex digest>

A request older or newer than TOLERANCE is refused, and a signature is accepted once
(its digest is kept in Redis for twice the tolerance): a replayed request is 409. The
signature is spent only after the timestamp and the whole body are found good, so a refused
request costs the sender nothing. The body is validated whole before anything is written; any bad event, or an unknown device,
rejects the whole request with a 4xx and changes nothing. Events themselves are stored
once by event_id, so a sender retrying with a fresh signature is harmless too.

Body: {"events": [{"event_id": "...", "device_id": "...", "kind": "checkin",
                   "occurred_at": "2026-01-01T09:00:00+09:00"}, ...]}   (or one event object)
"""

import datetime
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from chatdong.timebounds import before_records_message, before_records_start
from outreach.models import ActivityDevice, EventKind
from outreach.services.activity import events_ingest

TOLERANCE = datetime.timedelta(minutes=5)
MAX_EVENTS = 5000
MAX_BODY_BYTES = 2 * 1024 * 1024
# An event may claim to be this far in the future (device clocks drift).
FUTURE_SKEW = datetime.timedelta(minutes=5)
NONCE_PREFIX = "outreach:webhook:signature:"
TIMESTAMP_MAX_DIGITS = 12


def webhook_secret() -> str:
    return settings.ACTIVITY_WEBHOOK_SECRET


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value a sender computes (also used by the tests)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


def _parse_events(payload) -> tuple[list[dict], list[str]]:
    raw = payload.get("events") if isinstance(payload, dict) and "events" in payload else [payload]
    if not isinstance(raw, list) or not raw:
        return [], ["events 목록이 비어 있거나 형식이 올바르지 않습니다."]
    if len(raw) > MAX_EVENTS:
        return [], [f"한 번에 보낼 수 있는 이벤트는 {MAX_EVENTS}건까지입니다."]
    events, errors = [], []
    latest = timezone.now() + FUTURE_SKEW
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors.append(f"{i}번째 이벤트가 객체가 아닙니다.")
            continue
        event_id, device, kind, at = (item.get(k) for k in ("event_id", "device_id", "kind", "occurred_at"))
        if not isinstance(event_id, str) or not 0 < len(event_id) <= 80:
            errors.append(f"{i}번째 이벤트: event_id는 1~80자 문자열이어야 합니다.")
            continue
        if not isinstance(device, str) or not 0 < len(device) <= 80:
            errors.append(f"{i}번째 이벤트: device_id가 없습니다.")
            continue
        if kind not in EventKind.values:
            errors.append(f"{i}번째 이벤트: 알 수 없는 종류입니다({str(kind)[:30]}).")
            continue
        try:
            occurred = parse_datetime(at) if isinstance(at, str) else None
        except ValueError:  # well-formed but impossible (month 13, offset +99:00)
            occurred = None
        if occurred is None or timezone.is_naive(occurred):
            errors.append(f"{i}번째 이벤트: occurred_at은 시간대가 포함된 ISO 8601 시각이어야 합니다.")
            continue
        if before_records_start(occurred):
            errors.append(f"{i}번째 이벤트: " + before_records_message("발생 시각"))
            continue
        if occurred > latest:
            errors.append(f"{i}번째 이벤트: 발생 시각이 미래입니다.")
            continue
        events.append({"event_id": event_id, "device_id": device, "kind": kind, "occurred_at": occurred})
    return events, errors


@csrf_exempt
@require_POST
def activity_webhook(request):
    secret = webhook_secret()
    if not secret:
        return _error(503, "웹훅 비밀키(ACTIVITY_WEBHOOK_SECRET)가 설정되지 않았습니다.")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "요청 본문이 너무 큽니다.")
    timestamp = request.headers.get("X-Chatdong-Timestamp", "")
    signature = request.headers.get("X-Chatdong-Signature", "")
    if not signature.startswith("sha256="):
        return _error(401, "서명 헤더가 없거나 형식이 올바르지 않습니다.")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return _error(401, "서명이 올바르지 않습니다.")
    # Unix seconds are 10 digits until 2286; anything longer is no time at all (and a
    # 400-digit one overflows the float arithmetic below).
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_MAX_DIGITS):
        return _error(400, "X-Chatdong-Timestamp는 Unix 시각(초, 숫자)이어야 합니다.")
    if abs(time.time() - int(timestamp)) > TOLERANCE.total_seconds():
        return _error(401, "요청 시각이 허용 범위(5분)를 벗어났습니다.")
    # The whole body is checked before the nonce is spent: a request refused here changes
    # nothing, not even the sender's right to send it again.
    try:
        payload = json.loads(body.decode("utf-8"))
    except RecursionError:
        return _error(400, "본문 JSON이 너무 깊게 중첩되어 있습니다.")
    except (UnicodeDecodeError, ValueError):
        return _error(400, "본문이 올바른 JSON이 아닙니다.")
    events, errors = _parse_events(payload)
    if errors:
        return _error(400, "이벤트 형식 오류", details=errors[:50])
    nonce = NONCE_PREFIX + signature.removeprefix("sha256=")
    if not cache.add(nonce, timestamp, timeout=int(TOLERANCE.total_seconds() * 2)):
        return _error(409, "이미 처리된 요청입니다(재전송).")
    known = set(
        ActivityDevice.objects.filter(external_id__in={e["device_id"] for e in events}).values_list("external_id", flat=True)
    )
    unknown = sorted({e["device_id"] for e in events} - known)
    if unknown:
        return _error(422, "등록되지 않은 기기입니다.", devices=unknown[:50])
    try:
        result = events_ingest(events=events)
    except Exception:
        cache.delete(nonce)  # nothing was written: let the sender retry this very request
        raise
    return JsonResponse(
        {"received": result.received, "stored": result.stored, "duplicates": result.duplicates,
         "alerts_created": result.alerts_created}
    )
