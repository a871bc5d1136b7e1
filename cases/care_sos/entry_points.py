"""Where Care SOS can be started from the households part's pages: "돌봄SOS 신청" on a
household and "돌봄SOS로 접수" on an open crisis report (an intake form prefilled with them).
Registered by `CareSosConfig.ready()`; only dong staff receive requests."""

from urllib.parse import urlencode

from django.urls import reverse

from cases.entry_points import CRISIS_REPORT, HOUSEHOLD, EntryPoint, register_entry_point
from cases.models import ReportStatus

TESTID = "care-sos-intake"


def _intake_url(**params) -> str:
    return f"{reverse('cases:care_request_intake')}?{urlencode(params)}"


def _report_intake_url(report) -> str:
    params = {"report": report.pk}
    if report.household_id:
        params["household"] = report.household_id
    return _intake_url(**params)


def register() -> None:
    register_entry_point(EntryPoint(
        page=HOUSEHOLD, label="돌봄SOS 신청", testid=TESTID,
        href=lambda household: _intake_url(household=household.pk),
        visible=lambda user, household: bool(user.dong_id),
    ))
    register_entry_point(EntryPoint(
        page=CRISIS_REPORT, label="돌봄SOS로 접수", testid=TESTID,
        href=_report_intake_url,
        visible=lambda user, report: bool(user.dong_id) and report.status != ReportStatus.CLOSED,
    ))
