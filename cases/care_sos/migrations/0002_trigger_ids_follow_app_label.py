"""The append-only triggers of events and approvals get the ids pgtrigger derives from the new
app label (`care_sos.Approval:…`): drop the old ones and install the same triggers again, in
one transaction, so no other transaction ever sees the tables unprotected."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('care_sos', '0001_initial'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='approval',
            name='approval_append_only',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='carerequestevent',
            name='carerequestevent_append_only',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='approval',
            trigger=pgtrigger.compiler.Trigger(name='approval_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='f3be9754c5ad77aae9513e818e760912044119e9', operation='UPDATE OR DELETE', pgid='pgtrigger_approval_append_only_0dd86', table='cases_approval', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='carerequestevent',
            trigger=pgtrigger.compiler.Trigger(name='carerequestevent_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='8169870248e769b2628274ea07251c5a53a9cfe9', operation='UPDATE OR DELETE', pgid='pgtrigger_carerequestevent_append_only_ccea9', table='cases_carerequestevent', when='BEFORE')),
        ),
    ]
