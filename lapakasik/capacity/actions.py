"""Turning a recommendation into the branch's session templates (the one change this app makes).

It goes through the booking app's calendar actions (`booking.actions.add_template` and
`deactivate_template`), the same path as the supervisor's template form: the same service rules (seats 1 or
4–6, opening days and hours) and the same audit events. All or nothing: one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lapakasik.accounts.models import Role
from lapakasik.booking import actions as calendar_actions
from lapakasik.booking.models import SessionChannel, SessionTemplate
from lapakasik.lib.errors import DomainError

from .planning import Slot
from .queries import Formatted

PLANNERS = (Role.SUPERVISOR, Role.BRANCH_HEAD)
OFFICER_ROLES = (Role.CSO, Role.SUPERVISOR)

NOT_ALLOWED = DomainError("not_found", _("Halaman tidak ditemukan."), status=404)
TOO_FEW_OFFICERS = _("Rekomendasi butuh %(needed)s petugas, kantor cabang ini hanya punya %(have)s.")


def require_planner(branch, by) -> None:
    if by is None or not by.is_authenticated or not by.can_see_branch(branch.pk):
        raise NOT_ALLOWED
    if by.role not in PLANNERS and not by.is_admin_role:
        raise NOT_ALLOWED


def branch_officers(branch) -> list:
    """Officers who can hold sessions: CSOs first, then supervisors, in a stable order."""
    staff = branch.staff.filter(role__in=OFFICER_ROLES, is_active=True)
    return sorted(staff, key=lambda u: (u.role != Role.CSO, u.username))


def templates_from_slots(branch, weekday: int, slots: Sequence[Slot], *, by) -> list[SessionTemplate]:
    """Replaces the weekday's active offline templates by the recommended slots."""
    require_planner(branch, by)
    officers = branch_officers(branch)
    needed = max((s.officer_number for s in slots), default=0)
    if needed > len(officers):
        raise DomainError(
            "too_few_officers",
            Formatted(TOO_FEW_OFFICERS, {"needed": needed, "have": len(officers)}),
            field="officers",
            status=400,
        )
    with transaction.atomic():
        old = SessionTemplate.objects.filter(
            branch=branch, weekday=weekday, channel=SessionChannel.OFFLINE, active=True
        )
        for template in old:
            _deactivate(template, by=by)
        return [_add(branch, weekday, slot, officers[slot.officer_number - 1], by=by) for slot in slots]


def _add(branch, weekday: int, slot: Slot, officer, *, by) -> SessionTemplate:
    return calendar_actions.add_template(
        branch,
        by=by,
        channel=SessionChannel.OFFLINE,
        officer=officer,
        weekday=weekday,
        start=slot.start,
        duration_minutes=slot.minutes,
        seats=slot.seats,
    )


def _deactivate(template: SessionTemplate, *, by) -> None:
    calendar_actions.deactivate_template(template, by=by)
