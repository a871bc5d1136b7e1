"""Household screens: search, page (with timeline), edit forms, RRN reveal, tier change, export.

Views parse input, call one selector or service and render. Every response that shows a
household record writes an AccessLog row; out-of-scope households are 404 (selectors).
"""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms.contacts import RefusedQuickForm
from cases.forms.households import (
    ExportForm,
    FilterForm,
    HouseholdForm,
    ResidentForm,
    RevealForm,
    RiskTierForm,
    RrnSearchForm,
    SearchForm,
)
from cases.models import Companion, RiskTier
from cases.selectors.households import (
    ASSIGNED_ALL,
    contact_status,
    household_get,
    household_labels,
    household_members,
    household_search,
    household_search_by_rrn,
    household_timeline,
    resident_get,
    tier_history,
)
from cases.services import exports as export_services
from cases.services.households import household_create, household_update, risk_tier_change
from cases.services.residents import resident_add, resident_rrn_reveal, resident_update
from chatdong.accounts.decorators import personal_data_required
from chatdong.accounts.rules import may_import_households
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.web.forms import add_service_errors

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



def log_household_view(request, household, *, resident=None) -> None:
    if resident is not None:
        log_access(user=request.user, subject_type=AccessLog.Subject.RESIDENT, subject_id=resident.pk,
                   household_id=household.pk, action=AccessLog.Action.VIEW)
    else:
        log_access(user=request.user, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=household.pk,
                   action=AccessLog.Action.VIEW)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "no-store"
    return response


def export_filename(prefix: str) -> str:
    from urllib.parse import quote

    return quote(f"{prefix}_{timezone.localtime():%Y%m%d_%H%M}.xlsx")


# --- search ------------------------------------------------------------------------------------

def _search_context(request, *, data, search_form=None, rrn_form=None, export_form=None):
    filter_form = FilterForm(data, user=request.user, default_assigned=ASSIGNED_ALL)
    search_form = search_form or SearchForm(data)
    page = None
    searched = bool(data.get("q")) or any(data.get(k) for k in ("dong", "tong", "tier", "benefit", "housing", "assigned"))
    if searched and search_form.is_valid():
        qs = household_search(
            user=request.user, q=search_form.cleaned_data["q"], assigned=filter_form.assignment(), **filter_form.filters()
        )
        page = Paginator(qs, PAGE_SIZE).get_page(data.get("page"))
    return {
        "filter_form": filter_form, "search_form": search_form, "rrn_form": rrn_form or RrnSearchForm(),
        "export_form": export_form or ExportForm(), "page": page, "searched": searched,
        "query": {k: v for k, v in data.items() if k not in ("page", "reason", "csrfmiddlewaretoken")},
    }


@sensitive_post_parameters("rrn")
@personal_data_required
@require_http_methods(["GET", "POST"])
def household_search_view(request):
    """GET: name/address/phone + filters. POST: exact RRN through the blind index (never in a URL)."""
    if request.method == "POST":
        rrn_form = RrnSearchForm(request.POST)
        context = _search_context(request, data={}, rrn_form=rrn_form)
        if rrn_form.is_valid():
            results = list(household_search_by_rrn(user=request.user, rrn=rrn_form.cleaned_data["rrn"]))
            log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None,
                       action=AccessLog.Action.VIEW, reason=f"주민등록번호 검색 ({len(results)}건)")
            context.update(rrn_results=results, rrn_searched=True, rrn_form=RrnSearchForm())
        return render(request, "cases/households/search.html", context)
    return render(request, "cases/households/search.html", _search_context(request, data=request.GET))


