from django.urls import path

from . import privacy_views

urlpatterns = [
    path("", privacy_views.account_privacy, name="privacy_home"),
    path("persetujuan/", privacy_views.consent, name="privacy_consent"),
    path("unduh/", privacy_views.export_data, name="privacy_export"),
    path("hapus/", privacy_views.request_deletion, name="privacy_delete"),
    path("perbaiki/", privacy_views.request_correction, name="privacy_correct"),
]
