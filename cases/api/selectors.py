"""Scoped reads for the API. Every queryset here is narrowed to the acting user's area.

Households and reports come from the same selectors as the screens (cases.selectors), so the
API and the HTML can never disagree about who sees what; residents and contacts follow
their household's dong.

The rule (ARCHITECTURE.md "every read is scoped"): a dong role sees its dong, a gu
coordinator the gu, an admin everything and the city analyst no personal data at all.
Objects outside the scope are simply absent, so detail endpoints answer 404.
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from cases.models import Contact, CrisisReport, Household, Resident
from cases.selectors.discovery import partners_for, reports_for
from cases.selectors.households import households_for
from chatdong.accounts.scoping import scope, tongs_for, writable_dongs
from chatdong.areas.models import Dong

# The write choices below are the screens' own selectors: one answer to "which dong, tong or
# partner may this user refer to", whether the request comes from a form or the API.
__all__ = [
    "all_dongs", "contact_list_for", "crisis_report_list_for", "household_list_for", "partners_for",
    "resident_list_for", "staff_for", "tongs_for", "writable_dongs",
]


def household_list_for(user) -> QuerySet[Household]:
    # The screens' selector decides who sees which household; the API only adds its joins.
    return households_for(user).select_related("dong", "tong")


def resident_list_for(user) -> QuerySet[Resident]:
    return scope(Resident.objects.select_related("household"), user, dong_field="household__dong")


def contact_list_for(user) -> QuerySet[Contact]:
    # `visit_tasks`: the visit tasks the contact settled (VisitTask.contact), ids only.
    qs = Contact.objects.select_related("household", "created_by").prefetch_related(
        "staff", Prefetch("visit_tasks", queryset=Contact.visit_tasks.rel.related_model.objects.only("pk", "contact_id"))
    )
    return scope(qs, user, dong_field="household__dong")


def crisis_report_list_for(user) -> QuerySet[CrisisReport]:
    return reports_for(user)


# --- choices for write inputs (ids a user may refer to) -------------------------------------

def staff_for(user) -> QuerySet:
    """Active staff of the user's dongs (planner, nurse, contact participants)."""
    return get_user_model().objects.filter(is_active=True, dong__in=writable_dongs(user))


def all_dongs(user) -> QuerySet[Dong]:
    """Any dong (e.g. the dong of a registered address elsewhere): the map is not personal data."""
    return Dong.objects.all()
