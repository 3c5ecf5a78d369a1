"""Load Sweden's 290 municipalities (SCB codes) from partnerships/data/kommuner.csv.

Reference data, not program-owned, so no scope is involved. Reversible: the reverse removes the
rows this migration added.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "kommuner.csv"


def load(apps, schema_editor):
    Municipality = apps.get_model("partnerships", "Municipality")
    with CSV_PATH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    Municipality.objects.bulk_create(
        [
            Municipality(
                code=row["kommunkod"],
                name=row["kommun"],
                county_code=row["lanskod"],
                county=row["lan"],
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("partnerships", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_invitation_email_sent")]
    # Was platser 0002_load_municipalities before the kernel redesign.
    replaces = [("platser", "0002_load_municipalities")]
    operations = [migrations.RunPython(load, unload)]
