from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Public records and personal data: the program archive (BagIt)."""

    name = "records"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Allmänna handlingar"

    def ready(self):
        from . import rules  # noqa: F401 - registers the permission predicates
