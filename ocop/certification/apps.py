from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CertificationConfig(AppConfig):
    name = "ocop.certification"
    label = "certification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ocop.certification.stamps.changes import on_post_migrate

        # After every migrate, whichever app's migrations rebuilt a table (and dropped its triggers).
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="ocop.stamps.changes")
