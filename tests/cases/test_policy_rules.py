"""The visit defaults and the no-response due hours are policy, not constants: a new version
of the threshold changes what the services do, and the procedure stores the versions used."""

import datetime

from django.utils import timezone

from cases.forms.contacts import RefusedQuickForm
from cases.models import RiskTier
from cases.services import no_response
from cases.services.contacts import contact_not_home_quick, contact_refused_quick
from chatdong.policy.selectors import version
from chatdong.policy.services import threshold_change

SEOUL = datetime.timezone(datetime.timedelta(hours=9))


def _change(key: str, value) -> None:
    threshold_change(key=key, value=value, valid_from=timezone.localdate(), source="시험 문서")


def test_not_home_revisit_follows_the_policy(household, planner, today):
    _change("contact.not_home_revisit_days", 3)
    contact = contact_not_home_quick(actor=planner, household=household)
    assert contact.next_action_on == today + datetime.timedelta(days=3)


def test_refused_revisit_default_follows_the_policy(household, planner, today):
    assert RefusedQuickForm().fields["revisit_on"].initial == today + datetime.timedelta(days=7)
    _change("contact.refused_revisit_days", 10)
    contact = contact_refused_quick(actor=planner, household=household, companion="family")
    assert contact.next_action_on == today + datetime.timedelta(days=10)
    assert RefusedQuickForm().fields["revisit_on"].initial == today + datetime.timedelta(days=10)


def test_no_response_due_hours_follow_the_policy_and_are_stored(household, planner, today):
    household.risk_tier = RiskTier.HIGH
    household.save(update_fields=["risk_tier"])
    _change("no_response.day2_morning_due_hour", 10)
    _change("no_response.day2_afternoon_due_hour", 17)
    procedure = no_response.no_response_start(actor=planner, household=household, trigger="안부전화 미응답")
    started = timezone.localdate(procedure.started_at)
    day2 = started + datetime.timedelta(days=1)
    due = {s.code: timezone.localtime(s.due_at) for s in procedure.steps.all()}
    assert due["d2_joint_visit"] == datetime.datetime.combine(day2, datetime.time(10), tzinfo=SEOUL)
    assert due["d2_missing_report"] == datetime.datetime.combine(day2, datetime.time(17), tzinfo=SEOUL)
    procedure.refresh_from_db()
    assert procedure.policy_versions == {
        key: version(key, on=started).pk
        for key in ("no_response.day2_morning_due_hour", "no_response.day2_afternoon_due_hour")
    }
