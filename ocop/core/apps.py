from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ocop.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save

        from ocop.core.field_limits import check_instance_text

        # Text limits and NUL, the same on every database, for every model (ocop.core.field_limits).
        pre_save.connect(check_instance_text, dispatch_uid="ocop.core.field_limits")
