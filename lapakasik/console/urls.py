from django.urls import include, path

from . import dashboard, views

app_name = "console"
urlpatterns = [
    path("reports/claims/", views.claims_report, name="claims_report"),
    path("payments/", include("lapakasik.console.payments_urls")),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/chart/<slug:key>.svg", dashboard.dashboard_chart, name="dashboard_chart"),
    path("dashboard/press/", dashboard.dashboard_press, name="dashboard_press"),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard_export"),
]
urlpatterns += [path("klaim/", include("lapakasik.console.claims_urls"))]  # claim queue and decisions

from .booking_urls import urlpatterns as booking_urlpatterns  # noqa: E402

urlpatterns += booking_urlpatterns
urlpatterns += [path("kolektif/", include("lapakasik.console.collective_urls"))]  # mandates and collective lists
