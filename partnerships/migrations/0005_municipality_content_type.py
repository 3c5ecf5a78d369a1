"""Municipality moved from ``platser`` to the kernel (its table kept its name): rename its
content type so that nothing points at a model that no longer exists. Reversible."""

from django.db import migrations


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=source, model="municipality").first()
    if old is None:
        return
    if ContentType.objects.filter(app_label=target, model="municipality").exists():
        old.delete()  # created already by a post_migrate run in between: the old one is stale
    else:
        old.app_label = target
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, "platser", "partnerships")


def backwards(apps, schema_editor):
    _move(apps, "partnerships", "platser")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0004_load_municipalities"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
