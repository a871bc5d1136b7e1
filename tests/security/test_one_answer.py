"""Out of scope is one answer everywhere: 404. The scope matrix accepts 403 or 404 for the city
analyst; here the rule is exact — on every personal object route, HTML and API, in the analyst's
"area" (everything) or not, GET and POST answer 404 (405 for a GET on a POST-only route), just
like an object that does not exist."""

import pytest
from django.test import Client
from django.urls import reverse

from chatdong.accounts.roles import Role
from tests.security import routes as route_registry

OBJECT_ROUTES = [r for r in route_registry.object_routes() if not r.unmapped]


def _url(route, area):
    objects = area.objects()
    if any(model not in objects for model in route.kwargs.values()):
        pytest.skip("no such object in the test world")
    return reverse(route.name, kwargs={kwarg: objects[model].pk for kwarg, model in route.kwargs.items()})


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_the_city_analyst_gets_404_on_every_personal_object(route, world):
    admin = Client()
    admin.force_login(world.users[Role.ADMIN])
    analyst = Client(raise_request_exception=False)
    analyst.force_login(world.users[Role.CITY_ANALYST])
    failures = []
    for area in (world.inside, world.outside):
        url = _url(route, area)
        post_only = admin.get(url).status_code == 405
        get_status = analyst.get(url).status_code
        if get_status != (405 if post_only else 404):
            failures.append(f"GET {url} → {get_status}")
        post_status = analyst.post(url, {}, HTTP_ACCEPT="text/html").status_code
        if post_status not in (404, 405):
            failures.append(f"POST {url} → {post_status}")
    assert not failures, "\n".join(failures)
