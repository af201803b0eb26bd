from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lapakasik.demo"
    label = "demo"
