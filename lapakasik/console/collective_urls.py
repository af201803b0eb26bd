from django.urls import path

from . import collective_views as views

# Included by console/urls.py under "kolektif/", inside the "console" namespace.
urlpatterns = [
    path("", views.index, name="kolektif"),
    path("kuasa/<int:pk>/berkas/", views.mandate_file, name="kolektif_mandate_file"),
    path("kuasa/<int:pk>/putuskan/", views.mandate_decide, name="kolektif_mandate_decide"),
    path("daftar/<int:pk>/", views.list_detail, name="kolektif_list"),
    path("daftar/<int:pk>/verifikasi/", views.list_start_verification, name="kolektif_verify"),
]
