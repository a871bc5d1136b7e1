"""One rule for "still a member" (neither deceased nor moved out), in the ORM and in raw SQL."""

import datetime

from django.db import connection
from django.db.models import Count

from cases.models import Household, Resident
from cases.models.households import ACTIVE_RESIDENT_SQL, active_resident_q
from tests.factories import ResidentFactory

DAY = datetime.date(2024, 3, 1)


def _members(household):
    return {
        "here": ResidentFactory(household=household),
        "deceased": ResidentFactory(household=household, deceased_on=DAY),
        "moved_out": ResidentFactory(household=household, moved_out_on=DAY),
    }


def test_active_keeps_only_current_members(household):
    people = _members(household)
    assert list(Resident.objects.active().filter(household=household)) == [people["here"]]
    # Through the related manager too (it is built on the model's default manager).
    assert list(household.residents.active()) == [people["here"]]
    assert [r.is_active for r in (people["here"], people["deceased"], people["moved_out"])] == [True, False, False]


def test_q_across_a_relation_and_the_sql_fragment_agree(household):
    people = _members(household)
    counted = Household.objects.annotate(n=Count("residents", filter=active_resident_q("residents"))).get(pk=household.pk)
    assert counted.n == 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id FROM cases_resident r WHERE r.household_id = %s AND {ACTIVE_RESIDENT_SQL.format(r='r')}",
            [household.pk],
        )
        assert [row[0] for row in cursor.fetchall()] == [people["here"].pk]
