from django.urls import include, path

from . import dashboard, views

app_name = "console"
urlpatterns = [
    path("reports/claims/", views.claims_report, name="claims_report"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/chart/<slug:key>.svg", dashboard.dashboard_chart, name="dashboard_chart"),
    path("dashboard/press/", dashboard.dashboard_press, name="dashboard_press"),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard_export"),
    path("klaim/", include("lapakasik.console.claims_urls")),  # claim queue and decisions
    path("", include("lapakasik.console.booking_urls")),  # sessions: sesi/…
    path("payments/", include("lapakasik.console.payments_urls")),
    path("kolektif/", include("lapakasik.console.collective_urls")),  # mandates and collective lists
]
