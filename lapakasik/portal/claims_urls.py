from django.urls import path

from . import claims_views as views

urlpatterns = [
    path("", views.my_claims, name="claims_home"),
    path("identifikasi/", views.identify_view, name="claims_identify"),
    path("baru/", views.choose, name="claims_choose"),
    path("<str:number>/", views.detail, name="claims_detail"),
    # The draft's task list is claims_detail; each task a page of its own (claims_upload and claims_account
    # answer GET too), "Periksa jawaban Anda" holds the only submit button.
    path("<str:number>/data-diri/", views.task_identity, name="claims_task_identity"),
    path("<str:number>/pilihan/", views.task_choice, name="claims_task_choice"),
    path("<str:number>/periksa/", views.task_check, name="claims_task_check"),
    path("<str:number>/dokumen/", views.upload, name="claims_upload"),
    path("<str:number>/dokumen/<int:document_id>/", views.document_file, name="claims_document"),
    path(
        "<str:number>/dokumen/<int:document_id>/hapus/", views.remove_document, name="claims_document_remove"
    ),
    path("<str:number>/rekening/", views.payout_account, name="claims_account"),
    path("<str:number>/ajukan/", views.submit, name="claims_submit"),
    path("<str:number>/terkirim/", views.submitted, name="claims_submitted"),
    path("<str:number>/batalkan/", views.cancel, name="claims_cancel"),
]
