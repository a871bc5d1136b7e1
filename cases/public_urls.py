"""Public (no login) pages: the crisis-report form at /report/."""

from django.urls import path

from cases.views import public_report

app_name = "public"
urlpatterns = [
    path("", public_report.public_report, name="report"),
    path("dongs/", public_report.public_dong_options, name="dong_options"),
    path("done/", public_report.public_report_done, name="report_done"),
]
