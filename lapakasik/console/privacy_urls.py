from django.urls import path

from . import privacy_views as views

urlpatterns = [
    path("insiden/", views.incidents, name="privacy_incidents"),
    path("insiden/<int:pk>/", views.incident_step, name="privacy_incident_step"),
    path("permintaan/", views.requests, name="privacy_requests"),
    path("permintaan/<int:pk>/", views.request_step, name="privacy_request_step"),
    path("persetujuan/", views.counter_consent, name="privacy_counter_consent"),
]
