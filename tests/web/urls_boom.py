"""The project's URLs plus one view that fails, to exercise handler500."""

from django.urls import path

from chatdong.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("boom")


handler403 = "chatdong.web.views.error_403"
handler404 = "chatdong.web.views.error_404"
handler500 = "chatdong.web.views.error_500"

urlpatterns = [path("boom/", boom), *project_urlpatterns]
