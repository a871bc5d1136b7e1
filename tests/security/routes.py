"""Enumerate the URL patterns of personal-data screens and APIs from the live resolver.

Every pattern in the `cases` and `api` namespaces is found by walking `get_resolver()`, so
routes added later are covered without touching the tests. A route whose integer kwargs
name objects (`pk`, `household_pk`, `resident_pk`, …) is an *object route*; the model of
each kwarg comes from the kwarg name (`<model>_pk` / `<model>_id`) or, for a bare `pk`,
from the path segment before it (`households/<int:pk>/…`), and is cross-checked against
the view's own `queryset.model` when it has one.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

NAMESPACES = ("cases", "api")
# Patterns that are not screens of personal data (the API's JSON 404 fallback).
SKIP = {"api:not-found"}

# Model labels, resolved lazily so a module that is not installed yet simply maps to nothing.
SEGMENT_MODELS = {
    "households": "cases.Household",
    "residents": "cases.Resident",
    "contacts": "cases.Contact",
    "reports": "cases.CrisisReport",
    "no-response": "cases.NoResponseProcedure",
    "steps": "cases.NoResponseStep",
    "care-requests": "care_sos.CareRequest",
}
KWARG_MODELS = {
    "household": "cases.Household",
    "resident": "cases.Resident",
    "contact": "cases.Contact",
    "report": "cases.CrisisReport",
    "procedure": "cases.NoResponseProcedure",
    "step": "cases.NoResponseStep",
    "care_request": "care_sos.CareRequest",
}


def _model(label: str | None):
    if label is None:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None
CONVERTER_RE = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")


@dataclass
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern text, e.g. "cases/households/<int:pk>/"
    kwargs: dict = field(default_factory=dict)  # kwarg → model (object routes)
    unmapped: list = field(default_factory=list)  # kwargs we could not map to a model
    view_model: object = None

    @property
    def is_object_route(self) -> bool:
        return bool(self.kwargs) or bool(self.unmapped)

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix: str, namespaces: tuple):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespaces, pattern


def _view_model(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    model = getattr(view_class, "model", None)
    return getattr(queryset, "model", None) or model


def _kwarg_model(route: str, match: re.Match):
    name = match.group("name")
    base = re.sub(r"_(pk|id)$", "", name)
    if base != name:
        return _model(KWARG_MODELS.get(base))
    if name == "pk":
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        return _model(SEGMENT_MODELS.get(before))
    return None


def discover() -> list[Route]:
    routes = []
    for text, namespaces, pattern in _walk(get_resolver().url_patterns, "", ()):
        if not namespaces or namespaces[0] not in NAMESPACES or not pattern.name:
            continue
        name = f"{':'.join(namespaces)}:{pattern.name}"
        if name in SKIP:
            continue
        route = Route(name=name, route=text, view_model=_view_model(pattern.callback))
        for match in CONVERTER_RE.finditer(text):
            model = _kwarg_model(text, match)
            if model is None:
                route.unmapped.append(match.group("name"))
            else:
                route.kwargs[match.group("name")] = model
        routes.append(route)
    return routes


def object_routes() -> list[Route]:
    return [r for r in discover() if r.is_object_route]


def plain_routes() -> list[Route]:
    return [r for r in discover() if not r.is_object_route]
