"""The cases API, mounted at /api/v1/ (namespace "api")."""

from django.urls import path

from cases.api import auth, views

app_name = "api"
urlpatterns = [
    path("auth/token/", auth.TokenApi.as_view(), name="auth-token"),
    path("households/", views.HouseholdListApi.as_view(), name="household-list"),
    path("households/<int:pk>/", views.HouseholdDetailApi.as_view(), name="household-detail"),
    path("residents/", views.ResidentListApi.as_view(), name="resident-list"),
    path("residents/<int:pk>/", views.ResidentDetailApi.as_view(), name="resident-detail"),
    path("contacts/", views.ContactListApi.as_view(), name="contact-list"),
    path("contacts/<int:pk>/", views.ContactDetailApi.as_view(), name="contact-detail"),
    path("reports/", views.CrisisReportListApi.as_view(), name="report-list"),
    path("reports/<int:pk>/", views.CrisisReportDetailApi.as_view(), name="report-detail"),
]
