"""Writing visit tasks: recording a result, the lonely-death stage 2, bulk reassignment."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import ContactMode, ContactOutcome, Household, Resident
from cases.services.contacts import contact_log
from chatdong import policy
from chatdong.accounts.rules import is_admin, is_dong_staff, is_supervisor, works_in_dong
from chatdong.accounts.scoping import area_q
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from chatdong.lifecycle import apply_transition
from outreach.models import (
    RESULT_STATUSES,
    RESULT_TRANSITIONS,
    Finding,
    TaskStatus,
    VisitTask,
    VisitTaskEvent,
)
from outreach.services import cohorts
from outreach.services.engine import insert_tasks
from outreach.services.sweeps import lock_campaign

# Days a planner has for the stage-2 in-depth visit after a stage-1 anomaly.
STAGE2_DUE_KEY = "outreach.lonely_death_stage2_due_days"


def can_handle(user, task: VisitTask) -> bool:
    """The assignee (or anyone of the dong while unassigned), a supervisor of the task's dong,
    or an admin may record the result: a visit is dong work, not the gu's."""
    if is_admin(user):
        return True
    if works_in_dong(user, task):
        return task.assignee_id in (None, user.pk) or bool(is_supervisor(user))
    return False


# A visit's result is also a contact on the household, with this outcome …
CONTACT_OUTCOMES = {
    TaskStatus.DONE: ContactOutcome.MET,
    TaskStatus.NOT_HOME: ContactOutcome.NOT_HOME,
    TaskStatus.REFUSED: ContactOutcome.REFUSED,
    TaskStatus.MOVED: ContactOutcome.MOVED,
}
# … and a contact logged on the household ends its matching open tasks with this result
# (a member who died cannot be visited: the task is cancelled).
TASK_RESULTS = {
    ContactOutcome.MET: TaskStatus.DONE,
    ContactOutcome.NOT_HOME: TaskStatus.NOT_HOME,
    ContactOutcome.REFUSED: TaskStatus.REFUSED,
    ContactOutcome.MOVED: TaskStatus.MOVED,
    ContactOutcome.DECEASED: TaskStatus.CANCELLED,
}
CLOSED_BY_CONTACT_NOTE = "가구 상담 기록으로 처리"


def _finish(task: VisitTask, status: str, *, actor, note: str, finding: str = "", contact=None, comment: str = ""):
    """End an open, locked task with `status` through its named transition (one event row)."""

    def update(t: VisitTask) -> None:
        t.result_note = note
        t.finding = finding
        t.done_at = timezone.now()
        t.done_by = actor if getattr(actor, "pk", None) else None
        t.contact = contact

    apply_transition(
        task, RESULT_TRANSITIONS[status], actor=actor, event_model=VisitTaskEvent, update=update,
        fields=["result_note", "finding", "done_at", "done_by", "contact"], comment=comment or note,
        guard_message="1단계 조사 결과는 고독사 실태조사 1단계를 상담 완료할 때 기록합니다.",
    )


@transaction.atomic
def task_record_result(
    *, actor, task: VisitTask, status: str, note: str = "", finding: str = ""
) -> VisitTask:
    """Record a visit's result: 상담 완료 / 부재 / 거부 / 이사 with a note.

    For the lonely-death survey's stage 1 a completed visit needs a finding; 이상 발견
    creates the stage-2 in-depth task for a planner (once, whatever happens next).
    The visit is also a contact on the household (`cases.services.contacts.contact_log`:
    moves its contact clock, starts the no-response procedure for an unanswered 위험
    household), and the task keeps the link to it (`VisitTask.contact`)."""
    # The household first, then the task: contact_log locks in the same order (household,
    # then the tasks its hook closes), so the two never wait on each other crosswise.
    list(Household.objects.select_for_update().filter(pk=task.household_id).values_list("pk", flat=True))
    task = VisitTask.objects.select_for_update(of=("self",)).select_related("campaign", "household", "resident").get(pk=task.pk)
    if not can_handle(actor, task):
        raise ValidationError("이 방문 과제의 결과를 기록할 권한이 없습니다.")
    if task.status != TaskStatus.OPEN:
        raise ValidationError(f"이미 처리된 과제입니다({task.get_status_display()}).")
    if status not in RESULT_STATUSES:
        raise ValidationError({"status": "방문 결과(상담 완료·부재·거부·이사)를 선택하세요."})
    note = (note or "").strip()
    stage1 = task.needs_finding
    if stage1 and status == TaskStatus.DONE:
        if finding not in Finding.values:
            raise ValidationError({"finding": "1단계 조사 결과(이상 없음 또는 이상 발견)를 선택하세요."})
        if finding == Finding.ANOMALY and not note:
            raise ValidationError({"note": "발견한 이상 내용을 메모에 적어 주세요. 2단계 담당자에게 전달됩니다."})
    elif finding:
        raise ValidationError({"finding": "조사 결과는 고독사 실태조사 1단계를 상담 완료했을 때만 기록합니다."})

    # The task leaves 미완료 before its contact is logged, so the contact hook
    # (`tasks_close_for_contact`) does not find it open and cannot record it a second time.
    _finish(task, status, actor=actor, note=note, finding=finding)
    task.contact = contact_log(
        actor=actor, household=task.household, mode=ContactMode.VISIT, occurred_at=timezone.now(), staff=[actor],
        outcome=CONTACT_OUTCOMES[status], notes=note, resident=task.resident,
    )
    task.save(update_fields=["contact"])
    if stage1 and finding == Finding.ANOMALY:
        stage2_create(task=task)
    return task


