"""Scoped reads for the API. Every queryset here is narrowed to the acting user's area.

Households and reports come from the same selectors as the screens (cases.selectors), so the
API and the HTML can never disagree about who sees what; residents and contacts follow
their household's dong.

The rule (ARCHITECTURE.md "every read is scoped"): a dong role sees its dong, a gu
coordinator the gu, an admin everything and the city analyst no personal data at all.
Objects outside the scope are simply absent, so detail endpoints answer 404.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cases.models import Contact, CrisisReport, Household, Partner, Resident
from cases.selectors.discovery import reports_for
from cases.selectors.households import households_for
from chatdong.accounts.scoping import dongs_for, scope
from chatdong.areas.models import Dong, Tong


def household_list_for(user) -> QuerySet[Household]:
    # The screens' selector decides who sees which household; the API only adds its joins.
    return households_for(user).select_related("dong", "tong")


def resident_list_for(user) -> QuerySet[Resident]:
    return scope(Resident.objects.select_related("household"), user, dong_field="household__dong")


def contact_list_for(user) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("household", "created_by").prefetch_related("staff")
    return scope(qs, user, dong_field="household__dong")


def crisis_report_list_for(user) -> QuerySet[CrisisReport]:
    return reports_for(user)


# --- choices for write inputs (ids a user may refer to) -------------------------------------

def dongs_writable_for(user) -> QuerySet:
    """Dongs the user may register data in (the city analyst has none)."""
    from chatdong.accounts.rules import can_see_personal_data

    return dongs_for(user) if can_see_personal_data(user) else Dong.objects.none()


def tongs_for(user) -> QuerySet[Tong]:
    return Tong.objects.filter(dong__in=dongs_writable_for(user))


def staff_for(user) -> QuerySet:
    """Active staff of the user's dongs (planner, nurse, contact participants)."""
    return get_user_model().objects.filter(is_active=True, dong__in=dongs_writable_for(user))


def partners_for(user) -> QuerySet[Partner]:
    return Partner.objects.filter(dong__in=dongs_writable_for(user))


def all_dongs(user) -> QuerySet[Dong]:
    """Any dong (e.g. the dong of a registered address elsewhere): the map is not personal data."""
    return Dong.objects.all()
