"""Data: Seoul's 25 gu with their official codes, and 은평구's 16 dongs in its 5 regions."""

from django.db import migrations


def load(apps, schema_editor):
    from chatdong.areas.seoul import load_reference_areas

    load_reference_areas(apps.get_model("areas", "Gu"), apps.get_model("areas", "Region"), apps.get_model("areas", "Dong"))


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
