"""Household/resident import (team leaders and admins)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.imports import ImportForm
from cases.services.imports import (
    IMPORT_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    household_import,
    import_template_csv,
    import_template_xlsx,
)
from cases.views.households import XLSX
from chatdong.accounts.decorators import personal_data_required
from chatdong.accounts.rules import may_import_households
from chatdong.web.forms import error_text


def _require_importer(request) -> None:
    if not may_import_households(request.user):
        raise PermissionDenied("가구 가져오기는 복지팀장·동장과 관리자만 할 수 있습니다.")


@personal_data_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    file_error = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = household_import(
                    actor=request.user, dong=form.cleaned_data["dong"], upload=form.cleaned_data["file"]
                )
            except ImportFileError as exc:
                file_error = error_text(exc)
            else:
                status = 200 if result.ok else 400
                if result.ok:
                    form = ImportForm(user=request.user)
    return render(
        request,
        "cases/imports/upload.html",
        {"form": form, "result": result, "file_error": file_error, "columns": IMPORT_COLUMNS,
         "max_mb": MAX_FILE_BYTES // (1024 * 1024), "max_rows": MAX_ROWS},
        status=status,
    )


@personal_data_required
@require_GET
def import_template_view(request, fmt):
    _require_importer(request)
    if fmt == "xlsx":
        response = HttpResponse(import_template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = ("attachment; "
                                           "filename*=UTF-8''%EA%B0%80%EA%B5%AC%EA%B0%80%EC%A0%B8%EC%98%A4%EA%B8%B0_%EC%96%91%EC%8B%9D.xlsx")
    else:
        response = HttpResponse(import_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = ("attachment; "
                                           "filename*=UTF-8''%EA%B0%80%EA%B5%AC%EA%B0%80%EC%A0%B8%EC%98%A4%EA%B8%B0_%EC%96%91%EC%8B%9D.csv")
    return response
