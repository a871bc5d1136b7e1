from django.db import migrations


def forwards(apps, schema_editor):
    # The self-pay default this migration once added is now one of the policy app's seeds
    # (policy 0003 on a new database; policy 0006 on one migrated before).
    from cases.care_sos.services.seeds import seed_schedules

    seed_schedules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_care_sos"),
        ("policy", "0004_load_median_income"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Get-or-create: reversing leaves the rows (a policy version in force cannot be deleted).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
