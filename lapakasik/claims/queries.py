"""Reads of live claims for the portal, the console and the API — always through ``visible_to``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lapakasik.lib import params
from lapakasik.lib.dates import at_local, today_at
from lapakasik.lib.workdays import add_working_days, last_working_day, working_days_between
from lapakasik.reporting.lines import with_a_line

from .models import OPEN_STATUSES, Channel, Claim, ClaimDocument, Program, Status
from .sla import clocks_for

OVERDUE_WORKING_DAYS = 5
QUEUE_STATUSES = [Status.SUBMITTED, Status.IN_VERIFICATION, Status.RETURNED_FOR_DOCUMENTS, Status.VERIFIED]


def get_claim_for(user, number: str) -> Claim:
    """The claim with this number if ``user`` may see it; otherwise 404 (never 403: nothing to probe)."""
    claim = (
        Claim.objects.visible_to(user)
        .select_related("participant", "heir", "branch", "claimant", "verified_by", "approved_by")
        .filter(number=number)
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def get_document_for(user, number: str, document_id: int) -> ClaimDocument:
    claim = get_claim_for(user, number)
    document = ClaimDocument.objects.filter(claim=claim, pk=document_id).first()
    if document is None:
        raise Http404
    return document


def overdue_since(today: dt.date, working_days: int = OVERDUE_WORKING_DAYS) -> dt.date:
    """Claims submitted before this date have waited more than ``working_days`` working days (their age as
    the service-level clock counts it: working days after the submission day up to today)."""
    return add_working_days(last_working_day(today), -working_days)


# The queue's sort keys (``?sort=``, "-" for descending) and the columns they order by; the id breaks ties
# so that paging never shows a claim twice or skips one.
QUEUE_SORTS = {
    "submitted": ("submitted_at", "id"),
    "number": ("number",),
    "name": ("participant__full_name", "id"),
    "program": ("program", "reason", "id"),
    "channel": ("channel", "id"),
    "status": ("status", "id"),
    "amount": ("amount_claimed", "id"),
}
NAME_SEARCH_MIN = 3  # shorter names match too much, and no index serves a two-letter "contains"
SEARCH_PEOPLE_LIMIT = 500  # people a search may match before it asks for a more precise one
_CLAIM_NUMBER = re.compile(r"KLM-?([A-Z0-9]{1,10})")


@dataclass(frozen=True)
class QueueFilter:
    q: str = ""
    program: str = ""
    status: str = ""  # "" = the open queue (or every status while searching) | a status | "all"
    channel: str = ""
    age: str = ""  # "" | "overdue"
    sort: str = "submitted"
    # The dashboard's drill-down: one service area, a paid-date period (a claim paid, or a JKP monthly payment
    # of it, in the period: reporting/lines.py), the claims at SLA risk today.
    area: int | None = None
    paid_from: dt.date | None = None
    paid_to: dt.date | None = None
    sla: str = ""  # "" | "risk" (at risk or breached, as claims.sla.branch_report has them)

    @property
    def statuses(self) -> list[str] | None:
        """The statuses shown; ``None`` for all of them."""
        if self.status == "all" or (self.status == "" and self.q):
            return None
        return [self.status] if self.status else list(QUEUE_STATUSES)


@dataclass(frozen=True)
class Search:
    """What ``?q=`` matched: a claim filter, and a note for the officer when the search was cut short."""

    condition: Q
    note: str = ""


def search_condition(q: str) -> Search:
    """Claim number (prefix), NIK or KPJ (exact, or a prefix of at least 4 digits), or a name (a word of it
    starting with the text, else anywhere; at least 3 letters): the participant's, or an heir's (who claims
    for a deceased participant: JKM, JHT, JP). People are looked up first on their own indexes (unique NIK
    and KPJ, the heir's NIK, a trigram index on each name on PostgreSQL) and the claims then by
    ``participant_id``/``heir_id``, so no search scans the claims table. The claims are then those of the
    queue's branch only (``_queue_base``): a name matching people of other branches shows none of theirs."""
    from lapakasik.registry.models import Heir, Participant

    text = " ".join(q.split())
    compact = text.replace(" ", "").replace(".", "").replace("-", "")
    if number := _CLAIM_NUMBER.fullmatch(text.upper().replace(" ", "")):
        return Search(Q(number__startswith="KLM-" + number.group(1)))
    if compact.isdigit():
        if len(compact) in (11, 16):  # a whole KPJ or NIK: exact, the unique index
            people = Participant.objects.filter(Q(nik=compact) | Q(kpj=compact))
            heirs = Heir.objects.filter(nik=compact)
        elif len(compact) >= 4:
            people = Participant.objects.filter(Q(nik__startswith=compact) | Q(kpj__startswith=compact))
            heirs = Heir.objects.filter(nik__startswith=compact)
        else:
            return Search(Q(pk__in=[]), str(_("Ketik minimal 4 angka NIK atau KPJ.")))
        return _by_people(people, heirs)
    if len(text) < NAME_SEARCH_MIN:
        return Search(Q(pk__in=[]), str(_("Ketik minimal 3 huruf untuk mencari nama.")))
    # A word of the name starting with the text ("agus" finds Agus Prasetyo and Budi Agus, not Bagus); only
    # when no name (participant's or heir's) has such a word, anywhere in a word. Both LIKE patterns are
    # served by the trigram indexes.
    word = Q(full_name__istartswith=text) | Q(full_name__icontains=" " + text)
    people, heirs = Participant.objects.filter(word), Heir.objects.filter(word)
    if people.exists() or heirs.exists():
        return _by_people(people, heirs)
    anywhere = Q(full_name__icontains=text)
    return _by_people(Participant.objects.filter(anywhere), Heir.objects.filter(anywhere))


def _by_people(people, heirs) -> Search:
    ids = list(people.order_by("full_name", "id").values_list("id", flat=True)[: SEARCH_PEOPLE_LIMIT + 1])
    heir_ids = list(heirs.order_by("full_name", "id").values_list("id", flat=True)[: SEARCH_PEOPLE_LIMIT + 1])
    note = ""
    if len(ids) > SEARCH_PEOPLE_LIMIT or len(heir_ids) > SEARCH_PEOPLE_LIMIT:
        ids, heir_ids = ids[:SEARCH_PEOPLE_LIMIT], heir_ids[:SEARCH_PEOPLE_LIMIT]
        note = str(
            _("Lebih dari %(n)d orang cocok: hanya klaim %(n)d orang pertama (menurut nama) yang ditampilkan. "
              "Perjelas pencarian.")
            % {"n": SEARCH_PEOPLE_LIMIT}
        )  # fmt: skip
    condition = Q(participant_id__in=ids)
    if heir_ids:
        condition |= Q(heir_id__in=heir_ids)
    return Search(condition, note)


def _queue_base(user, branch, f: QueueFilter, search: Search | None) -> QuerySet[Claim]:
    claims = Claim.objects.visible_to(user).filter(branch=branch)
    if f.area:
        claims = claims.filter(area_id=f.area)
    if f.paid_from or f.paid_to:
        # Paid in the period as the reports count it: the claim paid then, or a JKP monthly payment of it
        # (the claim may still be approved, waiting for its next month), so a dashboard cell lists its claims.
        claims = claims.filter(with_a_line(f.paid_from, f.paid_to))
    if f.sla == "risk":
        claims = claims.filter(number__in=at_sla_risk(branch))
    return claims.filter(search.condition) if search is not None else claims


def at_sla_risk(branch) -> list[str]:
    """Numbers of the branch's open claims at risk or breached today: the SLA report's own rows, so the list
    and the dashboard's tile count the same claims."""
    from .sla import SlaState, branch_report

    risky = (SlaState.AT_RISK, SlaState.BREACHED)
    return [row["number"] for row in branch_report(branch)["claims"] if row["state"] in risky]


def _filtered(claims: QuerySet[Claim], f: QueueFilter, branch, *, skip: str = "") -> QuerySet[Claim]:
    statuses = f.statuses
    if skip != "status" and statuses is not None:
        claims = claims.filter(status__in=statuses)
    if skip != "program" and f.program:
        claims = claims.filter(program=f.program)
    if skip != "channel" and f.channel:
        claims = claims.filter(channel=f.channel)
    if skip != "age" and f.age == "overdue":
        claims = claims.filter(overdue_condition(branch))
    return claims


def overdue_condition(branch) -> Q:
    """Open in the officers' hands and waiting more than ``OVERDUE_WORKING_DAYS`` working days."""
    return Q(status__in=QUEUE_STATUSES, submitted_on__lt=overdue_since(today_at(branch.time_zone)))


def read_queue_filter(get) -> QueueFilter:
    """The queue's parameters (a page's or the API's query string) through the strict helper: an unknown
    value is a 400 naming the field, the same in the console and the API."""
    sorts = [*QUEUE_SORTS, *(f"-{key}" for key in QUEUE_SORTS)]
    return QueueFilter(
        q=" ".join(params.text(get.get("q"), "q", max_length=100).split()),
        status=params.choice(get.get("status"), "status", [*Status.values, "all"]),
        program=params.choice(get.get("program"), "program", Program.values),
        channel=params.choice(get.get("channel"), "channel", Channel.values),
        age=params.choice(get.get("age"), "age", ["overdue"]),
        sort=params.choice(get.get("sort"), "sort", sorts, default="submitted"),
        area=params.object_id(get.get("area"), "area"),
        paid_from=params.day(get.get("paid_from"), "paid_from"),
        paid_to=params.day(get.get("paid_to"), "paid_to"),
        sla=params.choice(get.get("sla"), "sla", ["risk"]),
    )


def check_queue_filter(f: QueueFilter, branch) -> None:
    """An area of another branch would list nothing and look like an empty result: refuse it by name."""
    if f.area and not branch.areas.filter(pk=f.area).exists():
        raise params.InvalidParameter("area", _("area: wilayah ini bukan wilayah kantor cabang ini."))
    if f.paid_from and f.paid_to:
        params.period(f.paid_from, f.paid_to, start_field="paid_from", end_field="paid_to")


def work_queue(user, branch, f: QueueFilter, search: Search | None = None) -> QuerySet[Claim]:
    if search is None and f.q:
        search = search_condition(f.q)
    claims = _filtered(_queue_base(user, branch, f, search), f, branch)
    descending = f.sort.startswith("-")
    columns = QUEUE_SORTS.get(f.sort.removeprefix("-"), QUEUE_SORTS["submitted"])
    order = [f"-{c}" if descending else c for c in columns]
    return claims.select_related("participant", "heir", "verified_by").order_by(*order)


def queue_counts(user, branch, f: QueueFilter, search: Search | None = None) -> dict[str, Any]:
    """Counts beside each filter's choices, as Django admin's facets: each facet counted with the *other*
    filters applied (one grouped query per facet, on the branch's index)."""
    base = _queue_base(user, branch, f, search)

    def grouped(field: str) -> dict[str, int]:
        rows = _filtered(base, f, branch, skip=field).values(field).annotate(n=Count("id")).order_by()
        return {row[field]: row["n"] for row in rows}

    return {
        "status": grouped("status"),
        "program": grouped("program"),
        "channel": grouped("channel"),
        "overdue": _filtered(base, f, branch, skip="age").filter(overdue_condition(branch)).count(),
    }


def waiting_for_approval(user, branch) -> QuerySet[Claim]:
    return (
        Claim.objects.visible_to(user)
        .filter(branch=branch, status=Status.VERIFIED)
        .select_related("participant", "verified_by")
        .order_by("submitted_at")
    )


def approvals_for_supervisor(user, branch, threshold: int) -> list[Claim]:
    """The claims waiting for approval, those above the supervisor threshold first (largest first), each
    with ``above_threshold`` and ``failing``: its failed findings, each with ``override`` (the written
    reason's event, or ``None``). Three queries, whatever the number of claims."""
    from .models import ClaimAction, ClaimEvent, ClaimFinding, FindingLevel

    claims: list[Any] = list(
        waiting_for_approval(user, branch).prefetch_related(
            models.Prefetch(
                "findings",
                queryset=ClaimFinding.objects.filter(level=FindingLevel.FAIL).order_by("code"),
                to_attr="failing",
            )
        )
    )
    events = ClaimEvent.objects.filter(
        claim__in=[c.pk for c in claims], action=ClaimAction.FINDING_OVERRIDDEN
    ).select_related("actor")
    overrides = {(e.claim_id, e.data.get("code"), e.data.get("message")): e for e in events}
    for claim in claims:
        setattr(claim, "above_threshold", (claim.amount_claimed or 0) > threshold)  # noqa: B010
        for finding in claim.failing:  # type: ignore[attr-defined]
            setattr(finding, "override", overrides.get((claim.pk, finding.code, finding.message)))  # noqa: B010
    claims.sort(key=_larger_above_threshold_first)
    return list(claims)


def _larger_above_threshold_first(claim: Any) -> tuple[bool, int]:
    return (not claim.above_threshold, -(claim.amount_claimed or 0) if claim.above_threshold else 0)


def overdue_claims(user, branch) -> QuerySet[Claim]:
    return work_queue(user, branch, QueueFilter(age="overdue"))


def decisions_by_officer(user, branch, since: dt.date) -> list[Any]:
    """Per officer since ``since``: claims verified, returned, rejected and approved (from the audit trail)."""
    from .models import ClaimEvent

    events = ClaimEvent.objects.filter(
        claim__in=Claim.objects.visible_to(user).filter(branch=branch),
        # From midnight at the branch: `at__date` would cut the day at the server's zone (Jakarta), an
        # hour late for a WITA branch and two for WIT.
        at__gte=at_local(since, dt.time(0), branch.time_zone),
        action__in=["verified", "returned", "rejected", "approved"],
        actor__isnull=False,
    )
    rows = events.values("actor__username", "actor__first_name", "actor__last_name").annotate(
        verified=Count("id", filter=Q(action="verified")),
        returned=Count("id", filter=Q(action="returned")),
        rejected=Count("id", filter=Q(action="rejected")),
        approved=Count("id", filter=Q(action="approved")),
    )
    return list(rows.order_by("actor__username"))


def age_in_working_days(claim: Claim) -> int | None:
    if claim.submitted_on is None:
        return None
    return working_days_between(claim.submitted_on, today_at(claim.branch.time_zone))


# The queue's colour for each service-level state (claims/sla.py, the one clock): red, amber, plain.
QUEUE_SLA_COLOUR = {"breached": "late", "at_risk": "risk", "on_track": "ok"}


def annotate_queue_rows(claims: list[Claim], branch) -> None:
    """Each claim of a page gets ``age`` (working days since submission), ``sla`` and ``holder``: who has
    the claim now. Three queries for the whole page, whatever its size."""
    today = today_at(branch.time_zone)
    by_day: dict[dt.date, int] = {}
    holders = claim_holders(claims)
    for claim in claims:
        if claim.branch_id == branch.pk:
            claim.branch = branch  # the page's branch: no query per row for the clock's time zone
    # In the officers' hands only: a returned claim waits for its claimant, an approved one for finance.
    in_hand = [c for c in claims if c.status in QUEUE_STATUSES and c.status != Status.RETURNED_FOR_DOCUMENTS]
    clocks = clocks_for(in_hand, today=today)
    for claim in claims:
        age = None  # paid, rejected, cancelled: no clock runs any more
        if claim.submitted_on is not None and claim.status in OPEN_STATUSES:
            if claim.submitted_on not in by_day:
                by_day[claim.submitted_on] = working_days_between(claim.submitted_on, today)
            age = by_day[claim.submitted_on]
        setattr(claim, "age", age)  # noqa: B010 (a page's value, not a field)
        clock = clocks.get(claim.pk)
        setattr(claim, "sla", QUEUE_SLA_COLOUR.get(clock.state, "") if clock else "")  # noqa: B010
        setattr(claim, "holder", holders.get(claim.pk, ""))  # noqa: B010


def claim_holders(claims: list[Claim]) -> dict[int, str]:
    """Who holds each claim: the officer verifying it, the session officer it is booked with, the approver
    it waits for, the claimant it went back to, or finance."""
    from lapakasik.booking.models import ACTIVE, Booking  # booking builds on claims: imported on use

    from .models import ClaimAction, ClaimEvent

    ids = [c.pk for c in claims]
    starters: dict[int, Any] = {}
    started = ClaimEvent.objects.filter(claim_id__in=ids, action=ClaimAction.VERIFICATION_STARTED)
    for event in started.select_related("actor").order_by("at", "id"):
        starters[event.claim_id] = event.actor
    sessions: dict[int, Any] = {}
    bookings = Booking.objects.filter(claim_id__in=ids, status__in=ACTIVE).select_related("session__officer")
    for booking in bookings:
        sessions[booking.claim_id] = booking.session.officer
    holders = {}
    for claim in claims:
        holders[claim.pk] = _holder(claim, starters.get(claim.pk), sessions.get(claim.pk))
    return holders


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _holder(claim: Claim, starter, session_officer) -> str:
    if claim.status == Status.IN_VERIFICATION:
        return _name(starter or session_officer) or str(_("Petugas"))
    if claim.status == Status.SUBMITTED:
        if session_officer is not None:
            return str(_("Sesi %(name)s")) % {"name": _name(session_officer)}
        return str(_("Belum diambil"))
    if claim.status == Status.VERIFIED:
        return str(_("Menunggu persetujuan"))
    if claim.status in (Status.RETURNED_FOR_DOCUMENTS, Status.DRAFT):
        return str(_("Peserta"))
    if claim.status == Status.APPROVED:
        return str(_("Keuangan"))
    return ""


def next_claim_candidates(user, branch) -> QuerySet[Claim]:
    """What "Klaim berikutnya" takes: the branch's oldest submitted claims that no session has booked
    (a booked claim is verified in its session, with the person present)."""
    from lapakasik.booking.models import ACTIVE, Booking

    booked = Booking.objects.filter(claim=models.OuterRef("pk"), status__in=ACTIVE)
    return (
        Claim.objects.visible_to(user)
        .filter(branch=branch, status=Status.SUBMITTED)
        .filter(~models.Exists(booked))
        .order_by("submitted_at", "id")
    )
