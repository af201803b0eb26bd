from django.urls import path

from . import claims_views as views

urlpatterns = [
    path("", views.queue, name="claims_queue"),
    path("supervisor/", views.supervisor, name="claims_supervisor"),
    path("berikutnya/", views.next_claim, name="claims_next"),
    path("mulai/", views.bulk_start, name="claims_bulk_start"),
    path("tampilan/", views.save_view, name="claims_save_view"),
    path("tampilan/<int:pk>/hapus/", views.delete_view, name="claims_delete_view"),
    path("<str:number>/", views.claim_page, name="claim"),
    path("<str:number>/keputusan/", views.decide, name="claim_decide"),
    path("<str:number>/temuan/", views.override, name="claim_override"),
    path("<str:number>/dokumen/", views.desk_document, name="claim_desk_document"),
    path("<str:number>/rekening/", views.desk_account, name="claim_desk_account"),
    path("<str:number>/upah-jkp/", views.jkp_wage, name="claim_jkp_wage"),
]
