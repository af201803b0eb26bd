from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "lapakasik.collective"
    label = "collective"
    verbose_name = "Kolektif"
