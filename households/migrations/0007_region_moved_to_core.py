"""``Region`` now lives in the core app (same table, see ``core.0001_initial``): the foreign
keys point at ``core.Region`` and households forgets the model. Nothing changes in the
database: the columns and their constraints already reference ``households_region``."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("households", "0006_drop_redundant_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="household",
                    name="desa",
                    field=models.ForeignKey(
                        db_column="desa_code",
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                        verbose_name="desa/kelurahan",
                    ),
                ),
                migrations.AlterField(
                    model_name="dataupdate",
                    name="desa",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                    ),
                ),
                migrations.DeleteModel(name="Region"),
            ],
            database_operations=[],
        ),
    ]