def _resident_match(contact) -> Q:
    """Which of the household's tasks a contact speaks for: household-wide tasks always;
    a member's task when the contact names that member, when it names nobody in a household
    of one (counting a member this very contact marked as deceased or moved), or when the
    whole household moved (이사 without a member)."""
    household_wide = Q(resident__isnull=True)
    if contact.resident_id is not None:
        return household_wide | Q(resident_id=contact.resident_id)
    if contact.outcome == ContactOutcome.MOVED:
        return Q()
    day = timezone.localdate(contact.occurred_at)
    members = list(
        Resident.objects.filter(household_id=contact.household_id)
        .filter(Q(deceased_on__isnull=True) | Q(deceased_on__gte=day))
        .filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=day))
        .values_list("pk", flat=True)[:2]
    )
    if len(members) == 1:
        return household_wide | Q(resident_id=members[0])
    return household_wide


def tasks_close_for_contact(*, contact, actor) -> list[VisitTask]:
    """A contact logged on a household ends its matching open visit tasks at once, with the
    contact's result (`TASK_RESULTS`) and a link to it. Registered with
    `cases.services.contacts.contact_hook`, so it runs inside `contact_log`'s transaction.

    A task matches when it is open, of the household and of the household's dong (the dong
    that owns the work), and was created no later than the contact happened: a campaign's
    tasks exist only from its sweep in its period on, so a late entry of an earlier contact
    does not settle newer work, while a visit after the period still settles an overdue task.
    The contact records the result in its author's name, so only tasks the author may record
    are settled (`can_handle`: the assignee, an unassigned task, a supervisor of the dong);
    a colleague's task stays on the colleague's list. Left open too: a lonely-death stage-1
    task when the resident was met, because its finding (이상 없음 / 이상 발견) is recorded on
    the task's own page."""
    status = TASK_RESULTS.get(contact.outcome)
    if status is None:
        return []
    tasks = (
        VisitTask.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .filter(
            _resident_match(contact), household_id=contact.household_id, dong_id=contact.household.dong_id,
            status=TaskStatus.OPEN, created_at__lte=contact.occurred_at,
        )
        .order_by("pk")
    )
    closed = []
    for task in tasks:
        if not can_handle(actor, task) or (status == TaskStatus.DONE and task.needs_finding):
            continue
        _finish(task, status, actor=actor, note=CLOSED_BY_CONTACT_NOTE, contact=contact)
        closed.append(task)
    return closed


def stage2_create(*, task: VisitTask) -> VisitTask | None:
    """The stage-2 in-depth visit for a stage-1 anomaly, assigned to a planner by the same
    set-based rules as the sweep (the household's planner, the tong's, the least loaded)."""
    lock_campaign(task.campaign_id)
    today = timezone.localdate()
    due = today + datetime.timedelta(days=int(policy.read(STAGE2_DUE_KEY, on=today)))
    result = insert_tasks(
        campaign_id=task.campaign_id, run_id=None,
        cohort=cohorts.lonely_death_stage2(household_id=task.household_id, due=due),
        dong_ids=[task.dong_id], source_task_id=task.pk, return_ids=True,
    )
    return VisitTask.objects.filter(pk__in=result.task_ids).first()


@transaction.atomic
def tasks_reassign(*, actor, assignee, task_ids=None, from_assignee=None) -> int:
    """Team leaders move open tasks to another staff member of the same dong, in one UPDATE:
    the chosen tasks (`task_ids`), or all open tasks of `from_assignee` (e.g. someone on leave).
    Tasks outside the actor's area or in another dong than the assignee's are left alone."""
    if not is_supervisor(actor):
        raise ValidationError("방문 과제를 재배정할 권한이 없습니다. 복지팀장·동장만 재배정할 수 있습니다.")
    if assignee is None or not is_dong_staff(assignee) or not assignee.is_active or assignee.dong_id is None:
        raise ValidationError({"assignee": "재배정할 직원을 선택하세요(동 소속 직원)."})
    tasks = VisitTask.objects.filter(area_q(actor), status=TaskStatus.OPEN, dong_id=assignee.dong_id)
    if task_ids is not None:
        try:
            ids = [int(i) for i in task_ids]
        except (TypeError, ValueError):
            raise ValidationError({"tasks": "과제 번호가 올바르지 않습니다."}) from None
        if not ids:
            raise ValidationError({"tasks": "재배정할 과제를 선택하세요."})
        tasks = tasks.filter(pk__in=ids)
    elif from_assignee is not None:
        tasks = tasks.filter(assignee=from_assignee)
    else:
        raise ValidationError({"tasks": "재배정할 과제를 선택하세요."})
    changed = tasks.exclude(assignee=assignee).update(assignee=assignee)
    log_access(
        user=actor, subject_type=AccessLog.Subject.LIST, subject_id=None,
        action=AccessLog.Action.UPDATE, reason=f"방문 과제 {changed}건 재배정 → {assignee.display_name}",
    )
    return changed
