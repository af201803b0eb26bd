from django.urls import include, path

from . import estimate_views, heir_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("klaim/<str:number>/anak/", heir_views.children, name="claims_children"),  # JKM: the children
    path("klaim/", include("lapakasik.portal.claims_urls")),
    path("perkiraan-manfaat/", estimate_views.estimate_page, name="estimate"),
    path("layanan/", include("lapakasik.portal.start_urls")),  # start page per program (issue 14)
    path("", include("lapakasik.portal.booking_urls")),  # jadwal/…
    path("kolektif/", include("lapakasik.portal.collective_urls")),  # employer collective claims
    path("akun/data-pribadi/", include("lapakasik.portal.privacy_urls")),  # consents, copy, deletion (UU PDP)
    path("pengaduan/", include("lapakasik.portal.complaints_urls")),  # complaints and objections
]
