from django.urls import path

from . import views

app_name = "console"
urlpatterns = [path("reports/claims/", views.claims_report, name="claims_report")]
