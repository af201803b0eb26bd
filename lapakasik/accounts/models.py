"""Users and roles. Staff belong to one branch and see only that branch's work."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class User(AbstractUser):
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

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="staff_have_a_branch",
                condition=~models.Q(role__in=["cso", "supervisor", "branch_head", "finance"])
                | models.Q(branch__isnull=False),
            )
        ]

    @property
    def is_branch_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def can_see_branch(self, branch_id: int) -> bool:
        return self.is_admin_role or (self.is_branch_staff and self.branch_id == branch_id)
