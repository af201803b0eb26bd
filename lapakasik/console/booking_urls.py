from django.urls import path

from . import booking_views as views

urlpatterns = [
    path("sesi/", views.sessions_today, name="booking_sessions"),
    path("sesi/<int:pk>/", views.session_now, name="booking_session"),
    path("sesi/<int:pk>/panggil/", views.call_next, name="booking_call_next"),
    path("sesi/<int:pk>/selesai/", views.finish, name="booking_finish"),
    path("sesi/<int:pk>/hasil/<int:booking_pk>/", views.verdict, name="booking_verdict"),
    path("sesi/<int:pk>/dropbox/<int:booking_pk>/", views.dropbox, name="booking_dropbox"),
    path("sesi/templat/", views.templates, name="booking_templates"),
    path("sesi/ukuran/", views.measures, name="booking_measures"),
    path("sesi/qr/<slug:branch_code>.svg", views.checkin_qr, name="booking_qr"),
]
