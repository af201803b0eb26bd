from django.contrib import admin
from django.urls import include, path

from .healthz import healthz

urlpatterns = [
    path("", include("lapakasik.portal.urls")),
    path("accounts/", include("lapakasik.accounts.urls")),
    path("console/", include("lapakasik.console.urls")),
    path("api/", include("lapakasik.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
