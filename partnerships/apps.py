from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the deploy checks
        from .scoping import close_gaps
        from .session_timeout import start_clocks
        from .tenancy import protect_after_migrate

        user_logged_in.connect(start_clocks, dispatch_uid="partnerships.session_clocks")
        # After every migrate, once all tables exist: row-level security follows the models.
        post_migrate.connect(protect_after_migrate, sender=self, dispatch_uid="partnerships.rls")
        close_gaps()  # exists() and friends fail closed outside a scope too
