from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Enkäter"

    def ready(self):
        from . import rules  # noqa: F401  (registers the permission predicates)
        from .results import rules as _results  # noqa: F401  (and those of the results)
