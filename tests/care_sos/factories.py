"""Care SOS test helpers: providers, and a request walked through the workflow by the real
services (so every step leaves its events, approvals and access-log rows)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.care_sos.models import CareKind, CareProvider, CareService, ProviderKind, ServiceUnit
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import approvals, assessment, delivery, plans, visits
from cases.care_sos.services.intake import care_request_intake
from tests.factories import GuFactory


class CareProviderFactory(DjangoModelFactory):
    class Meta:
        model = CareProvider

    name = factory.Sequence(lambda n: f"시험돌봄기관{n}")
    kind = ProviderKind.HOME_CARE_AGENCY
    care_kinds = factory.LazyFunction(lambda: [CareKind.EMERGENCY, CareKind.GENERAL, CareKind.DAILY])
    gu = factory.SubFactory(GuFactory)
    phone = "02-123-4567"
    active = True


def intake(*, actor, household, resident, received_at=None, **overrides):
    kwargs = {
        "channel": "phone", "reason_kind": "discharge", "reason": "퇴원 후 혼자 지내며 거동이 불편함",
        "informal_carer": "none", "urgency": "high",
    }
    kwargs.update(overrides)
    return care_request_intake(actor=actor, household=household, resident=resident, received_at=received_at, **kwargs)


ASSESSMENT = {
    "health_level": "urgent", "health_note": "고관절 수술 후 보행 불가",
    "care_level": "some", "care_note": "식사·세면 도움 필요",
    "adl_difficulties": ["walking", "bathing"], "carer_available": False, "carer_note": "자녀 해외 거주",
    "care_kinds": [CareKind.EMERGENCY, CareKind.DAILY], "summary": "일시재가와 병원 동행 필요",
}


def add_line(*, actor, care_request, provider, quantity="10", unit_cost=20_000, service=CareService.TEMPORARY_HOME_CARE,
             kind=CareKind.EMERGENCY, unit=ServiceUnit.HOUR):
    plan = care_request.plan
    return plans.care_plan_line_add(
        actor=actor, care_request=care_request, kind=kind, service=service, provider=provider,
        quantity=Decimal(quantity), unit=unit, unit_cost=unit_cost, start_on=plan.period_start, end_on=plan.period_end,
    )


def walk(care_request, *, to, actor, coordinator=None, provider=None, visited_at=None):
    """Advance `care_request` through the services until it reaches status `to`."""
    care_request.refresh_from_db()
    order = [S.RECEIVED, S.VISITED, S.ASSESSED, S.PLAN_DRAFTED, S.SUBMITTED, S.APPROVED, S.IN_SERVICE, S.FOLLOW_UP,
             S.CLOSED]
    target = order.index(to)
    step = order.index(care_request.status) if care_request.status in order else 0
    while step < target:
        nxt = order[step + 1]
        if nxt == S.VISITED:
            visits.care_request_record_visit(
                actor=actor, care_request=care_request,
                visited_at=visited_at or min(timezone.now(), care_request.received_at + datetime.timedelta(hours=20)),
                note="집에서 만나 상황 확인",
            )
        elif nxt == S.ASSESSED:
            assessment.care_assessment_save(actor=actor, care_request=care_request, **ASSESSMENT)
        elif nxt == S.PLAN_DRAFTED:
            plans.care_plan_start(actor=actor, care_request=care_request)
            care_request.refresh_from_db()
            add_line(actor=actor, care_request=care_request, provider=provider)
        elif nxt == S.SUBMITTED:
            plans.care_plan_submit(actor=actor, care_request=care_request)
        elif nxt == S.APPROVED:
            approvals.care_plan_approve(actor=coordinator, care_request=care_request, comment="적정")
        elif nxt == S.IN_SERVICE:
            care_request.refresh_from_db()
            line = care_request.plan.lines.first()
            delivery.service_delivery_record(
                actor=actor, care_request=care_request, line=line, delivered_on=timezone.localdate(),
                quantity=Decimal("4"), result_note="요양보호사 4시간 방문, 식사·세면 도움",
            )
        elif nxt == S.FOLLOW_UP:
            delivery.care_request_finish_service(actor=actor, care_request=care_request)
        elif nxt == S.CLOSED:
            delivery.care_request_record_follow_up(
                actor=actor, care_request=care_request, checked_on=timezone.localdate(), note="회복 중, 추가 욕구 없음",
            )
            delivery.care_request_close(actor=actor, care_request=care_request, outcome="needs_met")
        care_request.refresh_from_db()
        step += 1
    return care_request
