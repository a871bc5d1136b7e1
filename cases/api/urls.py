"""The cases API, mounted at /api/v1/ (namespace "api")."""

from django.urls import path

from cases.api import auth
from cases.api.views import contacts, households, reports, residents

app_name = "api"
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
]
