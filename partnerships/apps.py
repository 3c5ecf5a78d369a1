from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .scoping import close_gaps

        close_gaps()  # exists() and friends fail closed outside a scope too
