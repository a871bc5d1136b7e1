"""Households (가구) and residents (가구원). DOMAIN §3."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q


class HousingType(models.TextChoices):
    GOSIWON = "gosiwon", "고시원"
    ROOFTOP = "rooftop", "옥탑방"
    SEMI_BASEMENT = "semi_basement", "반지하"
    MULTI_FAMILY = "multi_family", "다세대"
    ONE_ROOM = "one_room", "원룸"
    RENTAL_APARTMENT = "rental_apartment", "임대아파트"
    APARTMENT = "apartment", "아파트"
    DETACHED = "detached", "단독주택"
    OTHER = "other", "기타"


# Housing types the lonely-death-risk survey targets (DOMAIN §6).
VULNERABLE_HOUSING = (HousingType.GOSIWON, HousingType.ROOFTOP, HousingType.SEMI_BASEMENT, HousingType.MULTI_FAMILY)


class Tenure(models.TextChoices):
    OWNED = "owned", "자가"
    JEONSE = "jeonse", "전세"
    MONTHLY_RENT = "monthly_rent", "월세"
    PUBLIC_RENTAL = "public_rental", "공공임대"
    RENT_FREE = "rent_free", "무상"
    OTHER = "other", "기타"


class Benefit(models.TextChoices):
    LIVELIHOOD = "livelihood", "생계급여"
    MEDICAL = "medical", "의료급여"
    HOUSING = "housing", "주거급여"
    EDUCATION = "education", "교육급여"
    NEAR_POOR = "near_poor", "차상위"
    SINGLE_PARENT = "single_parent", "한부모"


class Arrear(models.TextChoices):
    RENT = "rent", "월세 체납"
    UTILITIES = "utilities", "공과금 체납"
    MANAGEMENT_FEE = "management_fee", "관리비 체납"
    HEALTH_INSURANCE = "health_insurance", "건강보험료 체납"


class Cutoff(models.TextChoices):
    ELECTRICITY = "electricity", "단전"
    WATER = "water", "단수"
    GAS = "gas", "단가스"


class RiskTier(models.TextChoices):
    """Lonely-death risk tiers and their contact cadence (DOMAIN §3; cadence in policy)."""

    HIGH = "high", "위험"
    WATCH = "watch", "주의"
    CONCERN = "concern", "관심"
    CLOSED = "closed", "종결"
    NONE = "none", "미분류"


@pghistory.track()
class Household(models.Model):
    dong = models.ForeignKey("areas.Dong", verbose_name="관할 동", on_delete=models.PROTECT, related_name="households")
    tong = models.ForeignKey(
        "areas.Tong", verbose_name="통", on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    ban = models.PositiveSmallIntegerField("반", null=True, blank=True)
    address = models.CharField("실거주 주소", max_length=200)
    address_detail = models.CharField("상세 주소", max_length=100, blank=True)
    registered_dong = models.ForeignKey(
        "areas.Dong", verbose_name="주민등록상 동", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_address = models.CharField(
        "주민등록상 주소", max_length=200, blank=True, help_text="실거주지와 다르면 입력합니다 (주소 미이전)."
    )
    housing_type = models.CharField("주거 형태", max_length=20, choices=HousingType.choices, default=HousingType.OTHER)
    tenure = models.CharField("점유 형태", max_length=20, choices=Tenure.choices, default=Tenure.OTHER)
    benefits = ArrayField(
        models.CharField(max_length=20, choices=Benefit.choices), verbose_name="수급·지원 현황", default=list, blank=True
    )
    income_ratio = models.DecimalField(
        "소득(기준중위소득 대비 %)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    arrears = ArrayField(
        models.CharField(max_length=20, choices=Arrear.choices), verbose_name="체납", default=list, blank=True
    )
    cutoffs = ArrayField(
        models.CharField(max_length=20, choices=Cutoff.choices), verbose_name="단전·단수·단가스", default=list, blank=True
    )
    risk_tier = models.CharField("위험 등급", max_length=10, choices=RiskTier.choices, default=RiskTier.NONE)
    planner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="담당 복지플래너", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="planned_households",
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="담당 방문간호사", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="nursed_households",
    )
    last_contact_at = models.DateTimeField("최근 상담일시", null=True, blank=True)
    next_contact_due = models.DateField("다음 상담 예정일", null=True, blank=True)
    note = models.TextField("비고", blank=True)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    class Meta:
        verbose_name = "가구"
        verbose_name_plural = "가구"
        ordering = ["dong", "address"]
        indexes = [
            models.Index(fields=["dong", "next_contact_due"], name="household_dong_due"),
            models.Index(fields=["dong", "risk_tier"], name="household_dong_tier"),
            models.Index(fields=["dong", "tong"], name="household_dong_tong"),
            GinIndex(fields=["benefits"], name="household_benefits_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                name="household_income_ratio_range",
                condition=Q(income_ratio__isnull=True) | Q(income_ratio__gte=0, income_ratio__lte=1000),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.address_detail}".strip()

    @property
    def address_mismatch(self) -> bool:
        """주소 미이전: registered elsewhere than where the household actually lives."""
        return bool(self.registered_address) and self.registered_address != self.address


class Relation(models.TextChoices):
    HEAD = "head", "본인(가구주)"
    SPOUSE = "spouse", "배우자"
    CHILD = "child", "자녀"
    PARENT = "parent", "부모"
    GRANDCHILD = "grandchild", "손자녀"
    SIBLING = "sibling", "형제자매"
    OTHER = "other", "기타"


class Sex(models.TextChoices):
    MALE = "M", "남"
    FEMALE = "F", "여"


class Disability(models.TextChoices):
    NONE = "none", "없음"
    MILD = "mild", "경증(심하지 않은 장애)"
    SEVERE = "severe", "중증(심한 장애)"


class CareGrade(models.TextChoices):
    NONE = "none", "없음"
    G1 = "1", "1등급"
    G2 = "2", "2등급"
    G3 = "3", "3등급"
    G4 = "4", "4등급"
    G5 = "5", "5등급"
    COGNITIVE = "cognitive", "인지지원등급"
    OUTSIDE = "outside", "등급외"


def active_resident_q(prefix: str = "") -> Q:
    """Still a member of the household: neither deceased nor moved out.

    `prefix` reaches residents across a relation ("residents", "household__residents"); keep
    it in the same `filter()` as the other conditions on those residents so they share a join.
    """
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}deceased_on__isnull": True, f"{p}moved_out_on__isnull": True})


# The same rule for the raw-SQL cohorts and matchers; `{r}` is the resident table's alias.
ACTIVE_RESIDENT_SQL = "{r}.deceased_on IS NULL AND {r}.moved_out_on IS NULL"


class ResidentQuerySet(models.QuerySet):
    def active(self) -> "ResidentQuerySet":
        return self.filter(active_resident_q())


@pghistory.track(exclude=["rrn_ciphertext", "rrn_index"])
class Resident(models.Model):
    household = models.ForeignKey(Household, verbose_name="가구", on_delete=models.PROTECT, related_name="residents")
    name = models.CharField("이름", max_length=50)
    relation = models.CharField("가구주와의 관계", max_length=20, choices=Relation.choices, default=Relation.HEAD)
    birth_date = models.DateField("생년월일")
    sex = models.CharField("성별", max_length=1, choices=Sex.choices)
    living_together = models.BooleanField("동거 여부", default=True)
    disability = models.CharField("장애", max_length=10, choices=Disability.choices, default=Disability.NONE)
    care_grade = models.CharField("장기요양등급", max_length=10, choices=CareGrade.choices, default=CareGrade.NONE)
    health_notes = models.TextField("건강 메모", blank=True)
    job = models.CharField("직업", max_length=50, blank=True)
    phone = models.CharField("연락처", max_length=20, blank=True)
    # RRN: never in clear. Ciphertext (Fernet) + HMAC blind index; see cases.crypto.
    rrn_ciphertext = models.TextField("주민등록번호(암호문)", blank=True, editable=False)
    rrn_index = models.CharField("주민등록번호 검색색인", max_length=64, null=True, blank=True, editable=False)
    rrn_masked = models.CharField("주민등록번호(마스킹)", max_length=14, blank=True, editable=False)
    deceased_on = models.DateField("사망일", null=True, blank=True)
    moved_out_on = models.DateField("전출일", null=True, blank=True)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = "가구원"
        verbose_name_plural = "가구원"
        ordering = ["household", "relation", "birth_date"]
        indexes = [
            models.Index(fields=["birth_date"], name="resident_birth_date"),
            models.Index(fields=["name"], name="resident_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["rrn_index"], name="resident_unique_rrn", condition=Q(rrn_index__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        # The Python twin of active_resident_q.
        return self.deceased_on is None and self.moved_out_on is None


class RiskTierChange(models.Model):
    """Append-only history of a household's tier with the reason, shown on the household page."""

    household = models.ForeignKey(Household, verbose_name="가구", on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.CharField("이전 등급", max_length=10, choices=RiskTier.choices)
    to_tier = models.CharField("변경 등급", max_length=10, choices=RiskTier.choices)
    reason = models.CharField("사유", max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="변경자", on_delete=models.PROTECT, null=True)
    changed_at = models.DateTimeField("변경일시", auto_now_add=True)

    class Meta:
        verbose_name = "위험 등급 변경"
        verbose_name_plural = "위험 등급 변경"
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.get_from_tier_display()} → {self.get_to_tier_display()}"
