"""Labels for claim statuses, audit actions and document kinds (portal and console)."""

from __future__ import annotations

from django import template

from lapakasik.claims.cases import document_label
from lapakasik.claims.models import ClaimAction, Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code


@register.filter
def action_label(code: str) -> str:
    """The action's name as claims.models.ClaimAction names it (once)."""
    try:
        return str(ClaimAction(code).label)
    except ValueError:
        return code


@register.filter
def document_kind_label(code: str) -> str:
    """'ektp' → 'e-KTP' in the reader's language (the rules' document labels)."""
    return document_label(code)


@register.filter
def sla_label(code: str) -> str:
    """'at_risk' → 'Berisiko terlambat' (claims/sla.py names each service-level state once)."""
    from lapakasik.claims.sla import SlaState

    try:
        return str(SlaState(code).label)
    except ValueError:
        return code
