from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "lapakasik.booking"
    verbose_name = "Booking"
