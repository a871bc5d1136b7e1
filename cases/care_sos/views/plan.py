"""Care SOS assessment and care-plan screens: the assessment form, the plan editor (htmx: lines
and live totals rendered by the server on every change) and the printable plan. DOMAIN §8."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.care_sos import forms, selectors
from cases.care_sos.models import ASSESSMENT_DOMAINS, ASSESSMENT_EDITABLE, PLAN_EDITABLE, NeedLevel
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import plans as plan_services
from cases.care_sos.services.assessment import care_assessment_save
from cases.care_sos.services.common import is_dong_staff_of
from cases.care_sos.views.requests import (
    STATUS_TONES,
    care_request_url,
    care_sos_view,
    log_request_view,
)
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.web.forms import add_service_errors, error_text


def _require_dong_staff(user, care_request) -> None:
    if not is_dong_staff_of(user, care_request):
        raise PermissionDenied("이 돌봄SOS 신청을 접수한 동의 직원만 작성할 수 있습니다.")


# --- assessment ------------------------------------------------------------------------------------

@care_sos_view
@require_http_methods(["GET", "POST"])
def care_assessment(request, pk: int):
    """욕구 사정: after the visit, until the plan is submitted. Other states show it read-only."""
    care_request = selectors.care_request_get(request.user, pk)
    _require_dong_staff(request.user, care_request)
    assessment = selectors.assessment_of(care_request)
    editable = care_request.status in ASSESSMENT_EDITABLE
    initial = {}
    if assessment is not None:
        initial = {f"{key}_{part}": getattr(assessment, f"{key}_{part}") for key, _ in ASSESSMENT_DOMAINS
                   for part in ("level", "note")}
        initial.update(adl_difficulties=assessment.adl_difficulties, carer_available=assessment.carer_available,
                       carer_note=assessment.carer_note, care_kinds=assessment.care_kinds, summary=assessment.summary)
    else:
        initial = {f"{key}_level": NeedLevel.NONE for key, _ in ASSESSMENT_DOMAINS}
        initial["carer_note"] = care_request.carer_note
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            messages.error(request, f"지금 상태('{care_request.get_status_display()}')에서는 욕구 사정을 고칠 수 없습니다.")
            return redirect(care_request_url(care_request))
        if form.is_valid():
            try:
                care_assessment_save(actor=request.user, care_request=care_request, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "욕구 사정을 저장했습니다.")
                return redirect(care_request_url(care_request))
    else:
        log_request_view(request, care_request, "돌봄SOS 욕구 사정 열람")
    return render(request, "care_sos/assessment.html", {
        "r": care_request, "form": form, "assessment": assessment, "editable": editable,
        "sla": selectors.sla_of(care_request), "status_tones": STATUS_TONES,
    }, status=400 if request.method == "POST" else 200)


# --- the plan editor ---------------------------------------------------------------------------------

def _editor_context(request, care_request, plan, *, line_form=None, plan_form=None, pending: int = 0) -> dict:
    providers = selectors.providers_for_request(care_request)
    quote = quote_error = None
    if plan is not None:
        try:
            quote = plan_services.plan_quote(plan, pending=pending)
        except ValidationError as exc:
            quote_error = error_text(exc)
    editable = plan is not None and care_request.status in PLAN_EDITABLE
    return {
        "r": care_request,
        "plan": plan,
        "lines": selectors.plan_lines(plan),
        "quote": quote,
        "quote_error": quote_error,
        "editable": editable,
        "line_form": line_form or (forms.PlanLineForm(providers=providers, plan=plan) if editable else None),
        "plan_form": plan_form or (forms.PlanForm(initial={
            "goal": plan.goal, "period_start": plan.period_start, "period_end": plan.period_end,
        }) if editable else None),
        "submit_form": forms.SubmitForm() if editable else None,
        "assessment": selectors.assessment_of(care_request),
        "sla": selectors.sla_of(care_request),
        "status_tones": STATUS_TONES,
        "no_providers": editable and not providers.exists(),
        "S": S,
    }


@care_sos_view
@require_GET
def care_plan(request, pk: int):
    """케어플랜 editor (read-only outside drafting/revising)."""
    care_request = selectors.care_request_get(request.user, pk)
    _require_dong_staff(request.user, care_request)
    log_request_view(request, care_request, "돌봄SOS 케어플랜 열람")
    plan = selectors.plan_of(care_request)
    return render(request, "care_sos/plan.html", _editor_context(request, care_request, plan))


@require_POST
@care_sos_view
def care_plan_start(request, pk: int):
    care_request = selectors.care_request_get(request.user, pk)
    try:
        plan_services.care_plan_start(actor=request.user, care_request=care_request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(care_request_url(care_request))
    messages.success(request, "케어플랜 작성을 시작했습니다. 서비스를 추가하세요.")
    return redirect("cases:care_plan", pk=care_request.pk)


@require_POST
@care_sos_view
def care_plan_update(request, pk: int):
    care_request = selectors.care_request_get(request.user, pk)
    _require_dong_staff(request.user, care_request)
    plan = selectors.plan_of(care_request)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            plan_services.care_plan_update(actor=request.user, care_request=care_request,
                                           **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "케어플랜 목표와 제공 기간을 저장했습니다.")
            return redirect("cases:care_plan", pk=care_request.pk)
    return render(request, "care_sos/plan.html", _editor_context(request, care_request, plan, plan_form=form),
                  status=400)


def _render_lines(request, care_request, *, line_form=None, status=200):
    """The editor's htmx target (lines, totals, the add-line form); a full page without htmx."""
    plan = selectors.plan_of(care_request)
    context = _editor_context(request, care_request, plan, line_form=line_form)
    if request.htmx:
        return render(request, "care_sos/_plan_editor.html", context)
    if status == 200:
        return redirect("cases:care_plan", pk=care_request.pk)
    return render(request, "care_sos/plan.html", context, status=status)


