from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ocop.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Job handlers must be registered in every process (web and task consumer).
        from ocop.registry import import_jobs  # noqa: F401
