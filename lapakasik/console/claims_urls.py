from django.urls import path

from . import claims_views as views

urlpatterns = [
    path("", views.queue, name="claims_queue"),
    path("supervisor/", views.supervisor, name="claims_supervisor"),
    path("<str:number>/", views.claim_page, name="claim"),
    path("<str:number>/keputusan/", views.decide, name="claim_decide"),
]
