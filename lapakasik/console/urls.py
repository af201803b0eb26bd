from django.urls import include, path

from . import capacity_views, dashboard, downloads_views, views

app_name = "console"
urlpatterns = [
    path("cabang/", views.pick_branch, name="pick_branch"),
    path("reports/claims/", views.claims_report, name="claims_report"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/chart/<slug:key>.svg", dashboard.dashboard_chart, name="dashboard_chart"),
    path("dashboard/press/", dashboard.dashboard_press, name="dashboard_press"),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard_export"),
    path("unduhan/", downloads_views.downloads, name="downloads"),
    path("klaim/", include("lapakasik.console.claims_urls")),  # claim queue and decisions
    path("", include("lapakasik.console.booking_urls")),  # sessions: sesi/…
    path("payments/", include("lapakasik.console.payments_urls")),
    path("kapasitas/", capacity_views.plan, name="capacity"),
    path("kapasitas/grafik.svg", capacity_views.chart, name="capacity_chart"),
    path("kapasitas/templat/", capacity_views.create_templates, name="capacity_templates"),
    path("kolektif/", include("lapakasik.console.collective_urls")),  # mandates and collective lists
    path("data-pribadi/", include("lapakasik.console.privacy_urls")),  # breach register, data requests
    path("pengaduan/", include("lapakasik.console.complaints_urls")),  # complaints and objections
]
