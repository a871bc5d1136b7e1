"""manage.py seed_demo — the 은평구 demo: staff logins for every role and a realistic caseload."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from chatdong.demo.seed import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV, demo_password, demo_seed


class Command(BaseCommand):
    help = (
        "은평구 시연 데이터를 만듭니다(역할별 시연 계정, 통·가구·가구원·상담·제보·협력 주민, "
        "올해 방문 캠페인·방문 과제·안부 확인 기기, 돌봄SOS 제공기관·신청). "
        "같은 결과가 나오도록 고정된 시드를 쓰며, 다시 실행해도 중복해 만들지 않습니다. "
        f"비밀번호는 환경변수 {DEMO_PASSWORD_ENV}(기본값 {DEFAULT_DEMO_PASSWORD})입니다."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="동별 가구 수 배율 (기본 1.0 = 4개 동 약 800가구)",
        )

    def handle(self, *args, scale: float, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale 은 0보다 크고 10 이하여야 합니다.")
        password = demo_password()
        try:
            result = demo_seed(password=password, scale=scale)
        except ValidationError as exc:
            raise CommandError(
                f"시연 비밀번호({DEMO_PASSWORD_ENV})가 비밀번호 규칙에 맞지 않습니다: " + " ".join(exc.messages)
            ) from None
        counts = result.counts
        outreach = counts.get("outreach", {})
        if result.created:
            self.stdout.write(self.style.SUCCESS(
                f"시연 데이터를 만들었습니다: 가구 {counts['households']:,}, 가구원 {counts['residents']:,}, "
                f"상담 {counts['contacts']:,}, 위험 등급 이력 {counts['tier_changes']:,}, "
                f"협력 주민 {counts['partners']:,}, 위기가구 제보 {counts['crisis_reports']:,}"
            ))
        if any(outreach.values()):
            self.stdout.write(self.style.SUCCESS(
                f"찾아가는 방문 시연 데이터를 만들었습니다: 캠페인 {outreach['campaigns']:,}, "
                f"방문 과제 {outreach['tasks']:,}(결과 기록 {outreach['results']:,}), "
                f"안부 확인 기기 {outreach['devices']:,}, 무활동 알림 {outreach['alerts']:,}"
            ))
        care = counts.get("care_sos", {})
        if any(care.values()):
            self.stdout.write(self.style.SUCCESS(
                f"돌봄SOS 시연 데이터를 만들었습니다: 제공기관 {care['providers']:,}, 신청 {care['requests']:,}"
            ))
        if not result.created and not any(outreach.values()) and not any(care.values()):
            self.stdout.write("시연 데이터가 이미 있습니다. 새로 만든 것이 없습니다.")
        self.stdout.write("")
        self.stdout.write("시연 계정 (역할별 1개):")
        for user in result.logins:
            self.stdout.write(f"  {user.username:<13} {user.get_role_display()} · {user.scope_label}")
        self.stdout.write(f"비밀번호: {password}")
