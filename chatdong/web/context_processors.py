from django.urls import NoReverseMatch, reverse

from chatdong.web.navigation import items_for


def _matches(path: str, url: str) -> bool:
    # A section stays highlighted on its sub-pages (e.g. /policy/<key>/ under /policy/);
    # 홈 ("/") only on the home page itself.
    return path == url or (url != "/" and path.startswith(url))


def active_url(path: str, urls) -> str | None:
    """The one menu URL to highlight for `path`: the longest that matches it, so that
    /cases/households/new/ marks 가구 등록 and not also 가구 찾기 (/cases/households/)."""
    return max((url for url in urls if _matches(path, url)), key=len, default=None)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in items_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "url_name": item.url_name,
                "description": item.description,
                "active": False,
            }
        )
    current = active_url(request.path, [entry["url"] for entry in items])
    for entry in items:
        entry["active"] = entry["url"] == current
    return {"nav_items": items}
