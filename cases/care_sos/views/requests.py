"""Care SOS screens of the dong (돌봄SOS): my requests with SLA badges, intake, the request page
with its event history, and the actions of the workflow. DOMAIN §8.

Views parse input and call one service or selector. Reads go through the scoped selectors
(out of area → 404, checked before any role check so the answer reveals nothing); the city
analyst gets 404 everywhere here, as for an object outside the area (aggregates only).
Viewing a request is written to the access log; every service writes its own row.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from cases.care_sos import forms, selectors
from cases.care_sos.models import (
    ASSESSMENT_EDITABLE,
    AWAITING_VISIT,
    PLAN_EDITABLE,
    CarePlanLine,
    CareRequestStatus,
)
from cases.care_sos.models import CareRequestStatus as S
from cases.care_sos.services import approvals as approval_services
from cases.care_sos.services import delivery as delivery_services
from cases.care_sos.services import plans as plan_services
from cases.care_sos.services import visits as visit_services
from cases.care_sos.services.common import (
    care_request_url,
    is_dong_staff_of,
    is_gu_coordinator_of,
    month_day_time,
)
from cases.care_sos.services.intake import assignable_care_managers, care_request_intake
from cases.selectors.discovery import report_get_for
from cases.selectors.households import household_get, households_for
from chatdong.accounts.decorators import personal_data_required
from chatdong.accounts.rules import is_care_manager, is_dong_staff
from chatdong.areas.models import Dong
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.web.forms import add_service_errors, error_text, form_errors

PAGE_SIZE = 50

STATUS_TONES = {
    S.RECEIVED: "warning", S.VISIT_SCHEDULED: "primary", S.VISITED: "information", S.ASSESSED: "information",
    S.PLAN_DRAFTED: "secondary", S.SUBMITTED: "point", S.RETURNED: "danger", S.REVISED: "secondary",
    S.APPROVED: "success", S.IN_SERVICE: "success", S.FOLLOW_UP: "information", S.CLOSED: "gray",
    S.WITHDRAWN: "gray", S.INELIGIBLE: "gray", S.TRANSFERRED: "gray",
}


# Logged in, and a role that may see personal data (the city analyst: 404, as everywhere).
care_sos_view = personal_data_required


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def log_request_view(request, care_request, reason: str = "돌봄SOS 신청 열람") -> None:
    log_access(user=request.user, subject_type=AccessLog.Subject.CARE_REQUEST, subject_id=care_request.pk,
               household_id=care_request.household_id, action=AccessLog.Action.VIEW, reason=reason)


# --- list ---------------------------------------------------------------------------------------

@care_sos_view
@require_GET
def care_request_list(request):
    """내 돌봄SOS: open requests first by urgency of the visit deadline, with SLA badges."""
    user = request.user
    group = request.GET.get("group", "open")
    group = group if group in selectors.GROUPS else "open"
    sla = request.GET.get("sla", "")
    default_mine = "1" if is_care_manager(user) else ""
    mine = request.GET.get("mine", default_mine) == "1"
    now = timezone.now()
    rows = selectors.care_request_list_for(user, group=group, sla=sla, mine=mine, now=now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None, reason="돌봄SOS 신청 목록")
    items = [(r, selectors.sla_of(r, now=now)) for r in page]
    return render(request, "care_sos/list.html", {
        "page": page, "items": items, "group": group, "groups": selectors.GROUPS, "sla": sla, "mine": mine,
        "sla_filters": [(k, selectors.SLA_LABELS[k]) for k in (selectors.OVERDUE, selectors.DUE_SOON, selectors.ON_TRACK)],
        "counts": selectors.care_request_counts(user, now=now), "can_intake": is_dong_staff(user),
        "status_tones": STATUS_TONES,
    })


# --- intake -------------------------------------------------------------------------------------

def _int_param(params, name: str) -> int | None:
    """An id from the query or form; anything else is a missing object (404), never a 500."""
    value = params.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


@care_sos_view
@require_http_methods(["GET", "POST"])
def care_request_intake_view(request):
    """접수 form: an existing household (?household=) or a new one, the person, the request."""
    user = request.user
    if not is_dong_staff(user) or user.dong_id is None:
        raise PermissionDenied("돌봄SOS 신청은 동주민센터 직원이 접수합니다.")
    source = request.POST if request.method == "POST" else request.GET
    household_pk, report_pk = _int_param(source, "household"), _int_param(source, "report")
    household = household_get(user=user, pk=household_pk) if household_pk else None
    report = report_get_for(user, report_pk) if report_pk else None
    if household is None and report is not None and report.household_id:
        household = household_get(user=user, pk=report.household_id)
    staff = assignable_care_managers(user.dong)
    initial = {}
    if report is not None:
        initial = {"channel": "crisis_report", "reason": report.situation, "address": report.address,
                   "person_name": report.subject_name}
    form = forms.IntakeForm(request.POST or None, household=household, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            care_request = care_request_intake(actor=user, crisis_report=report, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            due = timezone.localtime(care_request.visit_due_at)
            messages.success(
                request,
                f"접수했습니다(접수번호 {care_request.number}). 돌봄매니저 방문 기한은 {month_day_time(due)}"
                f"({care_request.visit_deadline_hours}시간)입니다.",
            )
            return redirect("cases:care_request_detail", pk=care_request.pk)
    if household is not None and request.method == "GET":
        log_access(user=request.user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
                   action=AccessLog.Action.VIEW, reason="돌봄SOS 접수")
    status = 400 if request.method == "POST" else 200
    return render(request, "care_sos/intake.html", {
        "form": form, "household": household, "report": report,
        "members": list(household.residents.all()) if household else [],
    }, status=status)


@care_sos_view
@require_GET
def care_request_household_search(request):
    """htmx partial of the intake form: households of the user's dong by address or name."""
    q = (request.GET.get("q") or "").strip()
    rows = []
    if len(q) >= 2 and is_dong_staff(request.user):
        rows = list(
            households_for(request.user)
            .filter(Q(address__icontains=q) | Q(address_detail__icontains=q) | Q(residents__name__icontains=q))
            .distinct().prefetch_related("residents").order_by("address", "address_detail")[:20]
        )
        log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None,
                   reason=f"돌봄SOS 접수 가구 검색 ({len(rows)}건)")
    return render(request, "care_sos/_household_results.html", {"rows": rows, "q": q})


