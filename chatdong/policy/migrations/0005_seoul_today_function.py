"""The policy guards ask one SQL function for Seoul's date instead of repeating the expression."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('policy', '0004_load_median_income'),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE OR REPLACE FUNCTION chatdong_seoul_today() RETURNS date LANGUAGE sql STABLE AS "
                "$$ SELECT (CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Seoul')::date $$"
            ),
            reverse_sql="DROP FUNCTION IF EXISTS chatdong_seoul_today()",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='policythreshold',
            name='threshold_in_force_is_immutable',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='policythreshold',
            name='threshold_in_force_not_deleted',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='policythreshold',
            trigger=pgtrigger.compiler.Trigger(name='threshold_in_force_is_immutable', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.valid_from <= chatdong_seoul_today() AND (OLD.key IS DISTINCT FROM NEW.key OR OLD.value IS DISTINCT FROM NEW.value OR OLD.unit IS DISTINCT FROM NEW.unit OR OLD.source IS DISTINCT FROM NEW.source OR OLD.valid_from IS DISTINCT FROM NEW.valid_from OR (OLD.valid_to IS DISTINCT FROM NEW.valid_to AND (OLD.valid_to < chatdong_seoul_today() OR NEW.valid_to < chatdong_seoul_today() - 1))))', func="RAISE EXCEPTION '정책 기준값 %(%)은 이미 적용된 버전이라 고칠 수 없습니다. 새 버전을 등록해 주세요.', OLD.key, OLD.valid_from USING ERRCODE = 'restrict_violation';", hash='9fe9863341a2253a2eb219b700eb4943f40d535b', operation='UPDATE', pgid='pgtrigger_threshold_in_force_is_immutable_22db2', table='policy_policythreshold', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='policythreshold',
            trigger=pgtrigger.compiler.Trigger(name='threshold_in_force_not_deleted', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.valid_from <= chatdong_seoul_today())', func="RAISE EXCEPTION '정책 기준값 %(%)은 이미 적용된 버전이라 삭제할 수 없습니다.', OLD.key, OLD.valid_from USING ERRCODE = 'restrict_violation';", hash='26bb787c493cc064a34ec325a8b362d8e68b2c4f', operation='DELETE', pgid='pgtrigger_threshold_in_force_not_deleted_76773', table='policy_policythreshold', when='BEFORE')),
        ),
    ]
