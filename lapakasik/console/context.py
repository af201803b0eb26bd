"""What every page's menu needs from the console: the administrator's branch picker."""

from __future__ import annotations

from django.http import Http404

from lapakasik.accounts.access import picked_branch
from lapakasik.registry.models import Branch


def branch_picker(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_admin_role:
        return {}
    try:
        picked = picked_branch(request)
    except Http404:
        return {}
    return {"picker_branches": Branch.objects.order_by("name"), "picked_branch": picked}
