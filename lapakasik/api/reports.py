from __future__ import annotations

from django.http import Http404
from ninja import Field, Query, Router, Schema

from lapakasik.lib.errors import DomainError
from lapakasik.reporting.queries import claims_paid_report, get_branch

from .schemas import ERRORS, StrictDate

router = Router(tags=["reports"])


class Period(Schema):
    from_: str = Field(..., alias="from")
    to: str


class CellOut(Schema):
    program: str
    region: str
    cases: int
    amount: int


class ProgramTotalOut(Schema):
    program: str
    cases: int
    amount: int


class GrandTotalOut(Schema):
    cases: int
    amount: int


class ClaimsReportOut(Schema):
    branch: str
    period: Period
    rows: list[CellOut]
    totals: list[ProgramTotalOut]
    grand_total: GrandTotalOut


class ReportQuery(Schema):
    branch: str
    from_: StrictDate = Field(..., alias="from")
    to: StrictDate


@router.get("/claims", response={200: ClaimsReportOut, **ERRORS}, by_alias=True)
def claims_report(request, query: Query[ReportQuery]):
    """Claims paid by program × region with totals, for staff of that branch."""
    user = request.user
    try:
        branch = get_branch(query.branch)
    except DomainError:
        raise Http404
    if not user.can_see_branch(branch.id):
        raise Http404  # another branch's report does not exist for this user
    return claims_paid_report(branch, query.from_, query.to)
