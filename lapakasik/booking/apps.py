from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "lapakasik.booking"
    verbose_name = "Booking"

    def ready(self) -> None:
        from lapakasik.claims.signals import claim_returned

        from .actions import release_bookings_of_returned_claim

        claim_returned.connect(release_bookings_of_returned_claim, dispatch_uid="booking.claim_returned")
