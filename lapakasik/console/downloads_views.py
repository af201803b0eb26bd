"""The branch head's record of exports and document downloads: who took what out, and when."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from lapakasik.accounts.access import staff_required
from lapakasik.accounts.models import Role
from lapakasik.security.queries import downloads_visible_to


@staff_required
def downloads(request):
    if not (request.user.role == Role.BRANCH_HEAD or request.user.is_admin_role):
        raise Http404
    page = Paginator(downloads_visible_to(request.user), 100).get_page(request.GET.get("hal"))
    return render(request, "console/downloads.html", {"page": page})
