from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .scoping import close_gaps
        from .session_timeout import start_clocks

        user_logged_in.connect(start_clocks, dispatch_uid="partnerships.session_clocks")
        close_gaps()  # exists() and friends fail closed outside a scope too
