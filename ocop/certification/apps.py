from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "ocop.certification"
    label = "certification"
    default_auto_field = "django.db.models.BigAutoField"
