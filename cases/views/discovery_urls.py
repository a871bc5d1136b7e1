"""URLs of the crisis-report triage and the no-response procedure (namespace `cases`)."""

from django.urls import path

from cases.views import discovery, no_response

urlpatterns = [
    path("reports/", discovery.report_list, name="report_list"),
    path("reports/new/", discovery.report_create, name="report_create"),
    path("reports/<int:pk>/", discovery.report_detail, name="report_detail"),
    path("reports/<int:pk>/assign/", discovery.report_assign, name="report_assign"),
    path("reports/<int:pk>/transfer/", discovery.report_transfer, name="report_transfer"),
    path("reports/<int:pk>/households/", discovery.report_household_search, name="report_household_search"),
    path("reports/<int:pk>/link/", discovery.report_link_household, name="report_link_household"),
    path("reports/<int:pk>/create-household/", discovery.report_create_household, name="report_create_household"),
    path("reports/<int:pk>/visit/", discovery.report_visit, name="report_visit"),
    path("reports/<int:pk>/close/", discovery.report_close, name="report_close"),
    path("reports/<int:pk>/reward/", discovery.report_reward, name="report_reward"),
    path("no-response/", no_response.overview, name="no_response_overview"),
    path("no-response/<int:pk>/", no_response.procedure_detail, name="no_response_detail"),
    path("no-response/<int:pk>/close/", no_response.procedure_close, name="no_response_close"),
    path("no-response/steps/<int:pk>/done/", no_response.step_done, name="no_response_step_done"),
    path("no-response/start/<int:household_pk>/", no_response.procedure_start, name="no_response_start"),
]
