from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lapakasik.accounts"
    label = "accounts"
