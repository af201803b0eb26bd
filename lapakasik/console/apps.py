from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "lapakasik.console"
    label = "console"
