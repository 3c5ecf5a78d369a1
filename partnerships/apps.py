from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import rules_meetings  # noqa: F401 - registers the meeting predicates
