from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lapakasik.api"
    label = "api"
