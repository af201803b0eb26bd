from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "lapakasik.cli"
    label = "cli"
