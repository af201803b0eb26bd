"""Officer and supervisor consoles for live claims: work queue, claim page with decisions, supervisor view.

Staff of the claim's branch only (claims.queries / Claim.objects.visible_to); every decision is a
claims action, so the console cannot decide differently from the API.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lapakasik.accounts import actions as account_actions
from lapakasik.accounts.access import current_branch, staff_required
from lapakasik.accounts.models import SavedView
from lapakasik.claims import actions, lifecycle, sla
from lapakasik.claims.cases import assess_claim
from lapakasik.claims.checks import recompute_findings
from lapakasik.claims.lifecycle import can_move
from lapakasik.claims.models import Channel, Claim, ClaimAction, FindingLevel, PayoutAccount, Program, Status
from lapakasik.claims.queries import (
    QUEUE_SORTS,
    QUEUE_STATUSES,
    QueueFilter,
    age_in_working_days,
    annotate_queue_rows,
    approvals_for_supervisor,
    check_queue_filter,
    decisions_by_officer,
    get_claim_for,
    queue_counts,
    read_queue_filter,
    search_condition,
    work_queue,
)
from lapakasik.lib import params
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.payments.queries import next_instalment_of
from lapakasik.portal.templatetags.lapak import long_date
from lapakasik.reporting.lines import instalments_paid, paid_lines
from lapakasik.security.uploads import refused_uploads, upload_limits

QUEUE_PAGE_SIZE = 50
QUEUE_PARAMS = ("q", "status", "program", "channel", "age", "area", "paid_from", "paid_to", "sla", "sort")
QUEUE_PAGE = "claims_queue"  # the saved views' page name


def _drill_down(f: QueueFilter, branch) -> list[str]:
    """The dashboard's filters in words, shown above the list so it is clear which claims it holds."""
    shown = []
    if f.area:
        shown.append(_("Wilayah: %(area)s") % {"area": branch.areas.get(pk=f.area).name})
    if f.paid_from or f.paid_to:
        shown.append(
            _("Dibayar: %(from)s – %(to)s")
            % {
                "from": long_date(f.paid_from) if f.paid_from else "…",
                "to": long_date(f.paid_to) if f.paid_to else "…",
            }
        )
    if f.sla:
        shown.append(_("Berisiko SLA atau melewati tenggat hari ini"))
    return shown


def _paid_in_period(user, branch, f: QueueFilter, search, claims: list[Claim]) -> tuple[int, int] | None:
    """For a paid period (the dashboard's drill-down): (payments, rupiah) of the whole list as the dashboard
    counts them — a JKP claim once per monthly payment in the period — and, on each JKP row of the page,
    ``paid_instalments``: which of its monthly payments fall in the period. None without a paid period."""
    if not (f.paid_from or f.paid_to):
        return None
    months = instalments_paid([c.pk for c in claims], f.paid_from, f.paid_to)
    for claim in claims:
        claim.paid_instalments = months.get(claim.pk, [])  # type: ignore[attr-defined]
    listed = work_queue(user, branch, f, search).values("id")
    return paid_lines(f.paid_from, f.paid_to, id__in=listed).totals()


def _query(f: QueueFilter, **changes: Any) -> str:
    """The query string of this list with ``changes`` (empty values and the default sort left out)."""
    values = {key: getattr(f, key) for key in QUEUE_PARAMS} | changes
    if values.get("sort") == "submitted":
        values.pop("sort")
    if values.get("page") == 1:
        values.pop("page")
    return urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _page_number(raw: str | None, pages: int, notes: list[str]) -> int:
    number = params.object_id(raw, "page") or 1
    if number > pages:
        notes.append(
            _("Halaman %(asked)d tidak ada; ditampilkan halaman %(last)d.") % {"asked": number, "last": pages}
        )
        return pages
    return number


