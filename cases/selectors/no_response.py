"""Reading no-response procedures (고독사 무응답 대응), scoped by user. DOMAIN §4."""

from django.db.models import Count, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Household, NoResponseProcedure, NoResponseStep
from chatdong.accounts.scoping import scope


def procedures_for(user) -> QuerySet[NoResponseProcedure]:
    return scope(NoResponseProcedure.objects.all(), user, dong_field="household__dong").select_related(
        "household__dong", "started_by"
    )


def procedure_list_for(user, *, status: str = NoResponseProcedure.Status.OPEN, now=None) -> QuerySet[NoResponseProcedure]:
    """Procedures of the user's area with their step counts and earliest open deadline."""
    now = now or timezone.now()
    rows = procedures_for(user)
    if status in NoResponseProcedure.Status.values:
        rows = rows.filter(status=status)
    return rows.annotate(
        steps_total=Count("steps"),
        steps_done=Count("steps", filter=Q(steps__done_at__isnull=False)),
        steps_overdue=Count("steps", filter=Q(steps__done_at__isnull=True, steps__due_at__lt=now)),
        next_due=Min("steps__due_at", filter=Q(steps__done_at__isnull=True)),
    ).order_by("-started_at")


def procedure_get_for(user, pk: int) -> NoResponseProcedure:
    return get_object_or_404(procedures_for(user), pk=pk)


def steps_of(procedure: NoResponseProcedure) -> QuerySet[NoResponseStep]:
    return procedure.steps.select_related("done_by").order_by("day", "due_at", "id")


def step_get_for(user, pk: int) -> NoResponseStep:
    rows = scope(NoResponseStep.objects.all(), user, dong_field="procedure__household__dong")
    return get_object_or_404(rows.select_related("procedure__household", "done_by"), pk=pk)


def overdue_steps_for(user, *, now=None) -> QuerySet[NoResponseStep]:
    """Unfinished steps past their deadline in open procedures of the user's area, oldest
    deadline first — the team leader's red list."""
    now = now or timezone.now()
    rows = scope(NoResponseStep.objects.all(), user, dong_field="procedure__household__dong")
    return (
        rows.filter(
            done_at__isnull=True, due_at__lt=now, procedure__status=NoResponseProcedure.Status.OPEN
        )
        .select_related("procedure__household__dong")
        .order_by("due_at", "id")
    )


def household_for_start(user, pk: int) -> Household:
    """A household in the user's area (404 otherwise), for starting a procedure."""
    return get_object_or_404(scope(Household.objects.all(), user), pk=pk)


def open_procedure_for(household: Household) -> NoResponseProcedure | None:
    return NoResponseProcedure.objects.filter(
        household=household, status=NoResponseProcedure.Status.OPEN
    ).first()