# --- the request page ------------------------------------------------------------------------------

def detail_context(request, care_request) -> dict:
    user = request.user
    now = timezone.now()
    dong_staff = is_dong_staff_of(user, care_request)
    coordinator = is_gu_coordinator_of(user, care_request)
    status = care_request.status
    plan = selectors.plan_of(care_request)
    lines = selectors.plan_lines(plan)
    quote = None
    if plan is not None:
        try:
            quote = plan_services.plan_quote(plan)
        except ValidationError as exc:
            messages.warning(request, error_text(exc))
    staff = assignable_care_managers(care_request.dong) if dong_staff else []
    context = {
        "r": care_request,
        "sla": selectors.sla_of(care_request, now=now),
        "events": selectors.request_events(care_request),
        "assessment": selectors.assessment_of(care_request),
        "plan": plan,
        "lines": lines,
        "quote": quote,
        "approvals": selectors.request_approvals(care_request),
        "deliveries": selectors.request_deliveries(care_request),
        "managers": list(care_request.care_managers.all()),
        "visitors": list(care_request.visited_by.all()),
        "dong_staff": dong_staff,
        "coordinator": coordinator,
        "status_tones": STATUS_TONES,
        "awaiting_visit": status in AWAITING_VISIT,
        "assessment_editable": status in ASSESSMENT_EDITABLE,
        "plan_editable": status in PLAN_EDITABLE,
        "policies": selectors.policy_rows([care_request.visit_deadline_policy_id, care_request.due_soon_policy_id,
                                           care_request.follow_up_policy_id]),
        "S": CareRequestStatus,
    }
    if dong_staff:
        if status in AWAITING_VISIT:
            context["schedule_form"] = forms.ScheduleForm(initial={"scheduled_at": care_request.visit_scheduled_at})
            context["visit_form"] = forms.VisitForm(staff=staff, initial={"visitors": [u.pk for u in context["managers"]]})
            context["transfer_form"] = forms.TransferForm(dongs=_transfer_dongs(care_request))
        if status in PLAN_EDITABLE:
            context["submit_form"] = forms.SubmitForm()
        if status in (S.APPROVED, S.IN_SERVICE):
            context["delivery_form"] = forms.DeliveryForm(lines=_delivery_lines(plan))
        if status == S.IN_SERVICE:
            context["finish_form"] = forms.CommentForm()
        if status == S.FOLLOW_UP:
            context["follow_up_form"] = forms.FollowUpForm()
            context["close_form"] = forms.CloseForm() if care_request.follow_up_on else None
        if status == S.RETURNED:
            context["revise_form"] = forms.CommentForm()
        context["withdraw_form"] = forms.ReasonForm() if can_proceed(care_request.withdraw) else None
        context["ineligible_form"] = forms.ReasonForm() if can_proceed(care_request.mark_ineligible) else None
    if coordinator and status == S.SUBMITTED:
        context["approve_form"] = forms.CommentForm()
        context["return_form"] = forms.ReturnForm()
    return context


