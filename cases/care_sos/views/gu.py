"""Care SOS screens of the gu care-support team (돌봄지원단) and the provider registry:
the approval queue, the SLA board per dong, and the list of service providers. DOMAIN §8."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.care_sos import forms, selectors
from cases.care_sos.models import ProviderKind
from cases.care_sos.views.requests import care_sos_view
from chatdong.accounts.rules import (
    is_gu_coordinator,
    may_open_care_plan_approvals,
    may_view_care_sos_board,
)
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

PERIODS = (30, 90, 365)


@care_sos_view
@require_GET
def approval_queue(request):
    """케어플랜 승인: the gu's submitted plans, oldest first, each with its SLA history."""
    user = request.user
    if not may_open_care_plan_approvals(user):
        raise PermissionDenied("케어플랜 승인은 구 돌봄지원단의 화면입니다.")
    now = timezone.now()
    rows = list(selectors.approval_queue_for(user, now=now))
    log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None, reason="케어플랜 승인 대기 목록")
    items = [
        {"r": r, "sla": selectors.sla_of(r, now=now), "waiting": now - r.plan.submitted_at if r.plan.submitted_at else None,
         "returns": [a for a in r.approvals.all() if a.decision == "returned"]}
        for r in rows
    ]
    return render(request, "care_sos/approvals.html", {
        "items": items, "can_decide": is_gu_coordinator(user),
        "approve_form": forms.CommentForm(), "return_form": forms.ReturnForm(),
    })


@login_required
@require_GET
def sla_board(request):
    """SLA 현황: per dong, visits awaited now and 72-hour compliance over a period. Aggregates
    only, so the city analyst may see it too."""
    user = request.user
    if not may_view_care_sos_board(user):
        raise PermissionDenied("돌봄SOS SLA 현황을 볼 수 있는 역할이 아닙니다.")
    gus = list(selectors.board_gus_for(user))
    gu = None
    if gus:
        wanted = request.GET.get("gu", "")
        gu = next((g for g in gus if str(g.pk) == wanted), gus[0])
    try:
        days = int(request.GET.get("days", "90"))
    except ValueError:
        days = 90
    days = days if days in PERIODS else 90
    board = selectors.sla_board(user, gu=gu, days=days) if gu is not None else []
    totals = {
        key: sum(getattr(row, key) for row in board)
        for key in ("open_visits", "on_track", "due_soon", "overdue", "visited", "visited_on_time")
    }
    totals["compliance"] = (
        round(totals["visited_on_time"] * 100 / totals["visited"], 1) if totals["visited"] else None
    )
    return render(request, "care_sos/sla_board.html", {
        "board": board, "gus": gus, "gu": gu, "days": days, "periods": PERIODS, "totals": totals,
        "now": timezone.localtime(),
    })


@login_required
@require_GET
def provider_list(request):
    """The registry of service providers (edited in the Django admin by administrators)."""
    kind = request.GET.get("kind", "")
    active = request.GET.get("active", "1")
    rows = selectors.providers_for(request.user, kind=kind if kind in ProviderKind.values else "", active=active)
    return render(request, "care_sos/providers.html", {
        "rows": rows, "kind": kind, "active": active, "kinds": ProviderKind.choices,
    })
