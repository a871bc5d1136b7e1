"""내 업무: the planner's home — due and overdue work in the user's scope."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.forms.households import ExportForm, FilterForm
from cases.models import Household
from cases.selectors.households import default_assignment
from cases.selectors.worklist import (
    DEFAULT_WITHIN_DAYS,
    PAGE_SIZE,
    worklist_household_ids,
    worklist_items,
    worklist_rows,
)
from cases.services.exports import EXPORT_MAX_ROWS, households_export
from cases.views.households import export_filename, xlsx_response
from chatdong.accounts.decorators import personal_data_required
from chatdong.web.forms import add_service_errors

WITHIN_CHOICES = ((0, "지난 것·오늘"), (7, "7일 이내"), (30, "30일 이내"), (90, "90일 이내"))


class WorklistFilterForm(FilterForm):
    within = forms.TypedChoiceField(label="기간", choices=WITHIN_CHOICES, coerce=int, required=False)

    def within_days(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        value = data.get("within")
        return DEFAULT_WITHIN_DAYS if value in (None, "") else value


def _filter_form(request, data):
    return WorklistFilterForm(data, user=request.user, default_assigned=default_assignment(request.user))


def _render(request, data, *, export_form=None, status=200):
    form = _filter_form(request, data)
    today = timezone.localdate()
    rows = worklist_rows(
        user=request.user, assigned=form.assignment(), within_days=form.within_days(), today=today, **form.filters()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(data.get("page"))
    items = worklist_items(list(page.object_list), today=today)
    query = {k: v for k, v in data.items() if k not in ("page", "reason", "csrfmiddlewaretoken")}
    return render(
        request,
        "cases/worklist/list.html",
        {"filter_form": form, "page": page, "items": items, "today": today, "query": query,
         "assigned": form.assignment(), "within": form.within_days(),
         "filtered": any(data.get(k) for k in ("dong", "tong", "tier", "benefit", "housing", "within")),
         "export_form": export_form or ExportForm()},
        status=status,
    )


@personal_data_required
@require_GET
def worklist_view(request):
    return _render(request, request.GET)


@require_POST
@personal_data_required
def worklist_export_view(request):
    form = ExportForm(request.POST)
    if form.is_valid():
        filters = _filter_form(request, request.POST)
        ids = worklist_household_ids(
            user=request.user, assigned=filters.assignment(), within_days=filters.within_days(),
            limit=EXPORT_MAX_ROWS, **filters.filters(),
        )
        try:
            content, _count = households_export(
                actor=request.user, households=Household.objects.filter(pk__in=ids), reason=form.cleaned_data["reason"],
                source_label="내 업무",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return xlsx_response(content, export_filename("내업무"))
    return _render(request, request.POST, export_form=form, status=400)
