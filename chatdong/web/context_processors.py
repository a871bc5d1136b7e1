from django.urls import NoReverseMatch, reverse

from chatdong.web.navigation import items_for


def _is_active(path: str, url: str) -> bool:
    # A section stays highlighted on its sub-pages (e.g. /policy/<key>/ under /policy/).
    return path == url or (url != "/" and path.startswith(url))


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
                "active": _is_active(request.path, url),
            }
        )
    return {"nav_items": items}
