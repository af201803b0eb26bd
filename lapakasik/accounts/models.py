"""Users and roles. Staff belong to one branch and see only that branch's work."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from lapakasik.lib.lifecycle import AuditEvent


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Peserta")
    HEIR = "heir", _("Ahli waris")
    EMPLOYER_REP = "employer_rep", _("Wakil pemberi kerja")
    CSO = "cso", _("Petugas layanan (CSO)")
    SUPERVISOR = "supervisor", _("Supervisor")
    BRANCH_HEAD = "branch_head", _("Kepala cabang")
    FINANCE = "finance", _("Keuangan")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.CSO, Role.SUPERVISOR, Role.BRANCH_HEAD, Role.FINANCE})


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices (untyped)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    branch = models.ForeignKey(
        "registry.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="representatives"
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    # The address the owner proved to read (the e-mailed link) and when. Kept beside ``email`` so that an
    # address changed later is unverified again without any hook on save.
    email_verified = models.EmailField(_("e-mail terverifikasi"), blank=True)
    email_verified_at = models.DateTimeField(_("e-mail diverifikasi pada"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="staff_have_a_branch",
                condition=~models.Q(role__in=["cso", "supervisor", "branch_head", "finance"])
                | models.Q(branch__isnull=False),
            ),
            # One portal account per participant (issue 18, finding 11). Heirs' accounts also point at the
            # deceased participant and several heirs may each have one, so only the participant's own count.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(participant__isnull=False, role="participant"),
                name="one_account_per_participant",
            ),
        ]

    @property
    def has_verified_email(self) -> bool:
        """Mail about a person's claims goes only to an address that is proved theirs. Staff addresses are
        set by administrators and count as verified."""
        if not self.email:
            return False
        if self.is_branch_staff or self.is_admin_role or self.is_staff:
            return True
        return self.email_verified_at is not None and self.email_verified.lower() == self.email.lower()

    @property
    def awaits_email_verification(self) -> bool:
        """The portal's banner: an address is given but not yet proved."""
        return bool(self.email) and not self.has_verified_email

    def mark_email_verified(self, at=None) -> None:
        self.email_verified = self.email
        self.email_verified_at = at or timezone.now()

    @property
    def needs_second_factor(self) -> bool:
        """Everyone who can move a claim or money: branch staff and administrators."""
        return self.is_branch_staff or self.is_admin_role or self.is_staff

    @property
    def is_branch_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def can_see_branch(self, branch_id: int) -> bool:
        return self.is_admin_role or (self.is_branch_staff and self.branch_id == branch_id)


class SavedView(models.Model):
    """A list a staff member named and keeps (a console page's filters, search and sort as a query string)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_views")
    page = models.CharField(max_length=40)  # the console page's URL name, e.g. "claims_queue"
    name = models.CharField(_("nama"), max_length=60)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "name"], name="saved_view_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.page} {self.name}"


class RecoveryCodes(Device):
    """One-time recovery codes for when the authenticator phone is lost; only their SHA-256 is stored.

    The codes are random (80 bits each), so a plain hash is enough: no guessing table reaches them, and a
    slow password hash would make every verification cost ten of them.
    """

    hashes = models.JSONField(default=list)

    def verify_token(self, token) -> bool:
        digest = hash_recovery_code(str(token))
        if digest not in self.hashes:
            return False
        # The row is locked by django_otp.match_token (select_for_update): a code works once.
        self.hashes = [h for h in self.hashes if h != digest]
        self.save(update_fields=["hashes"])
        return True


def hash_recovery_code(code: str) -> str:
    normalized = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


class AccountAction(models.TextChoices):
    REGISTERED = "registered", _("Akun dibuat")
    VERIFICATION_SENT = "verification_sent", _("Tautan verifikasi e-mail dikirim")
    EMAIL_VERIFIED = "email_verified", _("E-mail diverifikasi")
    RESET_SENT = "reset_sent", _("Tautan atur ulang kata sandi dikirim")
    PASSWORD_RESET = "password_reset", _("Kata sandi diatur ulang")


class AccountEvent(AuditEvent):
    """The audit trail of a portal account's own changes. No address or name is kept here: the user id is."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    action = models.CharField(max_length=40, choices=AccountAction.choices)

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action} {self.user_id}"
