"""Visit tasks on the planner's worklist (cases.selectors.worklist): one more work source.

Risk-tier monitoring tasks are left out: the household's own cadence item ("정기 상담") is
already on the list for the same visit, and a contact logged there closes the task at once
(`outreach.services.visits.tasks_close_for_contact`)."""

from django.db.models import Q
from django.urls import reverse

from cases.selectors.worklist import WORK_SOURCES, WorkSource, work_source
from outreach.models import CampaignKind, TaskStatus, VisitTask


def _queryset():
    return VisitTask.objects.filter(status=TaskStatus.OPEN).exclude(campaign__kind=CampaignKind.RISK_TIER)


def _hydrate(ids: list[int]) -> dict:
    return VisitTask.objects.select_related("campaign", "assignee", "resident").in_bulk(ids)


def _describe(task, household) -> tuple[str, str, str, str]:
    """Title: the campaign's name; detail: who is to be visited and why; link: the task's
    page, where the visit result is recorded."""
    if not isinstance(task, VisitTask):  # not hydrated (should not happen): still a usable row
        return "방문 과제", "", "", reverse("cases:household_detail", args=[household.pk])
    who = f"{task.resident.name} · " if task.resident_id else ""
    title = f"{task.campaign.name}{' (2단계)' if task.stage == 2 else ''}"
    detail = f"{who}{task.reason}{' · 긴급' if task.priority == 'urgent' else ''}"
    assignee = task.assignee.display_name if task.assignee_id else "미배정"
    return title, detail, assignee, reverse("outreach:task_detail", args=[task.pk])


def register() -> None:
    if any(source.kind == "visit_task" for source in WORK_SOURCES):
        return
    work_source(
        WorkSource(
            kind="visit_task",
            label="방문 과제",
            queryset=_queryset,
            household_path="household__",
            due_field="due_on",
            mine=lambda user: Q(assignee=user),
            unassigned=lambda: Q(assignee__isnull=True),
            describe=_describe,
            hydrate=_hydrate,
            show_title=True,
            detail_label="방문 사유",
            action_label="과제 처리",
        )
    )
