"""The map everything is scoped by: city → gu → dong → tong (→ ban as a number)."""

from django.db import models


class Gu(models.Model):
    code = models.CharField("구 코드", max_length=5, unique=True)
    name = models.CharField("구 이름", max_length=20, unique=True)

    class Meta:
        verbose_name = "자치구"
        verbose_name_plural = "자치구"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """권역: a group of dongs in a gu for public–private networks (DOMAIN §2, seed 004)."""

    gu = models.ForeignKey(Gu, verbose_name="자치구", on_delete=models.PROTECT, related_name="regions")
    name = models.CharField("권역 이름", max_length=30)

    class Meta:
        verbose_name = "권역"
        verbose_name_plural = "권역"
        ordering = ["gu__name", "name"]
        constraints = [models.UniqueConstraint(fields=["gu", "name"], name="region_unique_name_per_gu")]

    def __str__(self) -> str:
        return f"{self.gu} {self.name}"


class Dong(models.Model):
    gu = models.ForeignKey(Gu, verbose_name="자치구", on_delete=models.PROTECT, related_name="dongs")
    region = models.ForeignKey(
        Region, verbose_name="권역", on_delete=models.SET_NULL, null=True, blank=True, related_name="dongs"
    )
    code = models.CharField("행정동 코드", max_length=10, unique=True)
    name = models.CharField("행정동 이름", max_length=20)

    class Meta:
        verbose_name = "행정동"
        verbose_name_plural = "행정동"
        ordering = ["gu__name", "name"]
        constraints = [models.UniqueConstraint(fields=["gu", "name"], name="dong_unique_name_per_gu")]

    def __str__(self) -> str:
        return f"{self.gu.name} {self.name}"


class Tong(models.Model):
    dong = models.ForeignKey(Dong, verbose_name="행정동", on_delete=models.PROTECT, related_name="tongs")
    number = models.PositiveSmallIntegerField("통 번호")
    ban_count = models.PositiveSmallIntegerField("반 수", default=0)

    class Meta:
        verbose_name = "통"
        verbose_name_plural = "통"
        ordering = ["dong", "number"]
        constraints = [models.UniqueConstraint(fields=["dong", "number"], name="tong_unique_number_per_dong")]

    def __str__(self) -> str:
        return f"{self.dong.name} {self.number}통"
