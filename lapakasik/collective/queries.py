"""Reads that know who asks (ARCHITECTURE §3.4): the only way interfaces fetch mandates and lists."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from lapakasik.accounts.models import Role
from lapakasik.claims.models import Claim, Status

from .models import ListRow, Mandate, MassList, RowStatus


def _scope(queryset: QuerySet, user) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.is_admin_role:
        return queryset
    if user.is_branch_staff:
        return queryset.filter(employer__branch_id=user.branch_id)
    if user.role == Role.EMPLOYER_REP and user.employer_id:
        return queryset.filter(employer_id=user.employer_id)
    return queryset.none()


def lists_visible_to(user) -> QuerySet[MassList]:
    return _scope(MassList.objects.select_related("employer"), user)


def mandates_visible_to(user) -> QuerySet[Mandate]:
    return _scope(Mandate.objects.select_related("employer", "representative"), user)


def get_list_for(user, pk: int) -> MassList:
    """Another employer's (or another branch's) list does not exist for this user: 404, never 403."""
    mass_list = lists_visible_to(user).filter(pk=pk).first()
    if mass_list is None:
        raise Http404
    return mass_list


def get_mandate_for(user, pk: int) -> Mandate:
    mandate = mandates_visible_to(user).filter(pk=pk).first()
    if mandate is None:
        raise Http404
    return mandate


def claims_of(mass_list: MassList) -> QuerySet[Claim]:
    keys = ListRow.objects.filter(mass_list=mass_list, status=RowStatus.CLAIMED).values("claim_key")
    return Claim.objects.filter(import_key__in=keys)


def rows_with_claims(rows: list[ListRow]) -> list[tuple[ListRow, Claim | None]]:
    """A page of rows beside their claims: one query for the page, not one per row."""
    claims = Claim.objects.in_bulk([r.claim_key for r in rows if r.claim_key], field_name="import_key")
    return [(row, claims.get(row.claim_key)) for row in rows]


def status_counts(mass_list: MassList) -> dict[str, int]:
    from django.db.models import Count

    return dict(claims_of(mass_list).values("status").annotate(n=Count("id")).values_list("status", "n"))


def labelled_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(code, label in the reader's language, number), in the order a claim moves through the statuses."""
    return [
        (status.value, str(status.label), counts[status.value]) for status in Status if status.value in counts
    ]
