"""Custom user: a role and an area scope (a dong, or a gu) from the first migration."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from chatdong.accounts.roles import CITY_ROLES, DONG_ROLES, GU_ROLES, Role


class User(AbstractUser):
    name = models.CharField("이름", max_length=50, blank=True)
    role = models.CharField("역할", max_length=30, choices=Role.choices, default=Role.PLANNER)
    dong = models.ForeignKey(
        "areas.Dong", verbose_name="소속 동", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    gu = models.ForeignKey(
        "areas.Gu", verbose_name="소속 구", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    tongs = models.ManyToManyField(
        "areas.Tong", verbose_name="담당 통", blank=True, related_name="staff"
    )
    phone = models.CharField("연락처", max_length=20, blank=True)

    class Meta:
        verbose_name = "직원 계정"
        verbose_name_plural = "직원 계정"
        constraints = [
            # The scope must match the role: dong roles have a dong (and its gu), gu roles a gu
            # and no dong, city roles neither.
            models.CheckConstraint(
                name="user_scope_matches_role",
                condition=(
                    Q(role__in=sorted(r.value for r in DONG_ROLES), dong__isnull=False, gu__isnull=False)
                    | Q(role__in=sorted(r.value for r in GU_ROLES), dong__isnull=True, gu__isnull=False)
                    | Q(role__in=sorted(r.value for r in CITY_ROLES), dong__isnull=True, gu__isnull=True)
                    | Q(is_superuser=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def scope_label(self) -> str:
        if self.dong_id:
            return str(self.dong)
        if self.gu_id:
            return self.gu.name
        return "서울특별시"

    def save(self, *args, **kwargs):
        # A dong-scoped user's gu is always the dong's gu.
        if self.dong_id and not self.gu_id:
            self.gu_id = self.dong.gu_id
        # Only admins reach the Django admin.
        self.is_staff = self.is_superuser or self.role == Role.ADMIN
        super().save(*args, **kwargs)
