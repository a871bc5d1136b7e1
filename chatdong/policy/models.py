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


# Today's date in Seoul, as the database sees it. CURRENT_DATE would follow the connection's
# time zone, which Django sets to UTC: between 00:00 and 09:00 KST it would still be yesterday.
# One SQL function (migration 0005) so that every guard asks the same question, and so that a
# test run on a shifted clock can move the database's "today" with the application's.
SEOUL_TODAY_FUNCTION = "chatdong_seoul_today"
SEOUL_TODAY_SQL = f"{SEOUL_TODAY_FUNCTION}()"



@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PolicyThreshold(models.Model):
    """One version of a policy number. A version in force is never rewritten: a change is a
    new version, and the previous one is closed the day before (services.threshold_change)."""

    key = models.CharField("기준 키", max_length=80, db_index=True)
    label = models.CharField("기준 이름", max_length=120, blank=True)
    value = models.JSONField("값")
    unit = models.CharField("단위", max_length=20, blank=True)
    valid_from = models.DateField("적용 시작일")
    valid_to = models.DateField("적용 종료일", null=True, blank=True)
    source = models.CharField("출처", max_length=500)
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
            # A version that has been in force keeps its key, value, unit, source and start date
            # forever. Its end date may only be moved to yesterday or later (closing it when a new
            # version starts, or re-opening it when a scheduled successor is withdrawn); a version
            # that already ended before today is history and stays as it is.
            pgtrigger.Trigger(
                name="threshold_in_force_is_immutable",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Condition(
                    f"OLD.valid_from <= {SEOUL_TODAY_SQL} AND ("
                    "OLD.key IS DISTINCT FROM NEW.key "
                    "OR OLD.value IS DISTINCT FROM NEW.value "
                    "OR OLD.unit IS DISTINCT FROM NEW.unit "
                    "OR OLD.source IS DISTINCT FROM NEW.source "
                    "OR OLD.valid_from IS DISTINCT FROM NEW.valid_from "
                    "OR (OLD.valid_to IS DISTINCT FROM NEW.valid_to AND ("
                    f"OLD.valid_to < {SEOUL_TODAY_SQL} "
                    f"OR NEW.valid_to < {SEOUL_TODAY_SQL} - 1)))"
                ),
                func=(
                    "RAISE EXCEPTION '정책 기준값 %(%)은 이미 적용된 버전이라 고칠 수 없습니다. "
                    "새 버전을 등록해 주세요.', OLD.key, OLD.valid_from "
                    "USING ERRCODE = 'restrict_violation';"
                ),
            ),
            pgtrigger.Trigger(
                name="threshold_in_force_not_deleted",
                operation=pgtrigger.Delete,
                when=pgtrigger.Before,
                condition=pgtrigger.Condition(f"OLD.valid_from <= {SEOUL_TODAY_SQL}"),
                func=(
                    "RAISE EXCEPTION '정책 기준값 %(%)은 이미 적용된 버전이라 삭제할 수 없습니다.', "
                    "OLD.key, OLD.valid_from USING ERRCODE = 'restrict_violation';"
                ),
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "현재"
        return f"{self.key} = {self.value} {self.unit} ({self.valid_from:%Y-%m-%d}~{end})"


@pghistory.track()
class MedianIncome(models.Model):
    """기준중위소득: ₩ per month by year and household size (보건복지부 고시; 8인 이상은
    7인 가구 금액에 6인→7인 차액을 1인당 더해 산정)."""

    year = models.PositiveSmallIntegerField("연도")
    household_size = models.PositiveSmallIntegerField("가구원 수")
    monthly_krw = models.PositiveBigIntegerField("월 기준중위소득(원)")
    source = models.CharField("출처", max_length=500)

    class Meta:
        verbose_name = "기준중위소득"
        verbose_name_plural = "기준중위소득"
        ordering = ["-year", "household_size"]
        constraints = [
            models.UniqueConstraint(fields=["year", "household_size"], name="median_income_unique_year_size"),
            models.CheckConstraint(name="median_income_size_positive", condition=Q(household_size__gte=1)),
            models.CheckConstraint(name="median_income_amount_positive", condition=Q(monthly_krw__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.year}년 {self.household_size}인 {self.monthly_krw:,}원"
