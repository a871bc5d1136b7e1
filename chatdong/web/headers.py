"""Cache-Control for responses that may carry personal data.

Every response of a signed-in user (session) or an API client (token) is `no-store`: a shared
computer's browser cache, or a proxy, must never keep a household page or an API answer.
Anonymous pages get the same unless the view chose its own caching (the public report form
carries the reporter's name and phone number). Static files never reach this middleware:
WhiteNoise, above it, serves them with their long-lived caching.
"""

from django.utils.cache import add_never_cache_headers


def _authenticated(request) -> bool:
    # DRF authenticates tokens in the view and sets request.user then, so by the time the
    # response comes back a token user is visible here too; the header covers a refused token.
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False) or request.META.get("HTTP_AUTHORIZATION"))


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        chosen = response.get("Cache-Control", "")
        if "no-store" in chosen:
            return response  # already as strict as it gets (e.g. the RRN reveal)
        if not chosen or _authenticated(request):
            add_never_cache_headers(response)
        return response
