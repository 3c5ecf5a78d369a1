from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0001_initial"),
        ("platser", "0003_add_findings_and_walks"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="findings",
            field=models.ManyToManyField(
                blank=True,
                related_name="measures",
                to="platser.finding",
                verbose_name="fynd som åtgärden avser",
            ),
        ),
    ]
