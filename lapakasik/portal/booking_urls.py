from django.urls import path

from . import booking_views as views

urlpatterns = [
    path("jadwal/", views.my_schedule, name="booking_mine"),
    path("jadwal/klaim/<str:number>/", views.choose_session, name="booking_choose"),
    path("jadwal/klaim/<str:number>/pesan/", views.book, name="booking_book"),
    path("jadwal/klaim/<str:number>/tunggu/", views.join_waitlist, name="booking_waitlist"),
    path("jadwal/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("jadwal/<int:pk>/kalender.ics", views.booking_ics, name="booking_ics"),
    path("jadwal/<int:pk>/batal/", views.cancel, name="booking_cancel"),
    path("jadwal/<int:pk>/setuju-video/", views.video_consent, name="booking_video_consent"),
    path("jadwal/<int:pk>/masuk-video/", views.join_video, name="booking_join_video"),
    path("jadwal/tunggu/<int:pk>/keluar/", views.leave_waitlist, name="booking_leave_waitlist"),
    path("jadwal/hadir/<slug:branch_code>/", views.check_in, name="booking_checkin"),
    path("jadwal/undian/<slug:branch_code>/<str:date>/", views.lottery_result, name="booking_lottery"),
    path("jadwal/tiket/<str:token>/", views.ticket, name="booking_ticket"),
    path("jadwal/layar/<slug:branch_code>/", views.display, name="booking_display"),
]
