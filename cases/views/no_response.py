"""No-response procedure screens (무응답 대응): overview, checklist with htmx tick-off. DOMAIN §4."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.forms import no_response as forms
from cases.models import NoResponseProcedure
from cases.selectors import no_response as selectors
from cases.services import no_response as services
from chatdong.accounts.decorators import require_personal_data
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.web.forms import error_text, form_errors


@login_required
@require_GET
def overview(request):
    """Open procedures of the area and, in red, every unfinished step past its deadline."""
    require_personal_data(request.user)
    now = timezone.now()
    status = request.GET.get("status", NoResponseProcedure.Status.OPEN)
    return render(request, "cases/no_response/overview.html", {
        "now": now,
        "status": status,
        "statuses": NoResponseProcedure.Status.choices,
        "procedures": selectors.procedure_list_for(request.user, status=status, now=now)[:200],
        "overdue": selectors.overdue_steps_for(request.user, now=now)[:200],
    })


@login_required
@require_GET
def procedure_detail(request, pk: int):
    procedure = selectors.procedure_get_for(request.user, pk)
    log_access(
        user=request.user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=procedure.household_id,
        reason="무응답 대응 열람",
    )
    return render(request, "cases/no_response/procedure_detail.html", {
        "procedure": procedure,
        "steps": selectors.steps_of(procedure),
        "now": timezone.now(),
        "is_open": procedure.status == NoResponseProcedure.Status.OPEN,
        "close_form": forms.CloseForm(),
        "events": procedure.events.select_related("actor"),
    })


@login_required
@require_POST
def step_done(request, pk: int):
    """Tick off one step. htmx gets the updated row back; a plain POST goes back to the list."""
    step = selectors.step_get_for(request.user, pk)
    form = forms.StepDoneForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            step = services.no_response_step_done(actor=request.user, step=step, note=form.cleaned_data["note"])
        except ValidationError as exc:
            error = error_text(exc)
    else:
        error = form_errors(form)
    if request.htmx:
        step.refresh_from_db()
        return render(request, "cases/no_response/_step_row.html", {
            "step": step, "now": timezone.now(), "error": error,
            "is_open": step.procedure.status == NoResponseProcedure.Status.OPEN,
        }, status=200 if not error else 422)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"'{step.label}' 단계를 완료로 기록했습니다.")
    return redirect("cases:no_response_detail", pk=step.procedure_id)


@login_required
@require_POST
def procedure_close(request, pk: int):
    procedure = selectors.procedure_get_for(request.user, pk)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("cases:no_response_detail", pk=procedure.pk)
    try:
        procedure = services.no_response_close(actor=request.user, procedure=procedure, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"무응답 대응을 종료했습니다: {procedure.get_status_display()}")
    return redirect("cases:no_response_detail", pk=procedure.pk)


@login_required
@require_POST
def procedure_start(request, household_pk: int):
    """Start (or join the open) procedure for a household of the user's area."""
    household = selectors.household_for_start(request.user, household_pk)
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("cases:no_response_overview")
    existing = selectors.open_procedure_for(household)
    procedure = services.no_response_start(actor=request.user, household=household, trigger=form.cleaned_data["trigger"])
    if existing is not None:
        messages.info(request, "이미 진행 중인 무응답 대응이 있어 그 화면으로 이동합니다.")
    else:
        messages.success(request, "무응답 대응을 시작했습니다. 1일차 단계는 오늘 안에 완료하세요.")
    return redirect("cases:no_response_detail", pk=procedure.pk)
