"""Load the shipped policy thresholds and 기준중위소득 table (idempotent; data migrations do
the same on `migrate`)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from chatdong.policy.seeds import MEDIAN_INCOME_CSV, load_median_income, seed_thresholds


class Command(BaseCommand):
    help = "정책 기준값 초기값과 기준중위소득 표를 등록합니다. 이미 있는 값은 바꾸지 않습니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update-median-income",
            action="store_true",
            help="기준중위소득 표의 기존 행도 파일 값으로 되돌립니다.",
        )
        parser.add_argument("--median-income-csv", default=str(MEDIAN_INCOME_CSV), help="기준중위소득 CSV 경로")

    @transaction.atomic
    def handle(self, *args, **options):
        created, skipped = seed_thresholds()
        self.stdout.write(f"정책 기준값: {created}건 등록")
        for item in skipped:
            self.stdout.write(self.style.WARNING(f"  건너뜀(다른 버전이 이미 그 기간에 적용됨): {item}"))
        added, updated = load_median_income(
            path=options["median_income_csv"], update=options["update_median_income"]
        )
        self.stdout.write(f"기준중위소득: {added}건 등록, {updated}건 갱신")
