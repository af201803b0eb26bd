from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class LapakUserAdmin(UserAdmin):
    list_display = ("username", "role", "branch", "is_active")
    list_filter = ("role", "branch", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # type: ignore[misc]
        ("Lapak Asik", {"fields": ("role", "branch", "participant", "employer", "phone")}),
    )
    raw_id_fields = ("participant", "employer")