@require_POST
@care_sos_view
def care_plan_line_add(request, pk: int):
    care_request = selectors.care_request_get(request.user, pk)
    _require_dong_staff(request.user, care_request)
    plan = selectors.plan_of(care_request)
    form = forms.PlanLineForm(request.POST, providers=selectors.providers_for_request(care_request), plan=plan)
    if form.is_valid():
        try:
            plan_services.care_plan_line_add(actor=request.user, care_request=care_request,
                                             **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "서비스를 추가했습니다.")
            return _render_lines(request, care_request)
    return _render_lines(request, care_request, line_form=form, status=400)


@require_POST
@care_sos_view
def care_plan_line_remove(request, pk: int):
    care_request = selectors.care_request_get(request.user, pk)
    try:
        line_id = int(request.POST.get("line", ""))
    except ValueError:
        line_id = 0
    try:
        plan_services.care_plan_line_remove(actor=request.user, care_request=care_request, line_id=line_id)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _render_lines(request, care_request)


def _pending_amount(params) -> int:
    """quantity × unit cost of the line being typed (0 until both are valid numbers)."""
    try:
        quantity = Decimal(params.get("quantity") or "0")
        unit_cost = int(params.get("unit_cost") or "0")
    except (InvalidOperation, ValueError):
        return 0
    if quantity <= 0 or unit_cost < 0 or quantity > plan_services.MAX_QUANTITY or unit_cost > 10**10:
        return 0
    return plan_services.line_amount(quantity, unit_cost)


@care_sos_view
@require_GET
def care_plan_preview(request, pk: int):
    """htmx: the totals as they would be with the line being typed (nothing is saved)."""
    care_request = selectors.care_request_get(request.user, pk)
    _require_dong_staff(request.user, care_request)
    plan = selectors.plan_of(care_request)
    context = _editor_context(request, care_request, plan, pending=_pending_amount(request.GET))
    return render(request, "care_sos/_plan_totals.html", context)


# --- printing ----------------------------------------------------------------------------------------

@care_sos_view
@require_GET
def care_plan_print(request, pk: int):
    """The plan on paper for the resident's signature (print CSS); logged as a `print`."""
    care_request = selectors.care_request_get(request.user, pk)
    plan = selectors.plan_of(care_request)
    log_access(user=request.user, subject_type=AccessLog.Subject.CARE_REQUEST, subject_id=care_request.pk,
               household_id=care_request.household_id, action=AccessLog.Action.PRINT,
               reason=(request.GET.get("reason") or "케어플랜 서명용 출력")[:200])
    quote = None
    if plan is not None:
        try:
            quote = plan_services.plan_quote(plan)
        except ValidationError:
            quote = None
    response = render(request, "care_sos/print.html", {
        "r": care_request, "plan": plan, "lines": selectors.plan_lines(plan), "quote": quote,
        "assessment": selectors.assessment_of(care_request), "approvals": selectors.request_approvals(care_request),
        "printed_at": timezone.localtime(), "policies": selectors.policy_rows(plan.policy_versions.values() if plan else []),
    })
    response["Cache-Control"] = "no-store"
    return response
