"""Care SOS moves to its own app (`cases.care_sos`, label `care_sos`).

State only: the nine models leave the `cases` state here and `care_sos.0001_initial` adds
them to its own state over the same tables (`db_table` keeps `cases_<model>`). No row, table,
index or constraint is touched; the append-only triggers are renamed in `care_sos.0002`.
"""

from django.db import migrations

# Models that others point at come last.
CARE_SOS_MODELS = (
    "ServiceDelivery",
    "CareSosWarning",
    "Approval",
    "CareRequestEvent",
    "CareAssessment",
    "CarePlanLine",
    "CarePlan",
    "CareRequest",
    "CareProvider",
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_care_sos_seeds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in CARE_SOS_MODELS],
            database_operations=[],
        ),
    ]