@care_sos_view
@require_GET
def care_request_detail(request, pk: int):
    care_request = selectors.care_request_get(request.user, pk)
    log_request_view(request, care_request)
    return render(request, "care_sos/detail.html", detail_context(request, care_request))


# --- actions (POST → service → back to the request page) -----------------------------------------------

def act(request, pk: int, form_class, action, *, success: str, form_kwargs=None):
    """Shared POST handling: scoped fetch (404) → form → service (403 for the wrong role,
    Korean message for a refused step) → message → back to the request page (or `next`)."""
    care_request = selectors.care_request_get(request.user, pk)
    form = form_class(request.POST, **(form_kwargs(care_request) if form_kwargs else {}))
    back = safe_next(request, care_request_url(care_request))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    try:
        action(care_request, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, success)
    return redirect(back)


def _staff_kwargs(care_request):
    return {"staff": assignable_care_managers(care_request.dong)}


def _transfer_dongs(care_request):
    """The other dongs of the request's gu (where it may be transferred)."""
    return Dong.objects.filter(gu_id=care_request.dong.gu_id).exclude(pk=care_request.dong_id).order_by("name")


def _delivery_lines(plan):
    """The plan's lines a delivery may be recorded against."""
    return plan.lines.select_related("provider") if plan else CarePlanLine.objects.none()


@require_POST
@care_sos_view
def care_request_schedule(request, pk: int):
    return act(request, pk, forms.ScheduleForm, lambda r, d: visit_services.care_request_schedule_visit(
        actor=request.user, care_request=r, scheduled_at=d["scheduled_at"], comment=d["comment"],
    ), success="방문 일정을 등록했습니다.")


@require_POST
@care_sos_view
def care_request_visit(request, pk: int):
    return act(request, pk, forms.VisitForm, lambda r, d: visit_services.care_request_record_visit(
        actor=request.user, care_request=r, visited_at=d["visited_at"], note=d["note"],
        visitors=list(d["visitors"]) or None,
    ), success="방문을 기록했습니다. 이어서 욕구 사정을 작성하세요.", form_kwargs=_staff_kwargs)


@require_POST
@care_sos_view
def care_request_withdraw(request, pk: int):
    return act(request, pk, forms.ReasonForm, lambda r, d: visit_services.care_request_withdraw(
        actor=request.user, care_request=r, reason=d["reason"],
    ), success="신청 철회를 기록했습니다.")


