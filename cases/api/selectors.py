"""Scoped reads for the API. Every queryset here is narrowed to the acting user's area.

The rule (ARCHITECTURE.md "every read is scoped"): a dong role sees its dong, a gu
coordinator the gu, an admin everything and the city analyst no personal data at all.
Objects outside the scope are simply absent, so detail endpoints answer 404.
"""

from django.db.models import QuerySet

from cases.models import Contact, CrisisReport, Household, Resident
from chatdong.accounts.scoping import scope


def household_list_for(user) -> QuerySet[Household]:
    qs = Household.objects.select_related("dong", "tong", "planner", "nurse")
    return scope(qs, user, dong_field="dong")


def resident_list_for(user) -> QuerySet[Resident]:
    return scope(Resident.objects.select_related("household"), user, dong_field="household__dong")


def contact_list_for(user) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("household", "created_by").prefetch_related("staff")
    return scope(qs, user, dong_field="household__dong")


def crisis_report_list_for(user) -> QuerySet[CrisisReport]:
    return scope(CrisisReport.objects.select_related("dong"), user, dong_field="dong")
