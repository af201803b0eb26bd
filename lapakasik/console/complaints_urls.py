from django.urls import path

from . import complaints_views as views

urlpatterns = [
    path("", views.complaints_queue, name="complaints_queue"),
    path("<str:number>/", views.complaint_page, name="complaint"),
    path("<str:number>/langkah/", views.complaint_step, name="complaint_step"),
]
