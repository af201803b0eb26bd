from django.urls import path

from . import payments_views as views

app_name = "payments"
urlpatterns = [
    path("", views.home, name="home"),
    path("prepare/", views.prepare, name="prepare"),
    path("batches/<str:number>/", views.batch_detail, name="batch"),
    path("batches/<str:number>/transfer.csv", views.batch_file, name="batch_file"),
    path("results/", views.import_result, name="import_result"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/progress/", views.result_progress, name="result_progress"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("slips/<str:reference>.pdf", views.slip, name="slip"),
]
