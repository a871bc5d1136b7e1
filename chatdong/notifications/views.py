from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from chatdong.notifications import selectors, services


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one of my notifications read and go to what it is about."""
    notification = selectors.notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("알림을 찾을 수 없습니다.")
    services.mark_read(user=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_read(user=request.user)
    messages.success(request, f"알림 {count}건을 읽음으로 표시했습니다." if count else "읽지 않은 알림이 없습니다.")
    return redirect("notifications:list")
