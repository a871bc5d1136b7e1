from django.db import migrations


def forwards(apps, schema_editor):
    from outreach.schedules import seed_schedules

    seed_schedules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_sweeps_cycles_bigdata_activity"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
