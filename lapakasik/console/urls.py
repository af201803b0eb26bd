from django.urls import include, path

from . import views

app_name = "console"
urlpatterns = [
    path("reports/claims/", views.claims_report, name="claims_report"),
    path("payments/", include("lapakasik.console.payments_urls")),
]
urlpatterns += [path("klaim/", include("lapakasik.console.claims_urls"))]  # claim queue and decisions

from .booking_urls import urlpatterns as booking_urlpatterns  # noqa: E402

urlpatterns += booking_urlpatterns
urlpatterns += [path("kolektif/", include("lapakasik.console.collective_urls"))]  # mandates and collective lists
