"""욕구 사정 (needs assessment) after the visit: needs by domain, ADL difficulties, the informal
carer, and the kinds of care the plan may then contain (DOMAIN §8)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.care_sos.models import (
    ASSESSMENT_DOMAINS,
    ASSESSMENT_EDITABLE,
    Adl,
    CareAssessment,
    CareKind,
    CareRequest,
    NeedLevel,
)
from cases.care_sos.services.common import (
    ensure_dong_staff,
    lock,
    log,
    record_event,
    run_transition,
    status_label,
)
from chatdong.audit.models import AccessLog

ASSESSMENT_FIELDS = (
    *(f"{key}_level" for key, _ in ASSESSMENT_DOMAINS),
    *(f"{key}_note" for key, _ in ASSESSMENT_DOMAINS),
    "adl_difficulties", "carer_available", "carer_note", "care_kinds", "summary",
)


def _validate(fields: dict) -> dict:
    errors = {}
    for key, label in ASSESSMENT_DOMAINS:
        level = fields.get(f"{key}_level", NeedLevel.NONE)
        if level not in NeedLevel.values:
            errors[f"{key}_level"] = f"{label} 욕구 정도를 선택하세요."
        fields[f"{key}_note"] = (fields.get(f"{key}_note") or "").strip()
        if level == NeedLevel.URGENT and not fields[f"{key}_note"]:
            errors[f"{key}_note"] = f"{label} 욕구가 시급하면 내용을 적어 주세요."
    adl = list(dict.fromkeys(fields.get("adl_difficulties") or []))
    if any(v not in Adl.values for v in adl):
        errors["adl_difficulties"] = "일상생활 수행 어려움 항목이 올바르지 않습니다."
    kinds = list(dict.fromkeys(fields.get("care_kinds") or []))
    if not kinds:
        errors["care_kinds"] = "필요한 돌봄 종류(긴급돌봄·일반돌봄·일상편의)를 하나 이상 고르세요."
    elif any(v not in CareKind.values for v in kinds):
        errors["care_kinds"] = "돌봄 종류가 올바르지 않습니다."
    if errors:
        raise ValidationError(errors)
    fields["adl_difficulties"], fields["care_kinds"] = adl, kinds
    fields["carer_note"] = (fields.get("carer_note") or "").strip()
    fields["summary"] = (fields.get("summary") or "").strip()
    fields["carer_available"] = bool(fields.get("carer_available"))
    return fields


@transaction.atomic
def care_assessment_save(*, actor, care_request: CareRequest, **fields) -> CareAssessment:
    """Save the assessment. The first save after the visit moves the request to 욕구 사정 완료;
    later saves correct it until the plan is submitted. Kinds already used by plan lines
    cannot be dropped (the lines would lose their reason)."""
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    care_request = lock(care_request)
    ensure_dong_staff(actor, care_request)
    if care_request.status not in ASSESSMENT_EDITABLE:
        raise ValidationError(
            f"지금 상태('{status_label(care_request.status)}')에서는 욕구 사정을 고칠 수 없습니다. "
            "방문을 기록한 뒤, 승인 요청 전까지 작성·수정할 수 있습니다."
        )
    fields = _validate(dict(fields))
    assessment = CareAssessment.objects.filter(request=care_request).first()
    if assessment is not None:
        used = set(
            care_request.plan.lines.values_list("kind", flat=True)
        ) if hasattr(care_request, "plan") else set()
        dropped = used - set(fields["care_kinds"])
        if dropped:
            labels = ", ".join(CareKind(k).label for k in sorted(dropped))
            raise ValidationError({"care_kinds": f"케어플랜에 이미 있는 돌봄 종류는 뺄 수 없습니다: {labels}"})
        for name, value in fields.items():
            setattr(assessment, name, value)
        assessment.assessed_by = actor
        assessment.save()
        record_event(care_request, "assess", from_status=care_request.status, actor=actor,
                     comment="욕구 사정 수정: " + ", ".join(assessment.care_kind_labels()))
        log(actor, care_request, AccessLog.Action.UPDATE, "욕구 사정 수정")
        return assessment
    assessment = CareAssessment.objects.create(
        request=care_request, assessed_by=actor, assessed_at=timezone.now(), **fields
    )
    run_transition(
        care_request, "assess", actor=actor, comment="필요한 돌봄: " + ", ".join(assessment.care_kind_labels()),
    )
    return assessment

