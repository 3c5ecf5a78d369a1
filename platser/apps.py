from django.apps import AppConfig


class PlatserConfig(AppConfig):
    name = "platser"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import rules  # noqa: F401  (registers the findings and walks predicates)
