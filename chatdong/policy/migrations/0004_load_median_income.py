from django.db import migrations


def load(apps, schema_editor):
    from chatdong.policy.seeds import load_median_income

    load_median_income(apps.get_model("policy", "MedianIncome"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_seed_thresholds")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
