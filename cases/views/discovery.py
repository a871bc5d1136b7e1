"""Crisis-report triage screens (제보 접수·분류): queue, intake, detail and actions. DOMAIN §5.

Views parse input and call one service or selector; every read goes through the scoped
selectors (out of area → 404) and viewing a report is written to the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.forms import discovery as forms
from cases.models import ReportChannel, ReportStatus
from cases.selectors import discovery as selectors
from cases.services import discovery as services
from cases.services import rewards
from chatdong.accounts.decorators import require_personal_data
from chatdong.accounts.rules import is_supervisor
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.web.forms import add_service_errors, error_text, form_errors


@login_required
@require_GET
def report_list(request):
    require_personal_data(request.user)
    queue = request.GET.get("queue", "open")
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    rows = selectors.report_list_for(request.user, queue=queue, status=status, channel=channel)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None, reason="위기가구 제보 목록")
    cutoff = selectors.stale_cutoff()
    return render(request, "cases/discovery/report_list.html", {
        "page": page,
        "queue": queue,
        "status": status,
        "channel": channel,
        "queues": selectors.QUEUES,
        "counts": selectors.report_queue_counts(request.user),
        "statuses": ReportStatus.choices,
        "channels": ReportChannel.choices,
        "stale_cutoff": cutoff,
        "stale_days": selectors.stale_days(),
        "is_supervisor": is_supervisor(request.user),
    })


@login_required
def report_create(request):
    require_personal_data(request.user)
    form = forms.StaffReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.crisis_report_record(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"제보를 접수했습니다. 접수번호 {report.reference}")
            return redirect("cases:report_detail", pk=report.pk)
    return render(request, "cases/discovery/report_form.html", {"form": form})


@login_required
@require_GET
def report_detail(request, pk: int):
    report = selectors.report_get_for(request.user, pk)
    log_access(
        user=request.user, subject_type=AccessLog.Subject.REPORT, subject_id=report.pk,
        household_id=report.household_id, reason="위기가구 제보 열람",
    )
    is_open = report.status != ReportStatus.CLOSED
    supervisor = is_supervisor(request.user)
    reward = selectors.reward_for(report)
    return render(request, "cases/discovery/report_detail.html", {
        "report": report,
        "is_open": is_open,
        "is_stale": selectors.is_stale(report),
        "is_supervisor": supervisor,
        "assign_form": forms.AssignForm(report=report) if is_open else None,
        "transfer_form": forms.TransferForm(report=report) if is_open and report.household_id is None else None,
        "create_household_form": forms.CreateHouseholdForm() if is_open and report.household_id is None else None,
        "visit_form": forms.VisitForm() if is_open else None,
        "close_form": forms.CloseForm() if is_open else None,
        "reward": reward,
        "reward_form": (
            forms.RewardForm() if supervisor and report.status == ReportStatus.CLOSED and reward is None else None
        ),
        "reward_possible": bool(rewards.reporter_key_for(report)),
        "events": report.transitions.select_related("actor"),
    })


def _act(request, pk: int, form_class, action, *, form_kwargs=None, success: str):
    """Shared POST handling: scoped fetch → form → service → message → back to the report."""
    report = selectors.report_get_for(request.user, pk)
    form = form_class(request.POST, **(form_kwargs(report) if form_kwargs else {}))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("cases:report_detail", pk=report.pk)
    try:
        result = action(report, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("cases:report_detail", pk=report.pk)
    messages.success(request, success)
    if isinstance(result, str):
        return redirect(result)
    return redirect("cases:report_detail", pk=report.pk)


@login_required
@require_POST
def report_assign(request, pk: int):
    return _act(
        request, pk, forms.AssignForm,
        lambda report, data: services.crisis_report_assign(actor=request.user, report=report, assignee=data["assignee"]),
        form_kwargs=lambda report: {"report": report}, success="담당자를 배정했습니다.",
    )


@login_required
@require_POST
def report_transfer(request, pk: int):
    def action(report, data):
        services.crisis_report_transfer(actor=request.user, report=report, dong=data["dong"])
        # After forwarding, the report may be outside the user's area.
        return "cases:report_list"

    return _act(
        request, pk, forms.TransferForm, action,
        form_kwargs=lambda report: {"report": report}, success="다른 동으로 이관했습니다.",
    )


@login_required
@require_POST
def report_link_household(request, pk: int):
    def action(report, data):
        candidates = selectors.households_linkable(request.user, report=report)
        household = candidates.filter(pk=data["household"]).first()
        if household is None:
            raise ValidationError("연결할 수 있는 가구가 아닙니다.")
        services.crisis_report_link_household(actor=request.user, report=report, household=household)

    return _act(request, pk, forms.LinkHouseholdForm, action, success="가구를 연결했습니다.")


@login_required
@require_POST
def report_create_household(request, pk: int):
    return _act(
        request, pk, forms.CreateHouseholdForm,
        lambda report, data: services.crisis_report_create_household(actor=request.user, report=report, **data),
        success="새 가구를 등록하고 제보에 연결했습니다.",
    )


@login_required
@require_POST
def report_visit(request, pk: int):
    return _act(
        request, pk, forms.VisitForm,
        lambda report, data: services.crisis_report_record_visit(actor=request.user, report=report, **data),
        success="확인 방문을 기록했습니다.",
    )


@login_required
@require_POST
def report_close(request, pk: int):
    return _act(
        request, pk, forms.CloseForm,
        lambda report, data: services.crisis_report_close(actor=request.user, report=report, **data),
        success="제보 처리를 완료했습니다.",
    )


@login_required
@require_POST
def report_reward(request, pk: int):
    return _act(
        request, pk, forms.RewardForm,
        lambda report, data: rewards.reward_pay(actor=request.user, report=report, **data),
        success="포상금 지급을 기록했습니다.",
    )


@login_required
@require_GET
def report_household_search(request, pk: int):
    """htmx partial: existing households of the report's dong matching the query."""
    report = selectors.report_get_for(request.user, pk)
    q = request.GET.get("q", "")
    rows = selectors.household_candidates(request.user, report=report, q=q)
    if rows:
        log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None,
                   reason=f"제보 {report.reference} 연결 가구 검색")
    return render(request, "cases/discovery/_household_results.html", {"report": report, "rows": rows, "q": q.strip()})
