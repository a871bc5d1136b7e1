from django.core.paginator import Paginator
from django.shortcuts import render
from rules.contrib.views import permission_required

from chatdong.audit.selectors import access_log_search


@permission_required("audit.view_accesslog", raise_exception=True)
def access_log_list(request):
    rows = access_log_search(
        username=request.GET.get("user", "").strip(),
        date_from=request.GET.get("from", ""),
        date_to=request.GET.get("to", ""),
        household_id=request.GET.get("household", ""),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "audit/accesslog_list.html", {"page": page, "query": request.GET})
