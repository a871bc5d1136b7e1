from django.db import migrations


def seed(apps, schema_editor):
    from chatdong.policy.seeds import seed_thresholds

    seed_thresholds(apps.get_model("policy", "PolicyThreshold"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_threshold_triggers_and_history")]

    # Seeding is get-or-create by (key, valid_from): reversing leaves the rows (versions that
    # have been in force cannot be deleted anyway).
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
