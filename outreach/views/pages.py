"""Outreach screens: campaigns and their progress, staff task lists, big-data rounds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chatdong.accounts.decorators import require_personal_data
from chatdong.accounts.rules import can_see_personal_data, is_supervisor
from chatdong.accounts.scoping import writable_dongs
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.web.forms import add_service_errors, error_text, form_errors
from outreach import selectors
from outreach.forms import (
    CampaignForm,
    ReassignForm,
    ResultForm,
    RoundUploadForm,
    RowCreateForm,
    RowRejectForm,
)
from outreach.models import BigDataRow, CampaignKind, TaskStatus
from outreach.services import bigdata as bigdata_services
from outreach.services.campaigns import campaign_create, campaign_set_active, can_manage
from outreach.services.visits import can_handle, task_record_result, tasks_reassign
from outreach.tasks import run_sweep

PAGE_SIZE = 50


def _enqueue(campaign, user) -> None:
    run_sweep.delay(campaign.pk, user.pk)


def _can_run(user, campaign) -> bool:
    """지금 실행: managers, for every kind but activity alerts (those run on their own check)."""
    return can_manage(user) and campaign.kind != CampaignKind.ACTIVITY


# --- campaigns -------------------------------------------------------------------------------------

@login_required
def campaign_list(request):
    campaigns = (
        selectors.campaigns_for(request.user)
        .annotate(
            n_tasks=Count("tasks", distinct=True),
            n_open=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN), distinct=True),
        )
        .prefetch_related("dongs")
        .order_by("-year", "-created_at")
    )
    kind = request.GET.get("kind", "")
    if kind in CampaignKind.values:
        campaigns = campaigns.filter(kind=kind)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/campaign_list.html", {
        "page": page, "campaigns": page.object_list, "kinds": CampaignKind.choices, "kind": kind,
        "can_manage": can_manage(request.user),
    })


@login_required
def campaign_create_view(request):
    if not can_manage(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                actor=request.user, kind=data["kind"], name=data["name"], year=data["year"],
                dongs=list(data["dongs"]), period_start=data["period_start"], period_end=data["period_end"],
                due_days=data["due_days"], params=form.params(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if data.get("run_now"):
                _enqueue(campaign, request.user)
                messages.success(request,
                                 f"'{campaign.name}' 캠페인을 만들고 실행을 요청했습니다. 잠시 뒤 새로고침하면 결과가 보입니다.")
            else:
                messages.success(request, f"'{campaign.name}' 캠페인을 만들었습니다.")
            return redirect("outreach:campaign_detail", pk=campaign.pk)
    return render(request, "outreach/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    rows, total = selectors.campaign_progress(campaign, request.user)
    runs = list(selectors.runs_for(campaign)[:20])
    return render(request, "outreach/campaign_detail.html", {
        "campaign": campaign, "rows": rows, "total": total, "runs": runs,
        "dongs": list(campaign.dongs.select_related("gu")),
        "is_universal": selectors.is_universal(campaign), "kpi_benchmark": selectors.counselling_rate_benchmark(),
        "can_manage": can_manage(request.user),
        "can_run": _can_run(request.user, campaign),
        "round": getattr(campaign, "big_data_round", None) if campaign.kind == CampaignKind.BIG_DATA else None,
        "show_tasks": can_see_personal_data(request.user),
    })


@login_required
@require_POST
def campaign_run(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    if not _can_run(request.user, campaign):
        raise PermissionDenied
    if not campaign.active:
        messages.error(request, "사용 중지된 캠페인은 실행할 수 없습니다.")
    else:
        _enqueue(campaign, request.user)
        messages.success(request,
                         "실행을 요청했습니다. 같은 캠페인이 실행 중이면 끝난 뒤 "
                         "이어서 실행되며, 이미 만든 과제는 다시 만들지 않습니다.")
    return redirect("outreach:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_toggle(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    try:
        campaign_set_active(actor=request.user, campaign=campaign, active=not campaign.active)
    except ValidationError as exc:
        raise PermissionDenied(error_text(exc)) from exc
    messages.success(request,
                     "캠페인을 다시 사용합니다." if campaign.active else "캠페인 사용을 중지했습니다. 정기 실행에서 빠집니다.")
    return redirect("outreach:campaign_detail", pk=campaign.pk)


# --- tasks -----------------------------------------------------------------------------------------

@login_required
def task_list(request):
    require_personal_data(request.user)
    supervisor = is_supervisor(request.user)
    scope = request.GET.get("scope") or ("dong" if supervisor else "mine")
    if scope not in dict(selectors.TASK_SCOPES):
        scope = "mine"
    status = request.GET.get("status", TaskStatus.OPEN)
    if status and status not in TaskStatus.values:
        status = TaskStatus.OPEN
    try:
        campaign_id = int(request.GET.get("campaign") or 0) or None
    except ValueError:
        campaign_id = None
    tasks = selectors.tasks_for(request.user, scope=scope, status=status, campaign_id=campaign_id)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    reassign_form = None
    if supervisor and request.user.dong_id:
        reassign_form = ReassignForm(staff=selectors.staff_choices(request.user, request.user.dong_id))
    log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None, reason="방문 과제 목록")
    return render(request, "outreach/task_list.html", {
        "page": page, "tasks": page.object_list, "scope": scope, "scopes": selectors.TASK_SCOPES,
        "status": status, "statuses": TaskStatus.choices, "campaign_id": campaign_id,
        "campaigns": selectors.campaigns_for(request.user).filter(tasks__isnull=False).distinct()[:100],
        "reassign_form": reassign_form, "supervisor": supervisor,
    })


@login_required
@require_POST
def task_reassign(request):
    if not is_supervisor(request.user):
        raise PermissionDenied
    form = ReassignForm(request.POST, staff=selectors.staff_choices(request.user, request.user.dong_id))
    ids = request.POST.getlist("tasks")
    if not form.is_valid():
        messages.error(request, "새 담당자를 선택하세요.")
    else:
        try:
            changed = tasks_reassign(actor=request.user, assignee=form.cleaned_data["assignee"], task_ids=ids)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            skipped = len(ids) - changed
            note = f" ({skipped}건은 이미 처리되었거나 담당자가 같아 그대로 두었습니다.)" if skipped > 0 else ""
            messages.success(request, f"{changed}건을 {form.cleaned_data['assignee'].display_name}에게 재배정했습니다.{note}")
    return redirect(request.POST.get("next") or reverse("outreach:task_list"))


@login_required
def task_detail(request, pk: int):
    task = selectors.task_get(request.user, pk)
    stage1 = task.campaign.kind == CampaignKind.LONELY_DEATH and task.stage == 1
    form = ResultForm(request.POST or None, stage1=stage1)
    if request.method == "POST":
        if not can_handle(request.user, task):
            raise PermissionDenied
        if form.is_valid():
            try:
                task_record_result(
                    actor=request.user, task=task, status=form.cleaned_data["status"],
                    note=form.cleaned_data.get("note", ""), finding=form.cleaned_data.get("finding", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "방문 결과를 기록했습니다.")
                return redirect("outreach:task_detail", pk=task.pk)
    else:
        log_access(user=request.user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=task.household_id,
                   reason="방문 과제 열람")
    members = task.household.residents.active().order_by(
        "relation", "birth_date"
    )
    return render(request, "outreach/task_detail.html", {
        "task": task, "form": form, "members": members, "stage1": stage1,
        "can_record": task.status == TaskStatus.OPEN and can_handle(request.user, task),
        "next_tasks": task.next_tasks.select_related("assignee"),
        "events": task.events.select_related("actor"),
    })


# --- big-data rounds -------------------------------------------------------------------------------

@login_required
def round_list(request):
    require_personal_data(request.user)  # the rounds list people: the city analyst gets 404
    if not can_manage(request.user):
        raise PermissionDenied
    rounds = selectors.rounds_for(request.user).annotate(
        n_rows=Count("rows"),
        n_unmatched=Count("rows", filter=Q(rows__status=BigDataRow.Status.UNMATCHED)),
    ).order_by("-uploaded_at")
    form = RoundUploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = bigdata_services.round_import(
                actor=request.user, round_label=form.cleaned_data["round_label"], file_name=upload.name,
                content=upload.read(bigdata_services.MAX_FILE_BYTES + 1), dongs=list(form.cleaned_data["dongs"]),
                due_days=form.cleaned_data["due_days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            # A file that cannot be taken is the client's error; a round already imported is
            # an answer (nothing new to make), shown as a normal page.
            status = 400 if isinstance(exc, bigdata_services.FileRefused) else 200
        else:
            messages.success(
                request,
                f"{result.round.round_label}: {result.total:,}행 중 매칭 {result.matched:,}, 미매칭 {result.unmatched:,}, "
                f"형식 오류 {result.invalid:,}건. 방문 과제 {result.tasks_created:,}건을 만들었습니다.",
            )
            return redirect("outreach:round_detail", pk=result.round.pk)
    return render(request, "outreach/round_list.html", {"rounds": rounds[:50], "form": form}, status=status)


def _round_for(request, pk):
    require_personal_data(request.user)
    if not can_manage(request.user):
        raise PermissionDenied
    return get_object_or_404(selectors.rounds_for(request.user), pk=pk)


def _row_dongs(round_, user):
    """Dongs a new household from an unmatched row may go to: the round's, else the user's."""
    campaign_dongs = round_.campaign.dongs.all()
    return campaign_dongs if campaign_dongs.exists() else writable_dongs(user)


@login_required
def round_detail(request, pk: int):
    round_ = _round_for(request, pk)
    rows = selectors.round_rows(round_, request.user)
    dongs = _row_dongs(round_, request.user)
    log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=round_.pk,
               reason=f"빅데이터 차수 열람: {round_.round_label}")
    return render(request, "outreach/round_detail.html", {
        "round": round_, "campaign": round_.campaign, "rows": rows,
        "create_form": RowCreateForm(dongs=dongs), "reject_form": RowRejectForm(),
    })


@login_required
@require_POST
def row_decide(request, pk: int, row_id: int):
    round_ = _round_for(request, pk)
    row = get_object_or_404(BigDataRow, round=round_, pk=row_id)
    dongs = _row_dongs(round_, request.user)
    try:
        if request.POST.get("action") == "reject":
            form = RowRejectForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"note": "제외 사유를 입력하세요."})
            bigdata_services.row_reject(actor=request.user, row=row, note=form.cleaned_data["note"])
            messages.success(request, f"{row.row_number}행을 제외했습니다.")
        else:
            form = RowCreateForm(request.POST, dongs=dongs)
            if not form.is_valid():
                raise ValidationError(form_errors(form))
            data = form.cleaned_data
            bigdata_services.row_create_household(
                actor=request.user, row=row, dong=data["dong"], address=data["address"],
                housing_type=data["housing_type"], sex=data["sex"] or None, birth_date=data["birth_date"],
            )
            messages.success(request, f"{row.row_number}행을 새 가구로 등록하고 방문 과제를 만들었습니다.")
    except ValidationError as exc:
        messages.error(request, f"{row.row_number}행: {error_text(exc)}")
    return redirect("outreach:round_detail", pk=round_.pk)
