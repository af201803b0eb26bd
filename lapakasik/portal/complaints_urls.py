from django.urls import path

from . import complaints_views as views

urlpatterns = [
    path("", views.my_complaints, name="complaints_home"),
    path("baru/", views.file_complaint, name="complaints_new"),
    path("<str:number>/", views.complaint_detail, name="complaints_detail"),
    path("<str:number>/lampiran/<int:pk>/", views.attachment_file, name="complaints_attachment"),
]