@require_POST
@personal_data_required
def household_export_view(request):
    form = ExportForm(request.POST)
    search_form = SearchForm(request.POST)
    filter_form = FilterForm(request.POST, user=request.user, default_assigned=ASSIGNED_ALL)
    if form.is_valid() and search_form.is_valid():
        qs = household_search(
            user=request.user, q=search_form.cleaned_data["q"], assigned=filter_form.assignment(), **filter_form.filters()
        )
        try:
            content, _count = export_services.households_export(
                actor=request.user, households=qs, reason=form.cleaned_data["reason"], source_label="가구 검색",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return xlsx_response(content, export_filename("가구목록"))
    context = _search_context(request, data=request.POST, search_form=search_form, export_form=form)
    return render(request, "cases/households/search.html", context, status=400)


# --- the household page ------------------------------------------------------------------------

def render_household(request, household, *, revealed=None, reveal_errors=None, tier_form=None, status=200):
    """The household page. Writes the view row of the access log."""
    log_household_view(request, household)
    members = household_members(household=household)
    response = render(
        request,
        "cases/households/detail.html",
        {
            "household": household,
            "members": members,
            "labels": household_labels(household),
            "revealed": revealed or {},
            "reveal_errors": reveal_errors or {},
            "timeline": household_timeline(household=household),
            "tier_history": tier_history(household=household),
            "tier_form": tier_form or RiskTierForm(initial={"to_tier": household.risk_tier}),
            "refused_form": RefusedQuickForm(),
            "companions": Companion.choices,
            "is_high": household.risk_tier == RiskTier.HIGH,
            "status": contact_status(household, today=timezone.localdate()),
        },
        status=status,
    )
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


@personal_data_required
def household_detail_view(request, pk):
    return render_household(request, household_get(user=request.user, pk=pk))


@never_cache
@require_POST
@personal_data_required
def resident_reveal_view(request, pk, resident_pk):
    """주민등록번호 전체 보기: needs a reason, writes a `reveal` row, shows the number only here."""
    household = household_get(user=request.user, pk=pk)
    resident = resident_get(user=request.user, household_pk=household.pk, pk=resident_pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render_household(request, household, reveal_errors={resident.pk: form.errors["reason"]}, status=400)
    try:
        rrn = resident_rrn_reveal(actor=request.user, resident=resident, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return render_household(request, household, reveal_errors={resident.pk: exc.messages}, status=400)
    return render_household(request, household, revealed={resident.pk: rrn})


@require_POST
@personal_data_required
def household_tier_view(request, pk):
    household = household_get(user=request.user, pk=pk)
    form = RiskTierForm(request.POST)
    if form.is_valid():
        try:
            risk_tier_change(
                actor=request.user, household=household, to_tier=form.cleaned_data["to_tier"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"위험 등급을 '{RiskTier(form.cleaned_data['to_tier']).label}'(으)로 바꾸었습니다.")
            return redirect("cases:household_detail", pk=household.pk)
    return render_household(request, household, tier_form=form, status=400)


# --- household and resident forms -------------------------------------------------------------

@personal_data_required
@require_http_methods(["GET", "POST"])
def household_create_view(request):
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = household_create(
                actor=request.user, risk_tier=form.cleaned_data["risk_tier"],
                tier_reason=form.cleaned_data["tier_reason"], **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "가구를 등록했습니다. 가구원을 추가하세요.")
            return redirect("cases:resident_create", pk=household.pk)
    status = 400 if request.method == "POST" else 200
    # The bulk-import link only for those who may import.
    return render(
        request, "cases/households/form.html",
        {"form": form, "household": None, "can_import": may_import_households(request.user)}, status=status,
    )


@personal_data_required
@require_http_methods(["GET", "POST"])
def household_edit_view(request, pk):
    household = household_get(user=request.user, pk=pk)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household_update(actor=request.user, household=household, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "가구 정보를 저장했습니다.")
            return redirect("cases:household_detail", pk=household.pk)
    if request.method == "GET":
        log_household_view(request, household)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/households/form.html", {"form": form, "household": household}, status=status)


@sensitive_post_parameters("rrn")
@personal_data_required
@require_http_methods(["GET", "POST"])
def resident_create_view(request, pk):
    household = household_get(user=request.user, pk=pk)
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident_add(
                actor=request.user, household=household, rrn=form.cleaned_data["rrn"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "가구원을 추가했습니다.")
            if "add_another" in request.POST:
                return redirect("cases:resident_create", pk=household.pk)
            return redirect("cases:household_detail", pk=household.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/households/resident_form.html",
                  {"form": form, "household": household, "resident": None}, status=status)


@sensitive_post_parameters("rrn")
@personal_data_required
@require_http_methods(["GET", "POST"])
def resident_edit_view(request, pk, resident_pk):
    household = household_get(user=request.user, pk=pk)
    resident = resident_get(user=request.user, household_pk=household.pk, pk=resident_pk)
    form = ResidentForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        try:
            resident_update(
                actor=request.user, resident=resident, rrn=form.cleaned_data["rrn"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{resident.name} 님의 정보를 저장했습니다.")
            return redirect("cases:household_detail", pk=household.pk)
    if request.method == "GET":
        log_household_view(request, household, resident=resident)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/households/resident_form.html",
                  {"form": form, "household": household, "resident": resident}, status=status)
