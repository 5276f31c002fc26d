from django.db import migrations

# The sector defaults of referrals.choices.DEFAULT_SERVICE_DAYS, as they were when this ran.
DAYS = {
    "kesehatan": 3,
    "pendidikan": 10,
    "sosial_ekonomi": 10,
    "pangan": 5,
    "energi": 10,
    "pertanian": 14,
    "perikanan": 14,
    "perumahan": 20,
    "adminduk": 7,
    "lainnya": 10,
}


def seed(apps, schema_editor):
    ServiceLevel = apps.get_model("referrals", "ServiceLevel")
    for need, days in DAYS.items():
        ServiceLevel.objects.get_or_create(need=need, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
