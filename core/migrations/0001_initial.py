"""``Region`` moved here from the households app. The table keeps its name
(``households_region``) and its rows: this migration only tells Django's state that the model
is now ``core.Region``; on a fresh database ``households.0001_initial`` has made the table."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the permissions on regions: their content type changes app instead of being
    created again next to a stale one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="region").exists():
        ContentType.objects.filter(app_label="households", model="region").update(
            app_label="core"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="households", model="region").exists():
        ContentType.objects.filter(app_label="core", model="region").update(
            app_label="households"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("households", "0006_drop_redundant_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        (
                            "code",
                            models.CharField(
                                max_length=13,
                                primary_key=True,
                                serialize=False,
                                verbose_name="kode",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="nama")),
                        (
                            "level",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (1, "Provinsi"),
                                    (2, "Kabupaten/Kota"),
                                    (3, "Kecamatan"),
                                    (4, "Desa/Kelurahan"),
                                ],
                                verbose_name="tingkat",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="core.region",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "wilayah",
                        "verbose_name_plural": "wilayah",
                        "db_table": "households_region",
                        "ordering": ["code"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
