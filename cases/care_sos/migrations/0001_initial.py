"""Care SOS gets its own app: the models enter the `care_sos` state over the tables they have
had since `cases.0003_care_sos` (`db_table` = `cases_<model>`), with the indexes, constraints
and triggers that are already in the database. The database is not touched
(`database_operations=[]`): rows, ids and sequences stay as they are.

The state-only operations mirror `cases.0003_care_sos`, including the append-only triggers
under their old ids (pgtrigger derives the id from the app label; `0002` renames them in
the database). Then the content types move from `cases` to `care_sos`, so permissions,
admin log entries and anything else pointing at them keep their rows.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
import django_fsm
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

MODELS = (
    "approval", "careassessment", "careplan", "careplanline", "careprovider", "carerequest", "carerequestevent",
    "caresoswarning", "servicedelivery",
)


def _move_content_types(apps, source: str, target: str) -> None:
    """Relabel the content types in place (same ids). A target row that already exists (it
    would have been made by a `migrate` in between) is left as it is, with the source row."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=target, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=source, model__in=set(MODELS) - taken).update(app_label=target)


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, "cases", "care_sos")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, "care_sos", "cases")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('areas', '0002_seoul_reference_areas'),
        ('cases', '0005_care_sos_to_own_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('policy', '0004_load_median_income'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='CarePlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('goal', models.TextField(blank=True, verbose_name='돌봄 목표')),
                        ('period_start', models.DateField(verbose_name='제공 기간 시작')),
                        ('period_end', models.DateField(verbose_name='제공 기간 끝')),
                        ('total_cost', models.BigIntegerField(default=0, verbose_name='총 비용(원)')),
                        ('self_pay_percent', models.DecimalField(decimal_places=2, default=0, max_digits=5, verbose_name='본인부담률(%)')),
                        ('self_pay_amount', models.BigIntegerField(default=0, verbose_name='본인부담금(원)')),
                        ('public_amount', models.BigIntegerField(default=0, verbose_name='공공 지원액(원)')),
                        ('income_ratio', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='적용 소득(기준중위소득 대비 %)')),
                        ('free_reason', models.CharField(blank=True, max_length=100, verbose_name='무료 사유')),
                        ('household_size', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='가구원 수')),
                        ('median_income_krw', models.BigIntegerField(blank=True, null=True, verbose_name='적용 기준중위소득(원/월)')),
                        ('annual_cap', models.BigIntegerField(blank=True, null=True, verbose_name='연간 한도(원)')),
                        ('used_this_year', models.BigIntegerField(default=0, verbose_name='같은 해 다른 승인 금액(원)')),
                        ('cap_override_reason', models.TextField(blank=True, verbose_name='연간 한도 초과 사유')),
                        ('policy_versions', models.JSONField(blank=True, default=dict, verbose_name='적용 기준값 버전')),
                        ('submission_no', models.PositiveSmallIntegerField(default=0, verbose_name='승인 요청 차수')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='승인 요청일시')),
                        ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='승인일시')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='작성일시')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='수정일시')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='작성자')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='승인 요청자')),
                    ],
                    options={
                        'verbose_name': '케어플랜',
                        'verbose_name_plural': '케어플랜',
                        'db_table': 'cases_careplan',
                    },
                ),
                migrations.CreateModel(
                    name='CareProvider',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='기관명')),
                        ('kind', models.CharField(choices=[('home_care_agency', '재가요양기관'), ('care_facility', '단기보호시설'), ('hospital', '병원'), ('welfare_centre', '복지관'), ('health_centre', '보건소'), ('neighbourhood_helper', '우리동네 나눔반장'), ('social_enterprise', '사회적경제기업·민간업체'), ('other', '기타')], max_length=30, verbose_name='기관 종류')),
                        ('care_kinds', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('emergency', '긴급돌봄'), ('general', '일반돌봄(기관 연계)'), ('daily', '일상편의')], max_length=20), default=list, size=None, verbose_name='제공 돌봄 종류')),
                        ('contact_name', models.CharField(blank=True, max_length=50, verbose_name='담당자')),
                        ('phone', models.CharField(blank=True, max_length=20, verbose_name='연락처')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='주소')),
                        ('active', models.BooleanField(default=True, verbose_name='협력 중')),
                        ('note', models.TextField(blank=True, verbose_name='비고')),
                        ('dong', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='care_providers', to='areas.dong', verbose_name='활동 동(한 동에서만 활동하면)')),
                        ('gu', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_providers', to='areas.gu', verbose_name='활동 구')),
                    ],
                    options={
                        'verbose_name': '돌봄SOS 서비스 제공기관',
                        'verbose_name_plural': '돌봄SOS 서비스 제공기관',
                        'db_table': 'cases_careprovider',
                        'ordering': ['gu', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='CarePlanLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('emergency', '긴급돌봄'), ('general', '일반돌봄(기관 연계)'), ('daily', '일상편의')], max_length=20, verbose_name='돌봄 종류')),
                        ('service', models.CharField(choices=[('temporary_home_care', '일시재가(요양보호사 방문 돌봄)'), ('short_stay', '단기시설 입소'), ('hospital_link', '병원 연계'), ('welfare_centre_link', '복지관 연계'), ('health_centre_link', '보건소 연계(영양·치매 조기검진)'), ('escort', '동행 지원(병원 동행)'), ('home_fix', '주거 편의(전구 교체·간단 수리)'), ('cleaning', '청소·방역'), ('meals', '식사 지원'), ('check_in', '안부 확인')], max_length=30, verbose_name='서비스')),
                        ('quantity', models.DecimalField(decimal_places=1, max_digits=7, verbose_name='수량')),
                        ('unit', models.CharField(choices=[('hour', '시간'), ('visit', '회'), ('day', '일'), ('meal', '식'), ('case', '건')], max_length=10, verbose_name='단위')),
                        ('unit_cost', models.BigIntegerField(verbose_name='단가(원)')),
                        ('amount', models.BigIntegerField(verbose_name='금액(원)')),
                        ('start_on', models.DateField(verbose_name='시작일')),
                        ('end_on', models.DateField(verbose_name='종료일')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='비고')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='등록일시')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='care_sos.careplan', verbose_name='케어플랜')),
                        ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_lines', to='care_sos.careprovider', verbose_name='제공기관')),
                    ],
                    options={
                        'verbose_name': '케어플랜 서비스',
                        'verbose_name_plural': '케어플랜 서비스',
                        'db_table': 'cases_careplanline',
                        'ordering': ['start_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CareRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('dong_visit', '동주민센터 방문'), ('phone', '전화'), ('call_120', '120다산콜'), ('visit_referral', '방문 상담 중 발견·의뢰'), ('crisis_report', '위기가구 제보 연계'), ('agency_referral', '기관 의뢰(병원·복지관 등)')], max_length=20, verbose_name='신청 경로')),
                        ('applicant_name', models.CharField(blank=True, help_text='본인이 신청하면 비워 둡니다.', max_length=50, verbose_name='신청인 이름')),
                        ('applicant_relation', models.CharField(blank=True, max_length=30, verbose_name='신청인과 대상자의 관계')),
                        ('applicant_phone', models.CharField(blank=True, max_length=20, verbose_name='신청인 연락처')),
                        ('reason_kind', models.CharField(choices=[('illness', '갑작스러운 질병·부상'), ('discharge', '퇴원 후 돌봄 공백'), ('carer_absent', '주 돌봄자 부재(입원·사망·출타)'), ('daily_living', '일상생활 유지 어려움'), ('other', '기타')], max_length=20, verbose_name='돌봄 필요 사유')),
                        ('reason', models.TextField(verbose_name='상황')),
                        ('urgency', models.CharField(choices=[('urgent', '긴급'), ('high', '높음'), ('normal', '보통')], default='normal', max_length=10, verbose_name='긴급도')),
                        ('informal_carer', models.CharField(choices=[('none', '돌봐 줄 사람 없음'), ('family_together', '동거 가족 있음'), ('family_apart', '비동거 가족 있음'), ('neighbour', '이웃·지인'), ('unable', '있으나 돌볼 수 없음(질병·노령·생업)')], max_length=20, verbose_name='비공식 돌봄자')),
                        ('carer_note', models.CharField(blank=True, max_length=300, verbose_name='돌봄자 상황')),
                        ('status', django_fsm.FSMField(choices=[('received', '접수'), ('visit_scheduled', '방문 예정'), ('visited', '방문 완료'), ('assessed', '욕구 사정 완료'), ('plan_drafted', '케어플랜 작성 중'), ('submitted', '승인 요청'), ('returned', '보완 요청(반려)'), ('revised', '케어플랜 보완 중'), ('approved', '승인'), ('in_service', '서비스 제공 중'), ('follow_up', '사후관리'), ('closed', '종결'), ('withdrawn', '신청 철회'), ('ineligible', '지원 불가'), ('transferred', '이관')], default='received', max_length=20, verbose_name='처리 상태')),
                        ('received_at', models.DateTimeField(db_index=True, verbose_name='접수일시')),
                        ('visit_deadline_hours', models.PositiveSmallIntegerField(verbose_name='방문 기한(시간)')),
                        ('due_soon_hours', models.PositiveSmallIntegerField(verbose_name='기한 임박 기준(시간)')),
                        ('visit_due_at', models.DateTimeField(verbose_name='방문 기한')),
                        ('due_soon_at', models.DateTimeField(verbose_name='기한 임박 시점')),
                        ('visit_scheduled_at', models.DateTimeField(blank=True, null=True, verbose_name='방문 예정일시')),
                        ('visited_at', models.DateTimeField(blank=True, null=True, verbose_name='방문일시')),
                        ('visit_note', models.TextField(blank=True, verbose_name='방문 내용')),
                        ('follow_up_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='사후관리 기한(일)')),
                        ('follow_up_due', models.DateField(blank=True, null=True, verbose_name='사후관리 점검 예정일')),
                        ('follow_up_on', models.DateField(blank=True, null=True, verbose_name='사후관리 점검일')),
                        ('follow_up_note', models.TextField(blank=True, verbose_name='사후관리 내용')),
                        ('outcome', models.CharField(blank=True, choices=[('needs_met', '돌봄 욕구 해소'), ('public_service', '장기요양 등 공적 서비스로 연계'), ('case_management', '통합사례관리 의뢰'), ('private_resource', '민간 자원 연계'), ('moved', '전출'), ('deceased', '사망'), ('refused', '서비스 거부'), ('other', '기타')], max_length=20, verbose_name='종결 결과')),
                        ('outcome_note', models.TextField(blank=True, verbose_name='종결 내용')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='종료일시')),
                        ('exit_reason', models.TextField(blank=True, verbose_name='철회·불가·이관 사유')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='수정일시')),
                        ('care_managers', models.ManyToManyField(blank=True, related_name='care_requests', to=settings.AUTH_USER_MODEL, verbose_name='담당 돌봄매니저')),
                        ('crisis_report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='care_requests', to='cases.crisisreport', verbose_name='연계 위기가구 제보')),
                        ('dong', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_requests', to='areas.dong', verbose_name='접수 동')),
                        ('due_soon_policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policy.policythreshold', verbose_name='기한 임박 기준 버전')),
                        ('follow_up_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policy.policythreshold', verbose_name='사후관리 기한 기준 버전')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_requests', to='cases.household', verbose_name='가구')),
                        ('received_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='접수 직원')),
                        ('resident', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_requests', to='cases.resident', verbose_name='돌봄 대상자')),
                        ('transferred_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.dong', verbose_name='이관한 동')),
                        ('visit_deadline_policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policy.policythreshold', verbose_name='방문 기한 기준 버전')),
                        ('visited_by', models.ManyToManyField(blank=True, related_name='care_requests_visited', to=settings.AUTH_USER_MODEL, verbose_name='방문 직원')),
                    ],
                    options={
                        'verbose_name': '돌봄SOS 신청',
                        'verbose_name_plural': '돌봄SOS 신청',
                        'db_table': 'cases_carerequest',
                        'ordering': ['-received_at', '-pk'],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
                migrations.AddField(
                    model_name='careplan',
                    name='request',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='plan', to='care_sos.carerequest', verbose_name='돌봄SOS 신청'),
                ),
                migrations.CreateModel(
                    name='CareAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('housing_level', models.CharField(choices=[('none', '없음'), ('some', '있음'), ('urgent', '시급')], default='none', max_length=10, verbose_name='주거 욕구')),
                        ('housing_note', models.TextField(blank=True, verbose_name='주거 욕구 내용')),
                        ('health_level', models.CharField(choices=[('none', '없음'), ('some', '있음'), ('urgent', '시급')], default='none', max_length=10, verbose_name='건강 욕구')),
                        ('health_note', models.TextField(blank=True, verbose_name='건강 욕구 내용')),
                        ('care_level', models.CharField(choices=[('none', '없음'), ('some', '있음'), ('urgent', '시급')], default='none', max_length=10, verbose_name='돌봄 욕구')),
                        ('care_note', models.TextField(blank=True, verbose_name='돌봄 욕구 내용')),
                        ('daily_life_level', models.CharField(choices=[('none', '없음'), ('some', '있음'), ('urgent', '시급')], default='none', max_length=10, verbose_name='일상생활 욕구')),
                        ('daily_life_note', models.TextField(blank=True, verbose_name='일상생활 욕구 내용')),
                        ('safety_level', models.CharField(choices=[('none', '없음'), ('some', '있음'), ('urgent', '시급')], default='none', max_length=10, verbose_name='안전 욕구')),
                        ('safety_note', models.TextField(blank=True, verbose_name='안전 욕구 내용')),
                        ('adl_difficulties', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('eating', '식사하기'), ('bathing', '목욕하기'), ('dressing', '옷 입기'), ('grooming', '세수·양치'), ('toileting', '화장실 이용'), ('continence', '대소변 조절'), ('transferring', '일어나 옮겨 앉기'), ('walking', '방 밖으로 걷기')], max_length=20), blank=True, default=list, size=None, verbose_name='일상생활 수행 어려움')),
                        ('carer_available', models.BooleanField(default=False, verbose_name='비공식 돌봄자가 돌볼 수 있음')),
                        ('carer_note', models.TextField(blank=True, verbose_name='비공식 돌봄자 상황')),
                        ('care_kinds', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('emergency', '긴급돌봄'), ('general', '일반돌봄(기관 연계)'), ('daily', '일상편의')], max_length=20), default=list, size=None, verbose_name='필요한 돌봄 종류')),
                        ('summary', models.TextField(blank=True, verbose_name='사정 의견')),
                        ('assessed_at', models.DateTimeField(verbose_name='사정일시')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='수정일시')),
                        ('assessed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='사정 직원')),
                        ('request', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='assessment', to='care_sos.carerequest', verbose_name='돌봄SOS 신청')),
                    ],
                    options={
                        'verbose_name': '돌봄SOS 욕구 사정',
                        'verbose_name_plural': '돌봄SOS 욕구 사정',
                        'db_table': 'cases_careassessment',
                    },
                ),
                migrations.CreateModel(
                    name='Approval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('submission_no', models.PositiveSmallIntegerField(verbose_name='승인 요청 차수')),
                        ('decision', models.CharField(choices=[('approved', '승인'), ('returned', '반려(보완 요청)')], max_length=10, verbose_name='결정')),
                        ('comment', models.TextField(blank=True, verbose_name='의견')),
                        ('requested_at', models.DateTimeField(null=True, verbose_name='승인 요청일시')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='결정일시')),
                        ('total_cost', models.BigIntegerField(verbose_name='총 비용(원)')),
                        ('self_pay_amount', models.BigIntegerField(verbose_name='본인부담금(원)')),
                        ('lines', models.JSONField(default=list, verbose_name='서비스 내역')),
                        ('policy_versions', models.JSONField(default=dict, verbose_name='적용 기준값 버전')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='결정자')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='승인 요청자')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='care_sos.careplan', verbose_name='케어플랜')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='care_sos.carerequest', verbose_name='돌봄SOS 신청')),
                    ],
                    options={
                        'verbose_name': '케어플랜 승인',
                        'verbose_name_plural': '케어플랜 승인',
                        'db_table': 'cases_approval',
                        'ordering': ['decided_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CareRequestEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('transition', models.CharField(max_length=30, verbose_name='처리')),
                        ('from_status', models.CharField(blank=True, choices=[('received', '접수'), ('visit_scheduled', '방문 예정'), ('visited', '방문 완료'), ('assessed', '욕구 사정 완료'), ('plan_drafted', '케어플랜 작성 중'), ('submitted', '승인 요청'), ('returned', '보완 요청(반려)'), ('revised', '케어플랜 보완 중'), ('approved', '승인'), ('in_service', '서비스 제공 중'), ('follow_up', '사후관리'), ('closed', '종결'), ('withdrawn', '신청 철회'), ('ineligible', '지원 불가'), ('transferred', '이관')], max_length=20, verbose_name='이전 상태')),
                        ('to_status', models.CharField(choices=[('received', '접수'), ('visit_scheduled', '방문 예정'), ('visited', '방문 완료'), ('assessed', '욕구 사정 완료'), ('plan_drafted', '케어플랜 작성 중'), ('submitted', '승인 요청'), ('returned', '보완 요청(반려)'), ('revised', '케어플랜 보완 중'), ('approved', '승인'), ('in_service', '서비스 제공 중'), ('follow_up', '사후관리'), ('closed', '종결'), ('withdrawn', '신청 철회'), ('ineligible', '지원 불가'), ('transferred', '이관')], max_length=20, verbose_name='변경 상태')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='처리일시')),
                        ('comment', models.TextField(blank=True, verbose_name='의견')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='처리자')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='care_sos.carerequest', verbose_name='돌봄SOS 신청')),
                    ],
                    options={
                        'verbose_name': '돌봄SOS 처리 이력',
                        'verbose_name_plural': '돌봄SOS 처리 이력',
                        'db_table': 'cases_carerequestevent',
                        'ordering': ['at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CareSosWarning',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('due_soon', '방문 기한 임박'), ('overdue', '방문 기한 지남')], max_length=10, verbose_name='경고 종류')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='발송일시')),
                        ('recipients', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, size=None, verbose_name='받는 직원')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='warnings', to='care_sos.carerequest', verbose_name='돌봄SOS 신청')),
                    ],
                    options={
                        'verbose_name': '돌봄SOS 기한 경고',
                        'verbose_name_plural': '돌봄SOS 기한 경고',
                        'db_table': 'cases_caresoswarning',
                        'ordering': ['created_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('delivered_on', models.DateField(verbose_name='제공일')),
                        ('quantity', models.DecimalField(decimal_places=1, max_digits=7, verbose_name='수량')),
                        ('cost', models.BigIntegerField(verbose_name='비용(원)')),
                        ('result_note', models.TextField(verbose_name='제공 결과(기관 의견)')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='기록일시')),
                        ('line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='care_sos.careplanline', verbose_name='케어플랜 서비스')),
                        ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='care_sos.careprovider', verbose_name='제공기관')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='기록자')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='care_sos.carerequest', verbose_name='돌봄SOS 신청')),
                    ],
                    options={
                        'verbose_name': '돌봄SOS 서비스 제공',
                        'verbose_name_plural': '돌봄SOS 서비스 제공',
                        'db_table': 'cases_servicedelivery',
                        'ordering': ['delivered_on', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='careprovider',
                    index=models.Index(fields=['gu', 'active'], name='careprovider_gu_active'),
                ),
                migrations.AddConstraint(
                    model_name='careplanline',
                    constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='careplanline_quantity_positive'),
                ),
                migrations.AddConstraint(
                    model_name='careplanline',
                    constraint=models.CheckConstraint(condition=models.Q(('unit_cost__gte', 0)), name='careplanline_unit_cost_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplanline',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='careplanline_amount_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplanline',
                    constraint=models.CheckConstraint(condition=models.Q(('end_on__gte', models.F('start_on'))), name='careplanline_period_order'),
                ),
                migrations.AddIndex(
                    model_name='carerequest',
                    index=models.Index(fields=['dong', 'status', 'received_at'], name='carerequest_dong_status'),
                ),
                migrations.AddIndex(
                    model_name='carerequest',
                    index=models.Index(fields=['status', 'visit_due_at'], name='carerequest_status_due'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['received', 'visit_scheduled', 'visited', 'assessed', 'plan_drafted', 'submitted', 'returned', 'revised', 'approved', 'in_service', 'follow_up', 'closed', 'withdrawn', 'ineligible', 'transferred'])), name='carerequest_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('visit_deadline_hours__gte', 1)), name='carerequest_deadline_positive'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('visit_due_at__gt', models.F('received_at'))), name='carerequest_due_after_intake'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('due_soon_at__lte', models.F('visit_due_at'))), name='carerequest_due_soon_before_due'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('visited_at__isnull', True), ('visited_at__gte', models.F('received_at')), _connector='OR'), name='carerequest_visit_after_intake'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'closed'), _negated=True), models.Q(('outcome', ''), _negated=True), _connector='OR'), name='carerequest_closed_has_outcome'),
                ),
                migrations.AddConstraint(
                    model_name='carerequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'transferred'), _negated=True), ('transferred_to__isnull', False), _connector='OR'), name='carerequest_transferred_has_dong'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('total_cost__gte', 0)), name='careplan_total_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('self_pay_amount__gte', 0)), name='careplan_self_pay_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('public_amount__gte', 0)), name='careplan_public_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('used_this_year__gte', 0)), name='careplan_used_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('annual_cap__isnull', True), ('annual_cap__gte', 0), _connector='OR'), name='careplan_annual_cap_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('total_cost', django.db.models.expressions.CombinedExpression(models.F('self_pay_amount'), '+', models.F('public_amount')))), name='careplan_split_adds_up'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('self_pay_percent__gte', 0), ('self_pay_percent__lte', 100)), name='careplan_self_pay_percent_range'),
                ),
                migrations.AddConstraint(
                    model_name='careplan',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='careplan_period_order'),
                ),
                migrations.AddConstraint(
                    model_name='careassessment',
                    constraint=models.CheckConstraint(condition=models.Q(('care_kinds__len__gte', 1)), name='careassessment_has_kind'),
                ),
                migrations.AddConstraint(
                    model_name='approval',
                    constraint=models.UniqueConstraint(fields=('plan', 'submission_no'), name='approval_one_per_submission'),
                ),
                migrations.AddConstraint(
                    model_name='approval',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('decision', 'returned'), _negated=True), models.Q(('comment', ''), _negated=True), _connector='OR'), name='approval_returned_has_comment'),
                ),
                migrations.AddConstraint(
                    model_name='approval',
                    constraint=models.CheckConstraint(condition=models.Q(('total_cost__gte', 0)), name='approval_total_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='approval',
                    constraint=models.CheckConstraint(condition=models.Q(('self_pay_amount__gte', 0)), name='approval_self_pay_nonnegative'),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name='approval',
                    trigger=pgtrigger.compiler.Trigger(name='approval_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='5c795c3445061e71b88dc0e28a6ecfa45ef474a7', operation='UPDATE OR DELETE', pgid='pgtrigger_approval_append_only_e9a5f', table='cases_approval', when='BEFORE')),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name='carerequestevent',
                    trigger=pgtrigger.compiler.Trigger(name='carerequestevent_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='14e1bb2048ec2a7d8fb7f5300b083a4af09b4b2d', operation='UPDATE OR DELETE', pgid='pgtrigger_carerequestevent_append_only_03ad3', table='cases_carerequestevent', when='BEFORE')),
                ),
                migrations.AddConstraint(
                    model_name='caresoswarning',
                    constraint=models.UniqueConstraint(fields=('request', 'kind'), name='caresoswarning_once_per_kind'),
                ),
                migrations.AddConstraint(
                    model_name='servicedelivery',
                    constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='servicedelivery_quantity_positive'),
                ),
                migrations.AddConstraint(
                    model_name='servicedelivery',
                    constraint=models.CheckConstraint(condition=models.Q(('cost__gte', 0)), name='servicedelivery_cost_nonnegative'),
                ),
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
