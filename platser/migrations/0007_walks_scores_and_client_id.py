# Scored safety walks (WalkScore) and a client id for walks sent from a phone's draft.
# WalkScore is created with its fields and constraints in one operation: separate AddField /
# AddConstraint steps make SQLite rebuild the new table (and leave a sqlite_sequence row).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_user_title_phone"),
        ("platser", "0006_finding_client_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="WalkScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partnerships.program",
                        verbose_name="program",
                    ),
                ),
                (
                    "walk",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="platser.safetywalk",
                        verbose_name="trygghetsvandring",
                    ),
                ),
                (
                    "finding",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="platser.finding",
                        verbose_name="fynd (stopp)",
                    ),
                ),
                (
                    "criterion",
                    models.CharField(
                        choices=[
                            ("belysning", "Belysning"),
                            ("overblick", "Överblick och sikt"),
                            ("folkliv", "Folkliv"),
                            ("skotsel", "Skötsel"),
                            ("gangvag", "Gångväg och tillgänglighet"),
                            ("trygghet", "Trygghetskänsla"),
                        ],
                        max_length=20,
                        verbose_name="kriterium",
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="poäng (1–5)")),
                (
                    "comment",
                    models.CharField(blank=True, max_length=500, verbose_name="kommentar"),
                ),
            ],
            options={
                "verbose_name": "bedömning",
                "verbose_name_plural": "bedömningar",
                "ordering": ["walk", "finding", "criterion"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)),
                        name="walk_score_1_to_5",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("finding__isnull", True)),
                        fields=("walk", "criterion"),
                        name="walk_score_unique_per_walk",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("finding__isnull", False)),
                        fields=("finding", "criterion"),
                        name="walk_score_unique_per_finding",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="safetywalk",
            name="client_id",
            field=models.UUIDField(
                blank=True, editable=False, null=True, verbose_name="inskicknings-id"
            ),
        ),
        migrations.AddConstraint(
            model_name="safetywalk",
            constraint=models.UniqueConstraint(
                condition=models.Q(("client_id__isnull", False)),
                fields=("program", "client_id"),
                name="walk_unique_client_id",
            ),
        ),
    ]
