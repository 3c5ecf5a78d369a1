"""Records that named the meeting models by their old app: content types and audit entries.

Before the kernel redesign the meeting models were ``partnerships.Meeting`` and so on. Their
tables did not move (see 0001), but two kinds of rows name them by app label: Django's content
types (which the permissions hang on) and the audit log's ``model_label``. Both are renamed so
that the log keeps showing those entries under their record type. Unscoped on purpose: a data
migration runs across every program. Reversible.
"""

from django.db import migrations

MODELS = ["meeting", "agendaitem", "attendance", "decision", "meetinginvitation", "calendarfeed"]
LABELS = ["Meeting", "AgendaItem", "Attendance", "Decision", "MeetingInvitation", "CalendarFeed"]


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        if ContentType.objects.filter(app_label=target, model=model).exists():
            # Created already (e.g. by a post_migrate run in between): the old one is stale.
            old.delete()
        else:
            old.app_label = target
            old.save(update_fields=["app_label"])
    AuditEntry = apps.get_model("partnerships", "AuditEntry")
    for label in LABELS:
        AuditEntry.objects.filter(model_label=f"{source}.{label}").update(
            model_label=f"{target}.{label}"
        )


def forwards(apps, schema_editor):
    _move(apps, "partnerships", "meetings")


def backwards(apps, schema_editor):
    _move(apps, "meetings", "partnerships")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
