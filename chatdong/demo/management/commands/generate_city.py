"""manage.py generate_city --residents N — a synthetic Seoul for benchmarks, loaded with COPY."""

from django.core.management.base import BaseCommand, CommandError

from chatdong.demo.city import CityError, generate_city
from chatdong.demo.copy import CopyError


class Command(BaseCommand):
    help = (
        "벤치마크용 합성 도시를 만듭니다: 25개 구, 424개 동(은평구는 실제 16개 동), 통, 동별 직원, "
        "그리고 가구원이 정확히 N명이 되도록 가구(가구당 약 2.1명)를 PostgreSQL COPY로 적재합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, required=True, help="만들 가구원 수 (예: 1000000)")
        parser.add_argument("--reset", action="store_true", help="이전에 만든 합성 가구·가구원을 먼저 지웁니다.")
        parser.add_argument(
            "--with-ciphertext", action="store_true", default=True,
            help="주민등록번호 암호문(Fernet)도 만듭니다 (기본값). 검색색인과 마스킹은 항상 만듭니다.",
        )
        parser.add_argument(
            "--without-ciphertext", dest="with_ciphertext", action="store_false",
            help="주민등록번호 암호문을 만들지 않습니다 (더 빠름).",
        )
        parser.add_argument(
            "--with-history", action="store_true",
            help="가구·가구원 등록 이력(변경 이력 트리거)도 기록합니다. 기본은 기록하지 않습니다.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="난수 시드 (기본 2026)")

    def handle(self, *args, residents, reset, with_ciphertext, with_history, seed, **options):
        try:
            result = generate_city(
                residents=residents, reset=reset, with_ciphertext=with_ciphertext, with_history=with_history,
                seed=seed, progress=self.stdout.write,
            )
        except (CityError, CopyError) as exc:
            raise CommandError(str(exc)) from None
        seconds = result.load_seconds + result.analyze_seconds + result.check_seconds
        self.stdout.write(self.style.SUCCESS(
            f"배치 {result.batch:02d}: 구 {result.gu}개, 동 {result.dongs}개에 가구 {result.households:,}, "
            f"가구원 {result.residents:,}명을 적재했습니다."
        ))
        self.stdout.write(
            f"{result.rows:,}행 / {seconds:.1f}초 = {result.rows_per_second:,.0f} rows/s "
            f"(생성·COPY {result.load_seconds:.1f}초 + ANALYZE {result.analyze_seconds:.1f}초 "
            f"+ 외래키 검사·커밋 {result.check_seconds:.1f}초)"
        )
        self.stdout.write(f"전체 {result.total_seconds:.1f}초 (이전 데이터 삭제 {result.reset_seconds:.1f}초 포함)")
