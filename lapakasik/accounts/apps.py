from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lapakasik.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .middleware import mark_device_recognised
        from .throttle_table import create_throttle_table

        user_logged_in.connect(mark_device_recognised, dispatch_uid="lapakasik_recognise_device")
        post_migrate.connect(create_throttle_table, sender=self, dispatch_uid="lapakasik_throttle_table")
