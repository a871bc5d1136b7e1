"""Lifecycles outside Care SOS: the one way a record with a django-fsm-2 state changes state.

A model keeps its `status` as an `FSMField` with named `@transition` methods (guards are
their `conditions`), and an append-only event model built on `TransitionEvent` (who, when,
from, to, comment). Services lock the row, then call `apply_transition`: it checks that the
transition is allowed from the current state and that its guards hold (a Korean
`ValidationError` otherwise), runs it, saves the given fields and records the event.
"""

from collections.abc import Callable, Iterable
from typing import ClassVar

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import can_proceed


class TransitionEvent(models.Model):
    """One transition of a record. Concrete models add the foreign key named by
    `subject_field`, a Korean verbose name and a `pgtrigger.Protect` against UPDATE/DELETE."""

    subject_field: ClassVar[str] = ""
    # Korean name of each transition (and of the implicit first one), for history and messages.
    labels: ClassVar[dict[str, str]] = {}

    transition = models.CharField("처리", max_length=30)
    from_status = models.CharField("이전 상태", max_length=20, blank=True)
    to_status = models.CharField("변경 상태", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="처리자", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField("처리일시", default=timezone.now, db_index=True)
    comment = models.TextField("의견", blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.transition_label}"

    @property
    def transition_label(self) -> str:
        return self.labels.get(self.transition, self.transition)

    @classmethod
    def record(cls, subject, transition: str, *, from_status: str, actor, comment: str = ""):
        return cls.objects.create(
            **{cls.subject_field: subject}, transition=transition, from_status=from_status,
            to_status=subject.status, actor=actor if getattr(actor, "pk", None) else None,
            comment=(comment or "").strip(),
        )


def apply_transition(
    subject,
    name: str,
    *,
    actor,
    event_model: type[TransitionEvent],
    fields: Iterable[str] = (),
    comment: str = "",
    update: Callable[[object], None] | None = None,
    guard_message: str = "처리 조건을 갖추지 못했습니다.",
    changed_at_field: str = "",
) -> str:
    """Run transition `name` on a locked `subject`, save `fields` (and the status), record the
    event; returns the state it left. `update(subject)` sets the data the guards check, before
    they are checked, and is undone by the caller's rollback when a guard refuses.
    `changed_at_field`, when given, is set to now only when the state really changes."""
    method = getattr(subject, name)
    from_status = subject.status
    label = event_model.labels.get(name, name)
    if not can_proceed(method, check_conditions=False):
        raise ValidationError(
            f"지금 상태('{subject.get_status_display()}')에서는 '{label}'을(를) 할 수 없습니다. "
            "화면을 새로 고쳐 현재 상태를 확인해 주세요.",
            code="invalid_transition",
        )
    if update is not None:
        update(subject)
    if not can_proceed(method):
        raise ValidationError(guard_message, code="guard")
    method()
    fields = ["status", *fields]
    if changed_at_field and subject.status != from_status:
        setattr(subject, changed_at_field, timezone.now())
        fields.append(changed_at_field)
    subject.save(update_fields=fields)
    event_model.record(subject, name, from_status=from_status, actor=actor, comment=comment)
    return from_status


class TransitionEventInline(admin.TabularInline):
    """A record's transition history in the admin: shown, never added, changed or deleted
    (the table refuses UPDATE/DELETE anyway). Subclasses set `model`."""

    extra = 0
    can_delete = False
    fields = ("at", "transition", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields
    ordering = ("at", "pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
