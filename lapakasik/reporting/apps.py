from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "lapakasik.reporting"
    label = "reporting"
