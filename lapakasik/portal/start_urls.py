from django.urls import path

from . import start_views as views

urlpatterns = [
    path("<slug:slug>/", views.start, name="start_program"),
    path("<slug:slug>/formulir-klaim.pdf", views.claim_form, name="start_claim_form"),
]
