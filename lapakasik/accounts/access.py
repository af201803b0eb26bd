"""Who may open what. Interfaces fetch branch-scoped objects only through these helpers."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from lapakasik.registry.models import Branch


def staff_required(view):
    """Branch staff and admins only; anonymous users go to the login page, others get 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_branch_staff or user.is_admin_role):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def branch_for(user, code: str | None) -> Branch:
    """The branch a staff member asks for; another branch is "not found", never "forbidden"."""
    branch = get_object_or_404(Branch, code=code) if code else user.branch
    if branch is None or not user.can_see_branch(branch.id):
        raise Http404
    return branch


# The administrator's branch pick, kept in the session so that every menu link works without a
# hand-typed ?branch= (branch staff always work on their own branch).
PICKED_BRANCH = "console_branch"


def current_branch(request) -> Branch:
    """The branch a console page works on: ?branch= (or a form's branch field), else the administrator's
    pick from the menu, else the user's own branch. An administrator's explicit choice becomes the pick."""
    user = request.user
    code = request.GET.get("branch") or request.POST.get("branch")
    if user.is_admin_role:
        if code:
            branch = branch_for(user, code)
            request.session[PICKED_BRANCH] = branch.code
            return branch
        return picked_branch(request)
    return branch_for(user, code)


def picked_branch(request) -> Branch:
    """The administrator's current branch; the first branch until they pick one."""
    picked = Branch.objects.filter(code=request.session.get(PICKED_BRANCH) or "").first()
    if picked is None:
        picked = Branch.objects.order_by("name").first()
    if picked is None:
        raise Http404
    return picked
