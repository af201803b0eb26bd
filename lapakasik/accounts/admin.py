from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import ThrottledAdminLoginForm
from .models import RecoveryCodes, User


@admin.register(User)
class LapakUserAdmin(UserAdmin):
    list_display = ("username", "role", "branch", "is_active")
    list_filter = ("role", "branch", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # type: ignore[misc]
        (
            "Lapak Asik",
            {
                "fields": (
                    "role",
                    "branch",
                    "participant",
                    "employer",
                    "phone",
                    "email_verified",
                    "email_verified_at",
                )
            },
        ),
    )
    raw_id_fields = ("participant", "employer")
    # Set only by the owner's link (or a completed password reset): an edited address is unverified again.
    readonly_fields = ("email_verified", "email_verified_at")


# /admin/login/ counts failures like every other log-in (issue 18, finding 1).
admin.site.login_form = ThrottledAdminLoginForm


@admin.register(RecoveryCodes)
class RecoveryCodesAdmin(admin.ModelAdmin):
    """Only to delete a lost set (the user then enrols again); the hashes are never shown."""

    list_display = ("user", "codes_left")
    fields = ("user", "name")
    readonly_fields = ("user", "name")

    @admin.display(description="codes left")
    def codes_left(self, obj: RecoveryCodes) -> int:
        return len(obj.hashes)

    def has_add_permission(self, request) -> bool:
        return False