def _sort_links(f: QueueFilter) -> dict[str, dict[str, str]]:
    """Per column: the link that sorts by it (ascending first, then the other way) and the current order."""
    links = {}
    for key in QUEUE_SORTS:
        current = "asc" if f.sort == key else "desc" if f.sort == f"-{key}" else ""
        target = f"-{key}" if current == "asc" else key
        links[key] = {"url": "?" + _query(f, sort=target), "current": current}
    return links


@staff_required
def queue(request):
    branch = current_branch(request)
    f = read_queue_filter(request.GET)
    check_queue_filter(f, branch)
    notes: list[str] = []
    search = search_condition(f.q) if f.q else None
    if search is not None and search.note:
        notes.append(search.note)
    paginator = Paginator(work_queue(request.user, branch, f, search), QUEUE_PAGE_SIZE)
    page = paginator.page(_page_number(request.GET.get("page"), paginator.num_pages, notes))
    claims = list(page.object_list)
    annotate_queue_rows(claims, branch)
    paid = _paid_in_period(request.user, branch, f, search, claims)
    context = {
        "paid_lines": paid,
        "branch": branch,
        "claims": claims,
        "page": page,
        "page_links": [
            (n, "?" + _query(f, page=n) if isinstance(n, int) else "")
            for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ],
        "previous_url": "?" + _query(f, page=page.previous_page_number()) if page.has_previous() else "",
        "next_url": "?" + _query(f, page=page.next_page_number()) if page.has_next() else "",
        "filter": f,
        "drill_down": _drill_down(f, branch),
        "query": _query(f),
        "counts": queue_counts(request.user, branch, f, search),
        "sorts": _sort_links(f),
        "sort_columns": [
            ("number", _("Nomor")),
            ("name", _("Peserta")),
            ("program", _("Program")),
            ("channel", _("Kanal")),
            ("status", _("Status")),
            ("submitted", _("Hari kerja")),
            ("amount", _("Perkiraan")),
        ],
        "notes": notes,
        "programs": Program.choices,
        "channels": Channel.choices,
        "statuses": Status.choices,
        "queue_statuses": QUEUE_STATUSES,
        "saved_views": SavedView.objects.filter(user=request.user, page=QUEUE_PAGE),
        "takes_next": request.user.role in actions.VERIFYING_ROLES or request.user.is_admin_role,
    }
    return render(request, "console/claims/queue.html", context)


def _back_to_queue(query: str = ""):
    return redirect(reverse("console:claims_queue") + (f"?{query}" if query else ""))


def _clean_query(raw: str | None) -> str:
    """A list's query string as the queue reads it (known parameters only, no page): a saved or returned-to
    list can hold nothing the queue would refuse."""
    pairs = dict(parse_qsl(params.text(raw, "query", max_length=500), keep_blank_values=False))
    return _query(read_queue_filter({k: v for k, v in pairs.items() if k in QUEUE_PARAMS}))


