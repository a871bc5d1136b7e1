from django.db import migrations


def seed(apps, schema_editor):
    from chatdong.policy.seeds import seed_thresholds

    seed_thresholds(apps.get_model("policy", "PolicyThreshold"))


class Migration(migrations.Migration):
    """The rule values that used to be constants in code (revisit days, the no-response due
    hours, plan and sweep defaults, the 2018 counselling-rate benchmark) and the Care SOS
    self-pay default, now seeded with the other thresholds. Get-or-create: existing rows and
    admins' versions stand."""

    dependencies = [("policy", "0005_seoul_today_function")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
