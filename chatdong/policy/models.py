"""Versioned policy thresholds and the standard median income table (ARCHITECTURE: policy is data)."""

import pghistory
import pgtrigger
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q


class DateRangeFunc(Func):
    function = "daterange"
    output_field = DateRangeField()


@pghistory.track()
class PolicyThreshold(models.Model):
    """One version of a policy number. A version in force is never rewritten: a change is a
    new version, and the previous one is closed the day before (services.thresholds)."""

    key = models.CharField("기준 키", max_length=80, db_index=True)
    label = models.CharField("기준 이름", max_length=120, blank=True)
    value = models.JSONField("값")
    unit = models.CharField("단위", max_length=20, blank=True)
    valid_from = models.DateField("적용 시작일")
    valid_to = models.DateField("적용 종료일", null=True, blank=True)
    source = models.CharField("출처", max_length=300)
    note = models.TextField("비고", blank=True)
    created_at = models.DateTimeField("등록 시각", auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="등록자", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "정책 기준값"
        verbose_name_plural = "정책 기준값"
        ordering = ["key", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="threshold_valid_range",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
            ),
            # No two versions of one key may be in force on the same day ('[]' = both ends inclusive).
            ExclusionConstraint(
                name="threshold_no_overlap",
                expressions=[
                    ("key", RangeOperators.EQUAL),
                    (DateRangeFunc("valid_from", "valid_to", models.Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        triggers = [
            # A version that has been in force keeps its key, value and start date forever;
            # only its end date may be set (to close it when a new version starts).
            pgtrigger.Trigger(
                name="threshold_in_force_is_immutable",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Condition(
                    "OLD.valid_from <= CURRENT_DATE AND (OLD.value IS DISTINCT FROM NEW.value "
                    "OR OLD.valid_from IS DISTINCT FROM NEW.valid_from OR OLD.key IS DISTINCT FROM NEW.key "
                    "OR OLD.unit IS DISTINCT FROM NEW.unit)"
                ),
                func="RAISE EXCEPTION 'policy threshold % has been in force and cannot be rewritten', OLD.key;",
            ),
            pgtrigger.Protect(
                name="threshold_in_force_not_deleted",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Condition("OLD.valid_from <= CURRENT_DATE"),
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "현재"
        return f"{self.key} = {self.value} {self.unit} ({self.valid_from:%Y-%m-%d}~{end})"


class MedianIncome(models.Model):
    """기준중위소득: ₩ per month by year and household size."""

    year = models.PositiveSmallIntegerField("연도")
    household_size = models.PositiveSmallIntegerField("가구원 수")
    monthly_krw = models.PositiveBigIntegerField("월 기준중위소득(원)")
    source = models.CharField("출처", max_length=300)

    class Meta:
        verbose_name = "기준중위소득"
        verbose_name_plural = "기준중위소득"
        ordering = ["-year", "household_size"]
        constraints = [
            models.UniqueConstraint(fields=["year", "household_size"], name="median_income_unique_year_size"),
            models.CheckConstraint(name="median_income_size_positive", condition=Q(household_size__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.year}년 {self.household_size}인 {self.monthly_krw:,}원"
