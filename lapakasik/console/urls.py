from django.urls import include, path

from . import views

app_name = "console"
urlpatterns = [
    path("reports/claims/", views.claims_report, name="claims_report"),
    path("payments/", include("lapakasik.console.payments_urls")),
]
urlpatterns += [path("klaim/", include("lapakasik.console.claims_urls"))]  # claim queue and decisions
