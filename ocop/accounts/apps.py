from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ocop.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ocop.accounts import auth_events

        auth_events.connect()
