"""View guards built on the predicates of chatdong.accounts.rules."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from chatdong.accounts.rules import can_see_personal_data


def require_personal_data(user) -> None:
    """404 for a role that never sees personal data (the city analyst): for them a personal
    page does not exist, the same answer as for an object outside one's area (never 403,
    which would tell that something is there)."""
    if not can_see_personal_data(user):
        raise Http404("페이지를 찾을 수 없습니다.")


def personal_data_required(view):
    """Logged in, and a role that may see personal data; anyone else gets 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        require_personal_data(request.user)
        return view(request, *args, **kwargs)

    return wrapper
