"""Care SOS can be started from where the need is found: the household page and a crisis report."""

from django.urls import reverse

from chatdong.accounts.roles import Role
from tests.factories import CrisisReportFactory, HouseholdFactory, UserFactory


def test_household_page_links_to_an_intake_prefilled_with_the_household(client, dong):
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    household = HouseholdFactory(dong=dong, address="가나로 1")
    client.force_login(planner)

    page = client.get(reverse("cases:household_detail", args=[household.pk])).content.decode()
    link = f'{reverse("cases:care_request_intake")}?household={household.pk}'
    assert link in page

    intake = client.get(link)
    assert intake.status_code == 200
    assert "가나로 1" in intake.content.decode()


def test_open_report_links_to_an_intake_with_the_report(client, dong):
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    report = CrisisReportFactory(dong=dong)
    client.force_login(planner)

    page = client.get(reverse("cases:report_detail", args=[report.pk])).content.decode()
    link = f'{reverse("cases:care_request_intake")}?report={report.pk}'
    assert link in page
    assert client.get(link).status_code == 200


def test_gu_coordinator_gets_no_intake_button(client, dong):
    coordinator = UserFactory(role=Role.GU_COORDINATOR, gu=dong.gu)
    household = HouseholdFactory(dong=dong)
    client.force_login(coordinator)
    page = client.get(reverse("cases:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="care-sos-intake"' not in page
