from django.apps import AppConfig


class PlatserConfig(AppConfig):
    name = "platser"
    default_auto_field = "django.db.models.BigAutoField"
