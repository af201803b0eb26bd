from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "lapakasik.capacity"
    verbose_name = "Capacity planning"
