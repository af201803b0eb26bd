"""Finance console: batches, bank files, result import, reconciliation, withholding slips.

Views only read through payments.queries and change state only through payments.actions.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts.access import branch_for
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions, queries
from lapakasik.payments.models import PAYMENT_VIEWER_ROLES, BankResultImport, PaymentBatch, ResultFormat
from lapakasik.payments.slips import slip_pdf

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
    return branch_for(request.user, request.GET.get("branch") or request.POST.get("branch"))


@finance_required
def home(request):
    branch = _branch(request)
    context = {
        "branch": branch,
        "ready": queries.ready_by_bank(branch),
        "awaiting_account": queries.awaiting_new_account(branch)[:50],
        "batches": PaymentBatch.objects.visible_to(request.user).filter(branch=branch)[:30],
        "imports": BankResultImport.objects.filter(branch=branch)[:10],
        "formats": ResultFormat.choices,
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
    context = {"batch": batch, "payments": payments, "lines": queries.lines_total(batch),
               "events": batch.events.select_related("actor").filter(payment__isnull=True)}  # fmt: skip
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
            actions.mark_batch_sent(batch, by=request.user)
            messages.success(request, _("Batch ditandai terkirim. Unduh berkas transfer dan unggah ke bank."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("console:payments:batch", number=batch.number)


@finance_required
def batch_file(request, number: str):
    batch = queries.batch_for(request.user, number)
    if batch.status not in ("sent", "reconciled"):
        raise Http404
    response = HttpResponse(actions.transfer_file(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.csv"'
    return response


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
        messages.error(request, str(error.message))
        return redirect("console:payments:home")
    return redirect("console:payments:result", pk=result.pk)


@finance_required
def result_detail(request, pk: int):
    result = queries.result_import_for(request.user, pk)
    context = {"result": result, "issues": result.issues.select_related("payment")}
    return render(request, "console/payments/result.html", context)


def _date(request, name: str, default: dt.date, errors: list[str]) -> dt.date:
    raw = request.GET.get(name, "")
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        errors.append(_("Tanggal '%(value)s' tidak sah; gunakan TTTT-BB-HH.") % {"value": raw})
        return default


class _Echo:
    def write(self, value):
        return value


@finance_required
def reconciliation(request):
    branch = _branch(request)
    errors: list[str] = []
    today = today_at(branch.time_zone)
    date_from = _date(request, "from", today - dt.timedelta(days=30), errors)
    date_to = _date(request, "to", today + dt.timedelta(days=7), errors)
    rows = queries.reconciliation(branch, date_from, date_to)
    if request.GET.get("format") == "csv" and not errors:
        return _reconciliation_csv(rows, branch, date_from, date_to)
    context = {"branch": branch, "rows": rows, "days": queries.reconciliation_by_day(rows), "errors": errors,
               "date_from": date_from, "date_to": date_to}  # fmt: skip
    return render(request, "console/payments/reconciliation.html", context, status=400 if errors else 200)


RECONCILIATION_COLUMNS = ("batch", "bank", "value_date", "status", "sent_count", "sent_amount", "paid_count",
                          "paid_amount", "failed_count", "failed_amount", "open_count", "open_amount")  # fmt: skip


def _reconciliation_csv(rows, branch, date_from, date_to):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(RECONCILIATION_COLUMNS)
        for r in rows:
            yield writer.writerow([r.number, r.bank, r.value_date.isoformat(), r.status, r.sent_count, r.sent_amount,
                                   r.paid_count, r.paid_amount, r.failed_count, r.failed_amount, r.open_count,
                                   r.open_amount])  # fmt: skip

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
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bukti-potong-{payment.reference}.pdf"'
    return response
