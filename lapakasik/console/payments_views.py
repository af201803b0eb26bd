"""Finance console: batches, bank files, result import, reconciliation, withholding slips.

Views only read through payments.queries and change state only through payments.actions.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import current_branch
from lapakasik.lib import params
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.lib.spreadsheets import CsvWriter
from lapakasik.payments import actions, bankfiles, queries
from lapakasik.payments.lifecycle import FINANCE, PaymentAction
from lapakasik.payments.models import (
    PAYMENT_VIEWER_ROLES,
    BankResultImport,
    BatchStatus,
    PaymentBatch,
    ResultFormat,
)
from lapakasik.payments.slips import slip_pdf
from lapakasik.security.actions import record_download
from lapakasik.security.models import DownloadKind, DownloadRecord
from lapakasik.security.uploads import upload_limits

MAX_RESULT_FILE = 10 * 1024 * 1024


def finance_required(view):
    """Finance and the branch head (read-only by the actions' own checks) and admins; others get 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.role in PAYMENT_VIEWER_ROLES or user.is_admin_role):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _branch(request):
    return current_branch(request)


@finance_required
def home(request):
    branch = _branch(request)
    context = {
        "branch": branch,
        "ready": queries.ready_by_bank(branch),
        "awaiting_account": queries.awaiting_new_account(branch)[:50],
        "not_ready": queries.approved_not_ready(branch),
        "batches": PaymentBatch.objects.visible_to(request.user).filter(branch=branch)[:30],
        "imports": BankResultImport.objects.filter(branch=branch)[:10],
        "formats": ResultFormat.choices,
        "acts": request.user.role in FINANCE or request.user.is_admin_role,  # the branch head only reads
    }
    return render(request, "console/payments/home.html", context)


@require_POST
@finance_required
def prepare(request):
    branch = _branch(request)
    try:
        batch = actions.prepare_batch(branch, request.POST.get("bank", ""), by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("console:payments:home")
    messages.success(request, _("Batch %(number)s disiapkan.") % {"number": batch.number})
    return redirect("console:payments:batch", number=batch.number)


@finance_required
def batch_detail(request, number: str):
    batch = queries.batch_for(request.user, number)
    if request.method == "POST":
        return _batch_action(request, batch)
    payments = batch.payments.select_related("claim").order_by("id")
    context = {
        "batch": batch,
        "payments": payments,
        "offered": actions.offered_moves(batch, request.user),
        "totals_disagree": queries.totals_disagree(batch),
        "downloaded": _transfer_file_downloaded(batch),
        "events": _labelled(batch.events.select_related("actor").filter(payment__isnull=True)),
    }
    return render(request, "console/payments/batch.html", context)


def _batch_action(request, batch: PaymentBatch):
    action = request.POST.get("action")
    try:
        if action == "approve":
            actions.approve_batch(batch, by=request.user)
            messages.success(request, _("Batch disetujui."))
        elif action == "reject":
            actions.reject_batch(batch, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Batch dibatalkan; klaimnya siap dibayar kembali."))
        elif action == "send":
            _send(request, batch)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("console:payments:batch", number=batch.number)


def _labelled(events):
    """Each event with the name of its action in the reader's language (codes are for the audit)."""
    labels = dict(PaymentAction.choices)
    for event in events:
        event.label = labels.get(event.action, event.action)
        yield event


def _transfer_file_downloaded(batch: PaymentBatch) -> bool:
    """Someone took this batch's transfer file since its approval (the file is the same bytes each time)."""
    if batch.approved_at is None:
        return False
    return DownloadRecord.objects.filter(
        kind=DownloadKind.TRANSFER_FILE, subject=batch.number, at__gte=batch.approved_at
    ).exists()


def _send(request, batch: PaymentBatch) -> None:
    """Marked sent only after the file was downloaded: the officer uploads to the bank what they hold."""
    if batch.status == BatchStatus.APPROVED and not _transfer_file_downloaded(batch):
        messages.error(request, _("Unduh berkas transfer dahulu, unggah ke bank, lalu tandai terkirim."))
        return
    actions.mark_batch_sent(batch, by=request.user)
    messages.success(request, _("Batch ditandai terkirim ke bank."))


@finance_required
def batch_file(request, number: str):
    batch = queries.batch_for(request.user, number)
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.SENT, BatchStatus.RECONCILED):
        raise Http404
    record_download(
        request.user,
        DownloadKind.TRANSFER_FILE,
        batch.number,
        branch=batch.branch,
        file_format="csv",
        identifiers=True,
    )
    response = HttpResponse(actions.transfer_file(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.csv"'
    return response


@upload_limits(file=MAX_RESULT_FILE)
@require_POST
@finance_required
def import_result(request):
    branch = _branch(request)
    upload = request.FILES.get("file")
    file_format = request.POST.get("format", "csv")
    try:
        if upload is None or upload.size > MAX_RESULT_FILE or file_format not in ResultFormat.values:
            raise DomainError(
                "bad_result_file", _("Pilih berkas hasil bank (CSV atau MT940, paling besar 10 MB).")
            )
        result = actions.import_bank_result(
            branch, content=upload.read(), file_name=upload.name, file_format=file_format, by=request.user
        )
    except DomainError as error:
        _report_file_problems(request, error, upload, file_format)
        return redirect("console:payments:home")
    return redirect("console:payments:result", pk=result.pk)


def _report_file_problems(request, error: DomainError, upload, file_format: str) -> None:
    """A malformed file: every problem at once, one line each (the import's own message names the first
    few), so the officer corrects the file in one go."""
    readable = upload is not None and upload.size <= MAX_RESULT_FILE and file_format in ResultFormat.values
    problems: tuple[bankfiles.LineError, ...] = ()
    if error.code == "bad_result_file" and readable:
        upload.seek(0)
        problems = bankfiles.parse_result(upload.read(), file_format).errors
    if not problems:
        messages.error(request, str(error.message))
        return
    messages.error(
        request,
        ngettext(
            "Berkas hasil bank tidak diimpor (%(n)s masalah); tidak ada yang diterapkan:",
            "Berkas hasil bank tidak diimpor (%(n)s masalah); tidak ada yang diterapkan:",
            len(problems),
        )
        % {"n": len(problems)},
    )
    for problem in problems:
        messages.error(request, problem.text(_), extra_tags="problem")


@finance_required
def result_detail(request, pk: int):
    result = queries.result_import_for(request.user, pk)
    only_flagged = request.GET.get("tampil") == "ditandai"
    rows = queries.result_rows(result)
    context = {
        "result": result,
        "rows": [row for row in rows if row.flagged] if only_flagged else rows,
        "only_flagged": only_flagged,
        "poll": result.is_working,
    }
    return render(request, "console/payments/result.html", context)


@finance_required
def result_progress(request, pk: int):
    """The progress section alone, polled while the worker applies the file (htmx)."""
    result = queries.result_import_for(request.user, pk)
    response = render(
        request, "console/payments/_result_progress.html", {"result": result, "poll": result.is_working}
    )
    if not result.is_working:
        response["HX-Refresh"] = "true"  # applied: reload to show the counts and the flagged lines
    return response


def _date(request, name: str, default: dt.date, errors: list[str]) -> dt.date:
    try:
        return params.day(request.GET.get(name), name) or default
    except params.InvalidParameter as error:
        errors.append(str(error.message))
        return default


@finance_required
def reconciliation(request):
    branch = _branch(request)
    errors: list[str] = []
    today = today_at(branch.time_zone)
    date_from = _date(request, "from", today - dt.timedelta(days=30), errors)
    date_to = _date(request, "to", today + dt.timedelta(days=7), errors)
    rows = queries.reconciliation(branch, date_from, date_to)
    if request.GET.get("format") == "csv" and not errors:
        record_download(
            request.user,
            DownloadKind.RECONCILIATION,
            f"{date_from} – {date_to}",
            branch=branch,
            file_format="csv",
        )
        return _reconciliation_csv(rows, branch, date_from, date_to)
    context = {
        "branch": branch,
        "rows": rows,
        "days": queries.reconciliation_by_day(rows),
        "errors": errors,
        "date_from": date_from,
        "date_to": date_to,
    }
    return render(request, "console/payments/reconciliation.html", context, status=400 if errors else 200)


RECONCILIATION_COLUMNS = (
    "batch",
    "bank",
    "value_date",
    "status",
    "sent_count",
    "sent_amount",
    "paid_count",
    "paid_amount",
    "failed_count",
    "failed_amount",
    "open_count",
    "open_amount",
)


def _reconciliation_csv(rows, branch, date_from, date_to):
    writer = CsvWriter()

    def lines():
        yield writer.writerow(RECONCILIATION_COLUMNS)
        for r in rows:
            yield writer.writerow(
                [
                    r.number,
                    r.bank,
                    r.value_date.isoformat(),
                    r.status,
                    r.sent_count,
                    r.sent_amount,
                    r.paid_count,
                    r.paid_amount,
                    r.failed_count,
                    r.failed_amount,
                    r.open_count,
                    r.open_amount,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"rekonsiliasi-{branch.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@finance_required
def slip(request, reference: str):
    payment = queries.payment_for(request.user, reference)
    try:
        content = slip_pdf(payment)
    except DomainError:
        raise Http404
    record_download(
        request.user,
        DownloadKind.TAX_SLIP,
        payment.reference,
        branch=payment.batch.branch,
        file_format="pdf",
        identifiers=True,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bukti-potong-{payment.reference}.pdf"'
    return response
