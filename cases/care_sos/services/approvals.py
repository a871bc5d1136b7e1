"""The gu care-support team's decision on a submitted plan (DOMAIN §8: 돌봄지원단 승인).

A decision is an append-only `Approval` row (approved, or returned with a required comment)
with a snapshot of the plan's lines and money and the policy versions used. Only a gu
coordinator of the request's gu decides. Two coordinators acting at once: the request row
lock queues them, the second finds the plan already decided and gets a Korean message;
the unique (plan, submission_no) and ConcurrentTransitionMixin are the last word.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.care_sos.models import Approval, CarePlan, CareRequest, Decision
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services.common import (
    CONCURRENT_MESSAGE,
    care_managers_of,
    care_request_url,
    ensure_gu_coordinator,
    lock,
    run_transition,
    status_label,
)
from chatdong.notifications.services import notify


def _lines_snapshot(plan: CarePlan) -> list[dict]:
    return [
        {
            "kind": line.kind, "service": line.service, "service_label": line.get_service_display(),
            "provider_id": line.provider_id, "provider": line.provider.name, "quantity": str(line.quantity),
            "unit": line.unit, "unit_cost": line.unit_cost, "amount": line.amount,
            "start_on": line.start_on.isoformat(), "end_on": line.end_on.isoformat(),
        }
        for line in plan.lines.select_related("provider").order_by("start_on", "pk")
    ]


def _decide(*, actor, care_request: CareRequest, decision: str, comment: str) -> Approval:
    care_request = lock(care_request)
    ensure_gu_coordinator(actor, care_request)
    if care_request.status != S.SUBMITTED:
        raise ValidationError(
            f"이 케어플랜은 이미 처리되었거나 승인 요청 상태가 아닙니다 (현재 상태: {status_label(care_request.status)}). "
            "화면을 새로 고쳐 확인해 주세요.",
            code="already_decided",
        )
    plan = CarePlan.objects.select_for_update().get(request=care_request)
    now = timezone.now()

    def update(r):
        if decision == Decision.APPROVED:
            plan.approved_at = now
            plan.save(update_fields=["approved_at", "updated_at"])

    run_transition(
        care_request, "approve" if decision == Decision.APPROVED else "return_plan", actor=actor, comment=comment,
        update=update,
    )
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                request=care_request, plan=plan, submission_no=plan.submission_no, decision=decision,
                comment=comment, requested_by=plan.submitted_by, requested_at=plan.submitted_at, decided_by=actor,
                decided_at=now, total_cost=plan.total_cost, self_pay_amount=plan.self_pay_amount,
                lines=_lines_snapshot(plan), policy_versions=plan.policy_versions,
            )
    except IntegrityError:
        raise ValidationError(CONCURRENT_MESSAGE, code="concurrent") from None
    verb = "승인" if decision == Decision.APPROVED else "반려(보완 요청)"
    notify(
        users=care_managers_of(care_request),
        kind=f"care_sos.{decision}",
        title=f"케어플랜 {verb} — {care_request.number}",
        body=comment or f"{actor.display_name} 님이 {verb}했습니다.",
        url=care_request_url(care_request),
        dedupe_key=f"care_sos:{care_request.pk}:{decision}:{plan.submission_no}",
    )
    return approval


@transaction.atomic
def care_plan_approve(*, actor, care_request: CareRequest, comment: str = "") -> Approval:
    """승인: services may now be delivered."""
    return _decide(actor=actor, care_request=care_request, decision=Decision.APPROVED,
                   comment=(comment or "").strip())


@transaction.atomic
def care_plan_return(*, actor, care_request: CareRequest, comment: str) -> Approval:
    """반려(보완 요청): the comment says what to change; the dong revises and resubmits."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "반려할 때는 무엇을 보완해야 하는지 의견을 입력해야 합니다."})
    return _decide(actor=actor, care_request=care_request, decision=Decision.RETURNED, comment=comment)