@staff_required
@require_POST
def next_claim(request):
    """The officer's "Klaim berikutnya": take the oldest unbooked submitted claim into verification."""
    branch = current_branch(request)
    try:
        claim = actions.take_next_claim(branch, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back_to_queue()
    if claim is None:
        messages.info(request, _("Tidak ada klaim yang menunggu verifikasi tanpa jadwal sesi."))
        return _back_to_queue()
    messages.success(request, _("Klaim %(number)s sekarang Anda verifikasi.") % {"number": claim.number})
    return redirect("console:claim", number=claim.number)


@staff_required
@require_POST
def bulk_start(request):
    """ "Mulai verifikasi" for the claims ticked in the queue (claims.actions.start_verification_of_selected)."""
    back = _clean_query(request.POST.get("back"))
    numbers = [params.text(n, "claim", max_length=20) for n in request.POST.getlist("claim")]
    if not numbers:
        messages.error(request, _("Pilih klaim yang akan dimulai verifikasinya."))
        return _back_to_queue(back)
    found = {c.number: c for c in Claim.objects.visible_to(request.user).filter(number__in=numbers)}
    unknown = {n: str(_("tidak ditemukan")) for n in numbers if n not in found}
    try:
        started, refused = actions.start_verification_of_selected(list(found.values()), by=request.user)
    except DomainError as exc:
        messages.error(request, _("Tidak ada yang dimulai: %(why)s") % {"why": exc.message})
        return _back_to_queue(back)
    if started:
        messages.success(
            request,
            ngettext(
                "Verifikasi %(n)d klaim dimulai: %(list)s.",
                "Verifikasi %(n)d klaim dimulai: %(list)s.",
                len(started),
            )
            % {"n": len(started), "list": ", ".join(c.number for c in started)},
        )
    for number, why in {**unknown, **refused}.items():
        messages.error(request, _("%(number)s tidak dimulai: %(why)s") % {"number": number, "why": why})
    return _back_to_queue(back)


@staff_required
@require_POST
def save_view(request):
    query = _clean_query(request.POST.get("query"))
    try:
        view = account_actions.save_view(
            request.user, page=QUEUE_PAGE, name=params.text(request.POST.get("name"), "name"), query=query
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back_to_queue(query)
    messages.success(request, _("Tampilan “%(name)s” tersimpan.") % {"name": view.name})
    return _back_to_queue(query)


@staff_required
@require_POST
def delete_view(request, pk: int):
    try:
        account_actions.delete_view(request.user, pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Tampilan dihapus."))
    return _back_to_queue()


def _claim_for_staff(request, number: str):
    claim = get_claim_for(request.user, number)
    if not (request.user.is_branch_staff or request.user.is_admin_role):
        raise Http404
    return claim


def _offered(claim, user) -> dict[str, bool]:
    """Decision buttons only for those the moves allow: the role, four eyes, the supervisor threshold."""
    admin = user.is_admin_role
    verifies = admin or user.role in actions.VERIFYING_ROLES
    can = {s: can_move(claim, s) and verifies for s in Status.values}
    approves = lifecycle.four_eyes_refusal(claim, user) is None and (
        admin
        or (
            user.role in actions.APPROVING_ROLES
            and (
                (claim.amount_claimed or 0) <= actions.supervisor_threshold()
                or user.role in actions.SUPERVISING_ROLES
            )
        )
    )
    can[Status.APPROVED] = can_move(claim, Status.APPROVED) and approves
    return can


@staff_required
def claim_page(request, number: str, error: str = "", status: int = 200):
    claim = _claim_for_staff(request, number)
    # Failed first, then warnings, then passes: what needs a decision is at the top.
    findings = sorted(claim.findings.all(), key=lambda f: (FINDING_ORDER.get(f.level, 9), f.id))
    recorded = lifecycle.recorded_overrides(claim)
    overrides = {f.code: recorded[(f.code, f.message)] for f in findings if (f.code, f.message) in recorded}
    context = {
        "claim": claim,
        "participant": claim.participant,
        "findings": findings,
        "documents": claim.documents.select_related("uploaded_by"),
        "account": (account := PayoutAccount.objects.filter(claim=claim).first()),
        "assessment": assess_claim(claim),
        "events": claim.events.select_related("actor"),
        "age": age_in_working_days(claim),
        "rejection_codes": actions.REJECTION_CODES.items(),
        "can": _offered(claim, request.user),
        "needs_supervisor": (claim.amount_claimed or 0) > actions.supervisor_threshold(),
        "overrides": overrides,
        "failing": (failing := [f for f in findings if f.level == FindingLevel.FAIL]),
        "failing_evidence": [{"finding": f, "evidence": _evidence(f, claim, account)} for f in failing],
        "threshold": actions.supervisor_threshold(),
        "unresolved": [f for f in failing if f.code not in overrides],
        "desk_documents": claim.status in lifecycle.CLAIM_DOCUMENT.move(ClaimAction.DOCUMENT_ADDED).sources,
        "desk_account": claim.status in actions.STAFF_MAY_ENTER_ACCOUNT,
        "can_resubmit": claim.channel == Channel.OFFLINE and can_move(claim, Status.SUBMITTED),
        "banks": actions.BANKS,
        "wage_form": actions.may_record_jkp_wage(claim, request.user),
        "next_instalment": next_instalment_of(claim),
        "holder_name": claim.heir.full_name if claim.heir else claim.participant.full_name,
        "error": error,
    }
    return render(request, "console/claims/claim.html", context, status=status)


FINDING_ORDER = {FindingLevel.FAIL: 0, FindingLevel.WARN: 1, FindingLevel.PASS: 2}
_NUMBER_IN_TEXT = re.compile(r"KLM-[A-Z0-9]{10}")


def _evidence(finding, claim, account) -> list[dict[str, Any]]:
    """What an officer looks at to judge a failed finding, beside it: the fact it was computed from and a
    link to where it can be checked (the e-KTP data, the documents, the estimate, the other claim)."""
    person = claim.participant
    url = reverse("console:claim", args=[claim.number])
    items: list[dict[str, Any]] = []
    if finding.code in ("nik_format", "registry_match", "deceased"):
        items.append({"label": _("NIK"), "value": person.nik})
        items.append({"label": _("Tanggal lahir"), "value": long_date(person.birth_date)})
        if claim.heir:
            items.append({"label": _("NIK ahli waris"), "value": claim.heir.nik})
        if person.deceased_on:
            items.append({"label": _("Meninggal"), "value": long_date(person.deceased_on)})
    elif finding.code == "eligibility":
        items.append(
            {"label": _("Perkiraan dan dasarnya"), "value": _("lihat rincian"), "url": f"{url}#perkiraan"}
        )
    elif finding.code == "bank_account" and account is not None:
        value = f"{account.bank_code} …{account.account_number[-4:]} a.n. {account.holder_name}"
        items.append({"label": _("Rekening"), "value": value})
        items.append({"label": _("Kemiripan nama"), "value": f"{account.name_match}%"})
    elif finding.code in ("documents", "document_reused", "npwp"):
        count = claim.documents.count()
        value = ngettext("%(n)d dokumen terunggah", "%(n)d dokumen terunggah", count) % {"n": count}
        items.append({"label": _("Dokumen"), "value": value, "url": f"{url}#dokumen"})
    for number in dict.fromkeys(_NUMBER_IN_TEXT.findall(finding.message)):
        if number != claim.number:
            items.append(
                {
                    "label": _("Klaim lain"),
                    "value": number,
                    "url": reverse("console:claim", args=[number]),
                    "new_tab": True,
                }
            )
    return items


@staff_required
@require_POST
def decide(request, number: str):
    claim = _claim_for_staff(request, number)
    decision = request.POST.get("decision", "")
    if decision == "recheck":
        recompute_findings(claim)
        return redirect("console:claim", number=number)
    try:
        actions.decide(
            claim,
            by=request.user,
            decision=decision,
            note=request.POST.get("note", ""),
            code=request.POST.get("code", ""),
            # The status the officer saw: a decision taken on a page that is out of date loses (409).
            expect=request.POST.get("seen_status") or None,
            overrides=_overrides(request.POST),
        )
    except DomainError as exc:
        return claim_page(request, number, error=str(exc.message), status=_status(exc))
    messages.success(request, _("Keputusan tersimpan."))
    return redirect("console:claim", number=number)


@staff_required
@require_POST
def override(request, number: str):
    """One failing finding's written reason, recorded from the decision panel (claims.actions.override_finding)."""
    claim = _claim_for_staff(request, number)
    try:
        actions.override_finding(
            claim,
            by=request.user,
            code=params.text(request.POST.get("code"), "code", max_length=40),
            reason=request.POST.get("reason", ""),
            expect=request.POST.get("seen_status") or None,
        )
    except DomainError as exc:
        return claim_page(request, number, error=str(exc.message), status=_status(exc))
    messages.success(request, _("Alasan tercatat; temuan ini tidak lagi menghalangi keputusan."))
    return redirect("console:claim", number=number)


@upload_limits(shows_refusals=True)
@staff_required
@require_POST
def desk_document(request, number: str):
    """A document handed in at the counter, scanned by the officer: the portal's checks (claims.actions)."""
    claim = _claim_for_staff(request, number)
    refused = refused_uploads(request)
    upload = request.FILES.get("file")
    if refused or upload is None:
        error = next(iter(refused.values()), _("Pilih berkas dokumen."))
        return claim_page(request, number, error=f"{_('Berkas')}: {error}", status=400)
    try:
        actions.add_document(claim, by=request.user, kind=request.POST.get("kind", ""), upload=upload)
    except DomainError as exc:
        return claim_page(request, number, error=str(exc.message), status=_status(exc))
    messages.success(request, _("Dokumen dari loket tersimpan."))
    return redirect("console:claim", number=number)


@staff_required
@require_POST
def desk_account(request, number: str):
    """The counter claimant's bank account, recorded by the officer (after approval: sent back for a recheck)."""
    claim = _claim_for_staff(request, number)
    try:
        actions.save_payout_account(
            claim,
            by=request.user,
            bank_code=request.POST.get("bank_code", ""),
            account_number=request.POST.get("account_number", ""),
            holder_name=request.POST.get("holder_name", ""),
        )
    except DomainError as exc:
        return claim_page(request, number, error=str(exc.message), status=_status(exc))
    messages.success(request, _("Rekening tersimpan."))
    return redirect("console:claim", number=number)


@staff_required
@require_POST
def jkp_wage(request, number: str):
    """JKP: the last wage the employer reported, from a document, where the registry has none."""
    claim = _claim_for_staff(request, number)
    try:
        actions.record_jkp_wage(
            claim,
            by=request.user,
            wage=request.POST.get("wage", ""),
            source=request.POST.get("source", ""),
            expect=request.POST.get("seen_status") or None,
        )
    except DomainError as exc:
        return claim_page(request, number, error=str(exc.message), status=_status(exc))
    messages.success(request, _("Upah JKP tercatat; manfaat dihitung ulang."))
    return redirect("console:claim", number=number)


def _status(exc: DomainError) -> int:
    return exc.status if exc.status != 404 else 400


def _overrides(post) -> dict[str, str]:
    """``override_<finding code>`` fields: the officer's written reason to go ahead over a failing finding."""
    return {
        key.removeprefix("override_"): value for key, value in post.items() if key.startswith("override_")
    }


def _date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@staff_required
def supervisor(request):
    branch = current_branch(request)
    if not (request.user.role in actions.SUPERVISING_ROLES or request.user.is_admin_role):
        raise Http404
    since = today_at(branch.time_zone) - dt.timedelta(days=30)
    waiting = approvals_for_supervisor(request.user, branch, actions.supervisor_threshold())
    report = sla.branch_report(branch)  # every open claim's clock, the waiting ones included
    rows = {row["number"]: {**row, "due_on": _date_or_none(row["due_on"])} for row in report["claims"]}
    for claim in waiting:
        claim.clock = rows.get(claim.number)
    context = {
        "branch": branch,
        "waiting": waiting,
        "above_threshold": sum(1 for c in waiting if c.above_threshold),
        "threshold": actions.supervisor_threshold(),
        # Broken and at-risk promises first (claims/sla.py), whatever step the claim is at.
        "sla_rows": [
            row for row in rows.values() if row["state"] in (sla.SlaState.BREACHED, sla.SlaState.AT_RISK)
        ],
        "sla_summary": report["summary"],
        "by_officer": decisions_by_officer(request.user, branch, since),
        "since": since,
    }
    return render(request, "console/claims/supervisor.html", context)
