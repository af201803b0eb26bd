from django.urls import path

from . import collective_views as views

app_name = "collective"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kuasa/", views.mandate_create, name="mandate_create"),
    path("kuasa/<int:pk>/cabut/", views.mandate_revoke, name="mandate_revoke"),
    path("templat.<str:fmt>", views.template_download, name="template"),
    path("unggah/", views.upload, name="upload"),
    path("daftar/<int:pk>/", views.list_detail, name="list"),
    path("daftar/<int:pk>/progres/", views.list_progress, name="progress"),
    path("daftar/<int:pk>/kesalahan.<str:fmt>", views.list_errors, name="errors"),
    path("daftar/<int:pk>/ajukan/", views.list_submit, name="submit"),
    path("daftar/<int:pk>/lanjutkan/", views.list_resume, name="resume"),
]
