"""The national blind-spot big-data lists (복지사각지대 발굴관리시스템), one round per upload."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class SignalType(models.TextChoices):
    ELECTRICITY_CUTOFF = "electricity_cutoff", "단전"
    WATER_CUTOFF = "water_cutoff", "단수"
    GAS_CUTOFF = "gas_cutoff", "단가스"
    HEALTH_INSURANCE_ARREARS = "health_insurance_arrears", "건강보험료 체납"
    RENT_ARREARS = "rent_arrears", "임대료 체납"
    MANAGEMENT_FEE_ARREARS = "management_fee_arrears", "관리비 체납"
    TELECOM_ARREARS = "telecom_arrears", "통신비 체납"
    OTHER = "other", "기타"


class BigDataRound(models.Model):
    """One upload of the national blind-spot list (복지사각지대 발굴관리시스템)."""

    campaign = models.OneToOneField("outreach.Campaign", verbose_name="캠페인", on_delete=models.PROTECT,
                                    related_name="big_data_round")
    round_label = models.CharField("차수", max_length=40, unique=True)
    file_sha256 = models.CharField("파일 해시", max_length=64, unique=True)
    file_name = models.CharField("파일 이름", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="업로드", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("업로드 일시", auto_now_add=True)

    class Meta:
        verbose_name = "빅데이터 차수"
        verbose_name_plural = "빅데이터 차수"

    def __str__(self) -> str:
        return self.round_label


class BigDataRow(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", "매칭"
        UNMATCHED = "unmatched", "미매칭"
        CREATED = "created", "신규 가구 등록"
        REJECTED = "rejected", "제외"
        INVALID = "invalid", "형식 오류"

    round = models.ForeignKey(BigDataRound, verbose_name="차수", on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField("행 번호")
    rrn_index = models.CharField("주민등록번호 검색색인", max_length=64, blank=True)
    rrn_masked = models.CharField("주민등록번호(마스킹)", max_length=14, blank=True)
    name = models.CharField("이름", max_length=50, blank=True)
    birth_date = models.DateField("생년월일", null=True, blank=True)
    address = models.CharField("주소", max_length=200, blank=True)
    signals = ArrayField(models.CharField(max_length=30, choices=SignalType.choices), verbose_name="위기 정보", default=list)
    resident = models.ForeignKey("cases.Resident", verbose_name="매칭 가구원", on_delete=models.SET_NULL, null=True, blank=True)
    dong = models.ForeignKey("areas.Dong", verbose_name="동", on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField("상태", max_length=10, choices=Status.choices)
    match_method = models.CharField("매칭 방법", max_length=20, blank=True, help_text="rrn / name_birth")
    error = models.CharField("오류 내용", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="처리자", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("처리일시", null=True, blank=True)
    decision_note = models.CharField("처리 메모", max_length=300, blank=True)

    class Meta:
        verbose_name = "빅데이터 대상"
        verbose_name_plural = "빅데이터 대상"
        ordering = ["round", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "row_number"], name="bigdatarow_unique_row"),
            # A blind index is 64 hex digits and a masked RRN shows only birth date and sex digit:
            # the clear number can never be stored in either column.
            models.CheckConstraint(name="bigdatarow_rrn_index_is_hmac",
                                   condition=Q(rrn_index="") | Q(rrn_index__regex=r"^[0-9a-f]{64}$")),
            models.CheckConstraint(
                name="bigdatarow_rrn_masked_form", condition=Q(rrn_masked="") | Q(rrn_masked__regex=r"^[0-9]{6}-[1-8]\*{6}$")
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="bigdatarow_round_status")]

    def __str__(self) -> str:
        return f"{self.round} #{self.row_number}"

    @property
    def signal_labels(self) -> list[str]:
        labels = dict(SignalType.choices)
        return [labels.get(s, s) for s in self.signals]