@require_POST
@care_sos_view
def care_request_ineligible(request, pk: int):
    return act(request, pk, forms.ReasonForm, lambda r, d: visit_services.care_request_mark_ineligible(
        actor=request.user, care_request=r, reason=d["reason"],
    ), success="지원 불가로 종료했습니다.")


@require_POST
@care_sos_view
def care_request_transfer(request, pk: int):
    return act(request, pk, forms.TransferForm, lambda r, d: visit_services.care_request_transfer(
        actor=request.user, care_request=r, dong=d["dong"], reason=d["reason"],
    ), success="다른 동으로 이관하고 그 동 돌봄매니저에게 알렸습니다.",
               form_kwargs=lambda r: {"dongs": _transfer_dongs(r)})


@require_POST
@care_sos_view
def care_plan_submit(request, pk: int):
    return act(request, pk, forms.SubmitForm, lambda r, d: plan_services.care_plan_submit(
        actor=request.user, care_request=r, cap_override_reason=d["cap_override_reason"], comment=d["comment"],
    ), success="구 돌봄지원단에 케어플랜 승인을 요청했습니다.")


@require_POST
@care_sos_view
def care_plan_revise(request, pk: int):
    care_request = selectors.care_request_get(request.user, pk)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    try:
        plan_services.care_plan_revise(actor=request.user, care_request=care_request,
                                       comment=form.cleaned_data.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(care_request_url(care_request))
    messages.success(request, "케어플랜 보완을 시작했습니다. 반려 의견을 반영해 고친 뒤 다시 승인 요청하세요.")
    return redirect("cases:care_plan", pk=care_request.pk)


@require_POST
@care_sos_view
def care_request_delivery(request, pk: int):
    return act(request, pk, forms.DeliveryForm, lambda r, d: delivery_services.service_delivery_record(
        actor=request.user, care_request=r, line=d["line"], delivered_on=d["delivered_on"], quantity=d["quantity"],
        cost=d["cost"], result_note=d["result_note"],
    ), success="서비스 제공을 기록했습니다.", form_kwargs=lambda r: {"lines": _delivery_lines(selectors.plan_of(r))})


@require_POST
@care_sos_view
def care_request_finish(request, pk: int):
    return act(request, pk, forms.CommentForm, lambda r, d: delivery_services.care_request_finish_service(
        actor=request.user, care_request=r, comment=d.get("comment", ""),
    ), success="서비스 제공을 마치고 사후관리로 넘겼습니다.")


@require_POST
@care_sos_view
def care_request_follow_up(request, pk: int):
    return act(request, pk, forms.FollowUpForm, lambda r, d: delivery_services.care_request_record_follow_up(
        actor=request.user, care_request=r, checked_on=d["checked_on"], note=d["note"],
    ), success="사후관리 점검을 기록했습니다.")


@require_POST
@care_sos_view
def care_request_close(request, pk: int):
    def action(r, d):
        delivery_services.care_request_close(actor=request.user, care_request=r, outcome=d["outcome"],
                                             note=d["note"])

    return act(request, pk, forms.CloseForm, action, success="돌봄SOS 신청을 종결했습니다.")


# --- the gu's decision (also on the approval queue) ---------------------------------------------------

@require_POST
@care_sos_view
def care_plan_approve(request, pk: int):
    return act(request, pk, forms.CommentForm, lambda r, d: approval_services.care_plan_approve(
        actor=request.user, care_request=r, comment=d.get("comment", ""),
    ), success="케어플랜을 승인했습니다.")


@require_POST
@care_sos_view
def care_plan_return(request, pk: int):
    return act(request, pk, forms.ReturnForm, lambda r, d: approval_services.care_plan_return(
        actor=request.user, care_request=r, comment=d["comment"],
    ), success="보완 의견과 함께 케어플랜을 반려했습니다.")

