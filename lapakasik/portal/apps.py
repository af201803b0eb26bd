from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lapakasik.portal"
    label = "portal"
