"""Deadline warnings for the 72-hour visit (DOMAIN §8), run by the beat task every few minutes.

- due soon (the last `care_sos.due_soon_hours` before the deadline, version fixed at intake):
  the request's care managers and the dong's team leader;
- overdue: the gu care-support team (and the same dong team).

Each warning is sent exactly once: a `CareSosWarning` row per (request, kind) is claimed with
INSERT … ON CONFLICT DO NOTHING in the same transaction as the in-app notifications, and the
e-mails leave only after that transaction commits. A second run — or a retried task, or two
runs at once — finds the rows taken and sends nothing. Whether a request is due soon or
overdue is decided from its stored timestamps and the time of the run, so warnings catch up
correctly after beat or the workers were down.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from cases.care_sos.models import AWAITING_VISIT, CareRequest, CareSosWarning, WarningKind
from cases.care_sos.selectors import hours_text
from cases.care_sos.services.common import (
    care_request_url,
    dong_team,
    gu_coordinators,
    month_day_time,
)
from chatdong.notifications.services import notify


def _awaiting():
    return CareRequest.objects.filter(status__in=sorted(AWAITING_VISIT), visited_at__isnull=True)


def _claim(kind: str, requests) -> list[int]:
    """Insert a warning row for each request not warned of `kind` yet; return the ids taken."""
    select_sql, params = requests.values_list("pk").order_by().query.sql_with_params()
    table = CareSosWarning._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (request_id, kind, created_at, recipients)
            SELECT due.id, %s, %s, '{{}}' FROM ({select_sql}) AS due(id)
            ON CONFLICT (request_id, kind) DO NOTHING
            RETURNING request_id
            """,
            [kind, timezone.now(), *params],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _message(care_request: CareRequest, kind: str, now: datetime.datetime) -> tuple[str, str]:
    due = timezone.localtime(care_request.visit_due_at)
    left = hours_text(care_request.visit_due_at - now)
    if kind == WarningKind.DUE_SOON:
        title = f"[기한 임박] 돌봄SOS {care_request.number} 방문 기한 {left}"
        body = (
            f"{care_request.dong} 돌봄SOS {care_request.number}의 돌봄매니저 방문 기한은 {month_day_time(due)}입니다"
            f" ({left}). 방문 일정을 확인해 주세요."
        )
    else:
        title = f"[기한 지남] 돌봄SOS {care_request.number} 방문 기한 {left}"
        body = (
            f"{care_request.dong} 돌봄SOS {care_request.number}의 돌봄매니저 방문 기한({month_day_time(due)})이 "
            f"지났습니다 ({left}). 방문 여부를 확인해 주세요."
        )
    return title, body


def care_sos_escalate(*, now: datetime.datetime | None = None) -> dict:
    """Claim and send every due-soon and overdue warning not sent yet. Returns the counts."""
    now = now or timezone.now()
    sent = {WarningKind.DUE_SOON.value: [], WarningKind.OVERDUE.value: []}
    with transaction.atomic():
        claims = {
            WarningKind.DUE_SOON: _claim(
                WarningKind.DUE_SOON, _awaiting().filter(due_soon_at__lte=now, visit_due_at__gt=now)
            ),
            WarningKind.OVERDUE: _claim(WarningKind.OVERDUE, _awaiting().filter(visit_due_at__lte=now)),
        }
        for kind, ids in claims.items():
            if not ids:
                continue
            for care_request in CareRequest.objects.filter(pk__in=ids).select_related("dong__gu").order_by("pk"):
                users = dong_team(care_request)
                if kind == WarningKind.OVERDUE:
                    users = gu_coordinators(care_request) + users
                title, body = _message(care_request, kind, now)
                notified = notify(
                    users=users, kind=f"care_sos.{kind}", title=title, body=body,
                    url=care_request_url(care_request), dedupe_key=f"care_sos:{care_request.pk}:{kind}", email=True,
                )
                CareSosWarning.objects.filter(request=care_request, kind=kind).update(recipients=notified)
                sent[kind.value].append(care_request.pk)
    return {"due_soon": len(sent["due_soon"]), "overdue": len(sent["overdue"]),
            "requests": sent, "at": now.isoformat()}
