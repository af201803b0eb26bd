from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    LoginView,
    PasswordResetConfirmView,
    PasswordResetView,
    otp_enrol,
    otp_recovery,
    otp_verify,
    resend_verification,
    unlock_view,
    verify_email,
)

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", otp_verify, name="otp_verify"),
    path("verifikasi/daftar/", otp_enrol, name="otp_enrol"),
    path("verifikasi/kode-pemulihan/", otp_recovery, name="otp_recovery"),
    path("buka-kunci/<str:token>/", unlock_view, name="unlock"),
    path("verifikasi-email/kirim-ulang/", resend_verification, name="verify_email_resend"),
    path("verifikasi-email/<str:token>/", verify_email, name="verify_email"),
    path("lupa-kata-sandi/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-kata-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "atur-ulang/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-ulang/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
