"""Logging a contact: the phone-size form and the one-tap quick actions (htmx + no-JS fallback)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms.contacts import ContactForm, RefusedQuickForm
from cases.models import CHECKLIST_ITEMS, RiskTier
from cases.selectors.households import contact_status, household_get, household_timeline
from cases.services.contacts import contact_log, contact_not_home_quick, contact_refused_quick
from cases.views.households import log_household_view
from chatdong.accounts.decorators import personal_data_required
from chatdong.web.forms import add_service_errors, error_text, form_errors


def _due_message(household) -> str:
    if household.next_contact_due:
        return f"다음 상담 예정일: {household.next_contact_due:%Y-%m-%d}"
    return "다음 상담 예정일 없음"


@personal_data_required
@require_http_methods(["GET", "POST"])
def contact_create_view(request, pk):
    household = household_get(user=request.user, pk=pk)
    form = ContactForm(request.POST or None, household=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contact_log(actor=request.user, household=household, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            household.refresh_from_db()
            messages.success(request, f"상담을 기록했습니다. {_due_message(household)}")
            return redirect("cases:household_detail", pk=household.pk)
    if request.method == "GET":
        log_household_view(request, household)
    checklist = [(form[f"check_{key}"], label) for key, label in CHECKLIST_ITEMS]
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/contacts/form.html",
                  {"form": form, "household": household, "checklist": checklist}, status=status)


def _quick_response(request, household, *, message: str, error: bool = False):
    """htmx: swap the timeline and the status box in place. Without JS: redirect with a message."""
    if request.htmx:
        household = household_get(user=request.user, pk=household.pk)
        return render(
            request,
            "cases/contacts/_quick_result.html",
            {"household": household, "timeline": household_timeline(household=household), "message": message,
             "error": error, "status": contact_status(household, today=timezone.localdate())},
        )
    (messages.error if error else messages.success)(request, message)
    return redirect("cases:household_detail", pk=household.pk)


@require_POST
@personal_data_required
def contact_not_home_view(request, pk):
    """부재 — 스티커 부착: one tap logs the visit and plans the day-2 revisit."""
    household = household_get(user=request.user, pk=pk)
    try:
        contact_not_home_quick(actor=request.user, household=household)
    except ValidationError as exc:
        return _quick_response(request, household, message=error_text(exc), error=True)
    household.refresh_from_db()
    message = f"부재(스티커 부착)를 기록했습니다. {_due_message(household)}"
    if household.risk_tier == RiskTier.HIGH:
        message += " · 위험 가구이므로 무응답 대응 절차를 진행하세요."
    return _quick_response(request, household, message=message)


@require_POST
@personal_data_required
def contact_refused_view(request, pk):
    """거부 — 동행 재방문 계획: one tap on a companion (and optionally a date)."""
    household = household_get(user=request.user, pk=pk)
    form = RefusedQuickForm(request.POST)
    if not form.is_valid():
        message = form_errors(form)
        return _quick_response(request, household, message=message, error=True)
    try:
        contact = contact_refused_quick(
            actor=request.user, household=household, companion=form.cleaned_data["companion"],
            revisit_on=form.cleaned_data["revisit_on"],
        )
    except ValidationError as exc:
        return _quick_response(request, household, message=error_text(exc), error=True)
    message = f"거부를 기록했습니다. {contact.next_action} 예정일: {contact.next_action_on:%Y-%m-%d}"
    return _quick_response(request, household, message=message)
