from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from outreach.views.webhooks import activity_webhook

admin.site.site_header = "찾동 관리자"
admin.site.site_title = "찾동 관리자"
admin.site.index_title = "관리 메뉴"

handler403 = "chatdong.web.views.error_403"
handler404 = "chatdong.web.views.error_404"
handler500 = "chatdong.web.views.error_500"

urlpatterns = [
    path("", include("chatdong.web.urls")),
    path("accounts/", include("chatdong.accounts.urls")),
    path("policy/", include("chatdong.policy.urls")),
    path("audit/", include("chatdong.audit.urls")),
    path("notifications/", include("chatdong.notifications.urls")),
    path("cases/", include("cases.urls")),
    path("outreach/", include("outreach.urls")),
    path("webhooks/activity/", activity_webhook, name="activity-webhook"),
    path("report/", include("cases.public_urls")),
    path("api/v1/", include("cases.api.urls")),
    # Care SOS became its own app (label `care_sos`): old admin addresses of its provider
    # registry (bookmarks) lead to the new ones.
    re_path(r"^admin/cases/careprovider/(?P<rest>.*)$", RedirectView.as_view(
        url="/admin/care_sos/careprovider/%(rest)s", query_string=True, permanent=True)),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script is a separate request (the split view); its page and widgets still
    # style elements inline, so only this developer page may.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]
