"""The eight complaint categories of the issue, with a service level and handling unit each;
the district edits them afterwards (category admin page)."""

from django.db import migrations

CATEGORIES = [
    ("data-tidak-valid", "Data tidak valid", 10, "data"),
    ("bantuan-belum-diterima", "Bantuan belum diterima", 5, "linjamsos"),
    ("penerima-tidak-layak", "Penerima tidak layak (sanggahan)", 14, "data"),
    ("layak-belum-terdaftar", "Layak tetapi belum terdaftar", 14, "data"),
    ("pungutan-liar", "Pemotongan/pungutan liar", 3, "sekretariat"),
    ("kks-hilang-rusak", "KKS hilang atau rusak", 7, "linjamsos"),
    ("layanan-petugas", "Layanan petugas", 5, "sekretariat"),
    ("lainnya", "Lainnya", 10, "sekretariat"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for order, (code, name, days, unit) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "service_days": days, "handling_unit": unit, "order": order},
        )


def unseed(apps, schema_editor):
    apps.get_model("complaints", "Category").objects.filter(
        code__in=[code for code, *_rest in CATEGORIES], complaints__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
