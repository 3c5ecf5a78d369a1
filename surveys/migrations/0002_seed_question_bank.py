"""Seed the standard question bank (program NULL) from ``surveys.bank``.

Unscoped on purpose: bank items belong to no program. Idempotent by ``code``; reversible.
A later change to the bank needs a new data migration that updates the rows.
"""

from django.db import migrations

from surveys.bank import BANK


def seed(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    AnswerOption = apps.get_model("surveys", "AnswerOption")
    for index, item in enumerate(BANK, start=1):
        question, _ = Question.objects.update_or_create(
            program=None,
            code=item["code"],
            defaults={
                "kind": item["kind"],
                "text_sv": item["text_sv"],
                "text_en": item["text_en"],
                "source": item["source"],
                "position": index * 10,
            },
        )
        question.options.all().delete()
        AnswerOption.objects.bulk_create(
            AnswerOption(
                question=question,
                position=position,
                value=position,
                label_sv=label_sv,
                label_en=label_en,
                is_positive=positive,
            )
            for position, (label_sv, label_en, positive) in enumerate(item["options"], start=1)
        )


def unseed(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    Question.objects.filter(program=None, code__in=[item["code"] for item in BANK]).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
