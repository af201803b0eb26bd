from django.contrib.auth import views as auth_views
from django.urls import path

from .views import LoginView, otp_enrol, otp_recovery, otp_verify, unlock_view

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", otp_verify, name="otp_verify"),
    path("verifikasi/daftar/", otp_enrol, name="otp_enrol"),
    path("verifikasi/kode-pemulihan/", otp_recovery, name="otp_recovery"),
    path("buka-kunci/<str:token>/", unlock_view, name="unlock"),
]
