"""Writing visit tasks: recording a result, the lonely-death stage 2, bulk reassignment."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chatdong.accounts.rules import is_admin, is_dong_staff, is_supervisor, works_in_dong
from chatdong.accounts.scoping import area_q
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access
from outreach.models import RESULT_STATUSES, CampaignKind, Finding, TaskStatus, VisitTask
from outreach.services import cohorts
from outreach.services.engine import insert_tasks
from outreach.services.sweeps import lock_campaign

logger = logging.getLogger(__name__)

# Days a planner has for the stage-2 in-depth visit after a stage-1 anomaly.
STAGE2_DUE_DAYS = 7


def can_handle(user, task: VisitTask) -> bool:
    """The assignee (or anyone of the dong while unassigned), a supervisor of the task's dong,
    or an admin may record the result: a visit is dong work, not the gu's."""
    if is_admin(user):
        return True
    if works_in_dong(user, task):
        return task.assignee_id in (None, user.pk) or bool(is_supervisor(user))
    return False


def _contact_outcome(status: str) -> str | None:
    from cases.models import ContactOutcome

    return {
        TaskStatus.DONE: ContactOutcome.MET,
        TaskStatus.NOT_HOME: ContactOutcome.NOT_HOME,
        TaskStatus.REFUSED: ContactOutcome.REFUSED,
        TaskStatus.MOVED: ContactOutcome.MOVED,
    }.get(status)


def _log_contact(*, actor, task: VisitTask, status: str, note: str):
    """The visit is also a contact on the household (moves its contact clock, starts the
    no-response procedure for an unanswered 위험 household) — through the cases service."""
    try:
        from cases.services.contacts import contact_log
    except ImportError:  # cases without its contact service: the task still records the result
        logger.warning("cases.services.contacts unavailable; task %s result not logged as a contact", task.pk)
        return None
    from cases.models import ContactMode

    return contact_log(
        actor=actor, household=task.household, mode=ContactMode.VISIT, occurred_at=timezone.now(), staff=[actor],
        outcome=_contact_outcome(status), notes=note, resident=task.resident, visit_task_id=task.pk,
    )


@transaction.atomic
def task_record_result(
    *, actor, task: VisitTask, status: str, note: str = "", finding: str = ""
) -> VisitTask:
    """Record a visit's result: 상담 완료 / 부재 / 거부 / 이사 with a note.

    For the lonely-death survey's stage 1 a completed visit needs a finding; 이상 발견
    creates the stage-2 in-depth task for a planner (once, whatever happens next)."""
    task = VisitTask.objects.select_for_update(of=("self",)).select_related("campaign", "household", "resident").get(pk=task.pk)
    if not can_handle(actor, task):
        raise ValidationError("이 방문 과제의 결과를 기록할 권한이 없습니다.")
    if task.status != TaskStatus.OPEN:
        raise ValidationError(f"이미 처리된 과제입니다({task.get_status_display()}).")
    if status not in RESULT_STATUSES:
        raise ValidationError({"status": "방문 결과(상담 완료·부재·거부·이사)를 선택하세요."})
    note = (note or "").strip()
    stage1 = task.campaign.kind == CampaignKind.LONELY_DEATH and task.stage == 1
    if stage1 and status == TaskStatus.DONE:
        if finding not in Finding.values:
            raise ValidationError({"finding": "1단계 조사 결과(이상 없음 또는 이상 발견)를 선택하세요."})
        if finding == Finding.ANOMALY and not note:
            raise ValidationError({"note": "발견한 이상 내용을 메모에 적어 주세요. 2단계 담당자에게 전달됩니다."})
    elif finding:
        raise ValidationError({"finding": "조사 결과는 고독사 실태조사 1단계를 상담 완료했을 때만 기록합니다."})

    contact = _log_contact(actor=actor, task=task, status=status, note=note)
    task.status = status
    task.result_note = note
    task.finding = finding
    task.done_at = timezone.now()
    task.done_by = actor
    task.contact = contact
    task.save(update_fields=["status", "result_note", "finding", "done_at", "done_by", "contact"])
    if contact is None:
        log_access(
            user=actor, subject_type=AccessLog.Subject.HOUSEHOLD, subject_id=task.household_id,
            action=AccessLog.Action.UPDATE, reason=f"방문 과제 결과: {task.get_status_display()}",
        )
    if stage1 and finding == Finding.ANOMALY:
        stage2_create(task=task)
    return task


def stage2_create(*, task: VisitTask) -> VisitTask | None:
    """The stage-2 in-depth visit for a stage-1 anomaly, assigned to a planner by the same
    set-based rules as the sweep (the household's planner, the tong's, the least loaded)."""
    lock_campaign(task.campaign_id)
    due = timezone.localdate() + datetime.timedelta(days=STAGE2_DUE_DAYS)
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
