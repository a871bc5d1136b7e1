"""The outreach screens: scope, result recording, reassignment, run now, progress, uploads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chatdong.accounts.roles import Role
from chatdong.celery import app
from outreach.models import BigDataRound, Campaign, CampaignKind, SweepRun, TaskStatus, VisitTask
from outreach.services.sweeps import campaign_sweep
from tests.factories import DongFactory, HouseholdFactory, ResidentFactory, UserFactory
from tests.outreach.factories import CampaignFactory

D = datetime.date


@pytest.fixture
def eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def world(outreach_policy):
    dong = DongFactory()
    planner = UserFactory(role=Role.PLANNER, dong=dong)
    leader = UserFactory(role=Role.TEAM_LEADER, dong=dong)
    year = D.today().year
    residents = [ResidentFactory(household=HouseholdFactory(dong=dong), birth_date=D(year - 65, 3, i + 1)) for i in range(4)]
    campaign = CampaignFactory(year=year, dongs=[dong])
    campaign_sweep(campaign=campaign)
    return {"dong": dong, "planner": planner, "leader": leader, "campaign": campaign, "residents": residents}


def login(client, user):
    client.force_login(user)
    return client


def test_planner_records_a_result(client, world):
    login(client, world["planner"])
    task = VisitTask.objects.filter(assignee=world["planner"]).first()
    page = client.get(reverse("outreach:task_list"))
    assert page.status_code == 200 and task.household.address in page.content.decode()
    detail = client.get(reverse("outreach:task_detail", args=[task.pk]))
    assert "방문 결과" in detail.content.decode()
    bad = client.post(reverse("outreach:task_detail", args=[task.pk]), {"status": "lost", "note": ""})
    assert bad.status_code == 200 and VisitTask.objects.get(pk=task.pk).status == TaskStatus.OPEN
    ok = client.post(reverse("outreach:task_detail", args=[task.pk]), {"status": "done", "note": "건강 양호"})
    assert ok.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.result_note == "건강 양호"


def test_progress_and_counselling_rate(client, world):
    tasks = list(VisitTask.objects.filter(campaign=world["campaign"]))
    VisitTask.objects.filter(pk=tasks[0].pk).update(status=TaskStatus.DONE)
    VisitTask.objects.filter(pk=tasks[1].pk).update(status=TaskStatus.NOT_HOME)
    login(client, world["leader"])
    page = client.get(reverse("outreach:campaign_detail", args=[world["campaign"].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "상담률" in body and "25.0" in body and "50.0" in body  # 1/4 counselled, 2/4 handled
    assert "60.6" in body
    total = page.context["total"]
    assert (total.counted, total.done, total.not_home, total.open) == (4, 1, 1, 2)


def test_out_of_scope_is_404(client, world):
    stranger = UserFactory(role=Role.PLANNER)  # another dong
    login(client, stranger)
    task = VisitTask.objects.first()
    assert client.get(reverse("outreach:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("outreach:campaign_detail", args=[world["campaign"].pk])).status_code == 404
    assert client.post(reverse("outreach:task_detail", args=[task.pk]), {"status": "done"}).status_code == 404


def test_analyst_sees_aggregates_not_tasks(client, world):
    login(client, UserFactory(role=Role.CITY_ANALYST))
    assert client.get(reverse("outreach:campaign_detail", args=[world["campaign"].pk])).status_code == 200
    assert client.get(reverse("outreach:task_list")).status_code == 404
    assert client.get(reverse("outreach:task_detail", args=[VisitTask.objects.first().pk])).status_code == 404


def test_big_data_rounds_are_personal_pages(client, world):
    """The rounds list people: 404 for the analyst (as every personal page), 403 for a planner
    (in scope, but uploading and working lists is the supervisors' task)."""
    login(client, UserFactory(role=Role.CITY_ANALYST))
    round_ = BigDataRound.objects.create(round_label="2025년 9차", file_name="x.csv", file_sha256="0" * 64,
                                         campaign=world["campaign"], uploaded_by=UserFactory(role=Role.ADMIN))
    assert client.get(reverse("outreach:round_list")).status_code == 404
    assert client.get(reverse("outreach:round_detail", args=[round_.pk])).status_code == 404
    login(client, world["planner"])
    assert client.get(reverse("outreach:round_list")).status_code == 403


def test_leader_bulk_reassigns(client, world):
    other = UserFactory(role=Role.PLANNER, dong=world["dong"])
    # ids past 999 must not be rendered with a thousands separator (USE_THOUSAND_SEPARATOR)
    first = VisitTask.objects.order_by("pk").first()
    VisitTask.objects.filter(pk=first.pk).update(id=1234567)
    ids = [1234567, *VisitTask.objects.exclude(pk=1234567).values_list("pk", flat=True)[:1]]
    login(client, world["leader"])
    page = client.get(reverse("outreach:task_list"))
    assert page.context["supervisor"] and page.context["scope"] == "dong"
    assert 'value="1234567"' in page.content.decode()
    assert "담당자 선택" in page.content.decode() and "---------" not in page.content.decode()
    response = client.post(reverse("outreach:task_reassign"), {"assignee": other.pk, "tasks": ids})
    assert response.status_code == 302
    assert set(VisitTask.objects.filter(pk__in=ids).values_list("assignee_id", flat=True)) == {other.pk}
    login(client, world["planner"])
    assert client.post(reverse("outreach:task_reassign"), {"assignee": world["planner"].pk, "tasks": ids}).status_code == 403


def test_run_now_and_create_targeted(client, world, eager):
    login(client, world["leader"])
    response = client.post(reverse("outreach:campaign_run", args=[world["campaign"].pk]))
    assert response.status_code == 302
    run = SweepRun.objects.filter(campaign=world["campaign"]).latest("started_at")
    assert run.triggered_by == world["leader"] and run.created == 0 and run.already_present == 4
    response = client.post(reverse("outreach:campaign_create"), {
        "kind": CampaignKind.TARGETED, "name": "폭염 기획조사", "year": D.today().year, "dongs": [world["dong"].pk],
        "due_days": 7, "age_min": 60, "run_now": "on",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    campaign = Campaign.objects.get(name="폭염 기획조사")
    assert campaign.params["age_min"] == 60
    assert VisitTask.objects.filter(campaign=campaign).count() == 4
    empty = client.post(reverse("outreach:campaign_create"), {
        "kind": CampaignKind.TARGETED, "name": "조건 없음", "year": D.today().year, "dongs": [world["dong"].pk],
        "due_days": 7,
    })
    assert empty.status_code == 200 and "하나 이상의 조건" in empty.content.decode()
    login(client, world["planner"])
    assert client.get(reverse("outreach:campaign_create")).status_code == 403
    assert client.post(reverse("outreach:campaign_run", args=[world["campaign"].pk])).status_code == 403


def test_big_data_upload_screen(client, world):
    login(client, world["leader"])
    r = world["residents"][0]
    content = (f"성명,생년월일,주소,위기정보\n{r.name},{r.birth_date:%Y-%m-%d},서울,단전\n"
               "없는분,1940-01-01,서울,단수\n,,,\n틀린행,2040-01-01,서울,단전\n")
    response = client.post(reverse("outreach:round_list"), {
        "round_label": "2025년 1차", "file": SimpleUploadedFile("list.csv", content.encode()),
        "dongs": [world["dong"].pk], "due_days": 14,
    })
    assert response.status_code == 302
    round_ = BigDataRound.objects.get()
    page = client.get(reverse("outreach:round_detail", args=[round_.pk]))
    body = page.content.decode()
    assert "없는분" in body and "생년월일이 미래" in body
    again = client.post(reverse("outreach:round_list"), {
        "round_label": "2025년 1차", "file": SimpleUploadedFile("list.csv", content.encode()),
        "dongs": [world["dong"].pk], "due_days": 14,
    })
    assert again.status_code == 200 and "이미 등록된 차수" in again.content.decode()


def test_visit_tasks_join_the_worklist(client, world):
    pytest.importorskip("cases.selectors.worklist")
    login(client, world["planner"])
    page = client.get(reverse("cases:worklist"), {"assigned": "mine", "within": 90})
    assert page.status_code == 200
    body = page.content.decode()
    mine = VisitTask.objects.filter(assignee=world["planner"])
    assert mine.exists()
    assert reverse("outreach:task_detail", args=[mine.first().pk]) in body


def test_big_data_upload_refused_file_is_4xx(client, world):
    from tests.files import xlsx_bomb

    login(client, world["leader"])
    bomb = xlsx_bomb(["성명", "생년월일", "위기정보"], ["홍길동", "1950-01-01", "단전"], count=1_000_000)
    response = client.post(reverse("outreach:round_list"), {
        "round_label": "2025년 9차", "file": SimpleUploadedFile("명단.xlsx", bomb),
        "dongs": [world["dong"].pk], "due_days": 14,
    })
    assert response.status_code == 400 and "엑셀 파일의 내용이 너무 큽니다" in response.content.decode()
    broken = client.post(reverse("outreach:round_list"), {
        "round_label": "2025년 9차", "file": SimpleUploadedFile("명단.xlsx", b"PK\x03\x04broken"),
        "dongs": [world["dong"].pk], "due_days": 14,
    })
    assert broken.status_code == 400 and "엑셀 파일을 읽을 수 없습니다" in broken.content.decode()
    assert not BigDataRound.objects.exists()
