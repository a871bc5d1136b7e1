"""The cases API, mounted at /api/v1/ (namespace "api")."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from cases.api import auth
from cases.api.views import contacts, households, reports, residents

app_name = "api"


@csrf_exempt  # it changes nothing; a CSRF page would be HTML
def not_found(request, *args, **kwargs):
    """Anything else under /api/v1/ (a malformed id, a typo) is a JSON 404, never the HTML page."""
    return JsonResponse({"detail": "찾을 수 없습니다."}, status=404)


urlpatterns = [
    path("auth/token/", auth.TokenApi.as_view(), name="auth-token"),
    path("households/", households.HouseholdListApi.as_view(), name="household-list"),
    path("households/<int:pk>/", households.HouseholdDetailApi.as_view(), name="household-detail"),
    path("households/<int:pk>/risk-tier/", households.HouseholdRiskTierApi.as_view(), name="household-risk-tier"),
    path("residents/", residents.ResidentListApi.as_view(), name="resident-list"),
    path("residents/<int:pk>/", residents.ResidentDetailApi.as_view(), name="resident-detail"),
    path("residents/<int:pk>/rrn-reveal/", residents.ResidentRrnRevealApi.as_view(), name="resident-rrn-reveal"),
    path("contacts/", contacts.ContactListApi.as_view(), name="contact-list"),
    path("contacts/<int:pk>/", contacts.ContactDetailApi.as_view(), name="contact-detail"),
    path("reports/", reports.CrisisReportListApi.as_view(), name="report-list"),
    path("reports/<int:pk>/", reports.CrisisReportDetailApi.as_view(), name="report-detail"),
    # Keep last: other API routes must be added above this line.
    re_path(r"", not_found, name="not-found"),
]
