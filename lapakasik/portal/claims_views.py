"""The participant's and heir's claim pages under /klaim/: identify, choose, documents, bank, submit, status.

Every state change goes through lapakasik.claims.actions; every claim is fetched through
claims.queries.get_claim_for (another person's claim or document is a 404).
"""

from __future__ import annotations

import re
from functools import wraps
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapakasik.accounts import throttle, verification
from lapakasik.claims import actions
from lapakasik.claims.cases import HEIR_CHOICES, PARTICIPANT_CHOICES, assess, assess_claim, home_branch
from lapakasik.claims.heirs import remembered_heir
from lapakasik.claims.identify import Identity, identify, may_act_for, register_claimant
from lapakasik.claims.lifecycle import can_move
from lapakasik.claims.models import Claim, PayoutAccount, Program, Reason, Status
from lapakasik.claims.notify import recipient as status_mail_recipient
from lapakasik.claims.queries import get_claim_for, get_document_for
from lapakasik.claims.tracking import tracking_for
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Heir, Participant
from lapakasik.security.actions import record_download
from lapakasik.security.models import DownloadKind
from lapakasik.security.uploads import refused_uploads, upload_limits

from .claim_tasks import checklist, from_check, ready_to_check, tasks_for
from .claims_forms import AccountForm, CancelForm, DocumentForm, IdentifyForm, PayoutAccountForm

# The session key holding a refused upload's errors between the POST and the page it redirects to.
REFUSED_UPLOAD = "claims_refused_upload"

SESSION_KEY = "intake_identity"
_CHOICE = re.compile(r"[A-Z]{2,3}:[a-z_0-9]{2,40}")


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def my_claims(request):
    claims = (
        Claim.objects.visible_to(request.user).filter(claimant=request.user)
        if request.user.is_authenticated
        else []
    )
    return render(request, "portal/claims/home.html", {"claims": claims})


def identify_view(request):
    anonymous = not request.user.is_authenticated
    form = IdentifyForm(request.POST or None)
    account = AccountForm(request.POST or None, prefix="account") if anonymous else None
    has_account = False
    if request.method == "POST" and form.is_valid() and (account is None or account.is_valid()):
        data = form.cleaned_data
        try:
            identity = identify(
                nik=data["nik"],
                kpj=data["kpj"],
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                heir_nik=data["heir_nik"],
                client=throttle.client_address(request),
            )
            if account is not None:
                user = register_claimant(
                    identity,
                    email=account.cleaned_data["email"],
                    phone=account.cleaned_data["phone"],
                    password=account.cleaned_data["password"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                verification.send(user, throttle.client_address(request))
            elif not may_act_for(request.user, identity):
                raise DomainError("identity_not_confirmed", _("Data ini bukan milik akun yang sedang masuk."))
        except DomainError as error:
            about_account = error.field in (account.fields if account is not None else ()) or (
                error.code == "participant_has_account"
            )
            _form_error(account if account is not None and about_account else form, error)
            has_account = error.code == "participant_has_account"
        else:
            request.session[SESSION_KEY] = {
                "participant": identity.participant.pk,
                "heir": identity.heir.pk if identity.heir else None,
            }
            return redirect(_with_choice("claims_choose", request))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "account": account, "has_account": has_account}
    return render(request, "portal/claims/identify.html", context, status=status)


def _with_choice(name: str, request) -> str:
    """``name``'s URL, keeping the ``choice`` the estimator's "Mulai klaim ini" came with (JHT:resign)."""
    choice = request.GET.get("choice") or ""
    if not _CHOICE.fullmatch(choice):
        return reverse(name)
    return f"{reverse(name)}?{urlencode({'choice': choice})}"


def _identity_of(request) -> Identity | None:
    stored = request.session.get(SESSION_KEY)
    user = request.user
    if stored and stored["participant"] == user.participant_id:
        heir = Heir.objects.filter(pk=stored["heir"], participant_id=stored["participant"]).first()
        return Identity(Participant.objects.get(pk=stored["participant"]), heir)
    if user.role == "participant" and user.participant_id:
        return Identity(user.participant)
    heir = remembered_heir(user)  # an heir who already claimed is not asked to identify again
    return Identity(heir.participant, heir) if heir else None


def _choices(identity: Identity) -> list[tuple[str, str]]:
    pairs = HEIR_CHOICES if identity.heir else PARTICIPANT_CHOICES
    return [(f"{p}:{r}", f"{Program(p).label} — {Reason(r).label}") for p, r in pairs]


@login_required
def choose(request):
    identity = _identity_of(request)
    if identity is None:
        return redirect(_with_choice("claims_identify", request))
    choices = _choices(identity)
    picked = request.POST.get("choice") or request.GET.get("choice") or ""
    assessment, error = None, ""
    if picked in dict(choices):
        program, reason = picked.split(":")
        try:
            branch, _area = home_branch(identity.participant)
            assessment = assess(
                identity.participant, program, reason, on=today_at(branch.time_zone), heir=identity.heir
            )
            if request.method == "POST":
                claim = actions.start_online_claim(
                    by=request.user,
                    participant=identity.participant,
                    program=program,
                    reason=reason,
                    heir=identity.heir,
                )
                messages.success(
                    request,
                    _("Klaim %(n)s dibuat. Selesaikan setiap tugas di bawah ini; kemajuan Anda tersimpan.")
                    % {"n": claim.number},
                )
                return redirect("claims_detail", number=claim.number)
        except DomainError as exc:
            error = str(exc.message)
    context = {
        "identity": identity,
        "choices": choices,
        "picked": picked,
        "assessment": assessment,
        "error": error,
    }
    return render(request, "portal/claims/choose.html", context, status=400 if error else 200)


@login_required
def detail(request, number: str):
    """The claimant's open draft (or a claim returned for documents) is a task list; any other claim, and any
    claim an officer opens here, is its status page."""
    claim = get_claim_for(request.user, number)
    if claim.claimant_id != request.user.id and not (
        request.user.is_branch_staff or request.user.is_admin_role
    ):
        raise Http404
    if _editable(request, claim):
        return render(request, "portal/claims/tasks.html", _draft_context(claim))
    return render(request, "portal/claims/detail.html", _status_context(request, claim))


def _editable(request, claim: Claim) -> bool:
    return claim.status in actions.EDITABLE_BY_CLAIMANT and claim.claimant_id == request.user.id


def _draft_task(view):
    """A task page of the claimant's own editable claim. Another person's claim is a 404; a claim no longer
    editable (submitted from another phone, cancelled) leads to its status page with a word why."""

    @wraps(view)
    @login_required
    def wrapped(request, number: str, *args, **kwargs):
        claim = get_claim_for(request.user, number)
        if claim.claimant_id != request.user.id:
            raise Http404
        if claim.status not in actions.EDITABLE_BY_CLAIMANT:
            if request.method == "POST":
                messages.error(request, _("Klaim ini sudah tidak dapat diubah."))
            return redirect("claims_detail", number=number)
        return view(request, claim, *args, **kwargs)

    return wrapped


def _draft_context(claim: Claim, **extra) -> dict:
    """Everything the task pages show, read from the stored claim (progress is what is stored)."""
    assessment = assess_claim(claim)
    documents = list(claim.documents.all())
    account = PayoutAccount.objects.filter(claim=claim).first()
    tasks = tasks_for(claim, assessment, documents, account)
    return {
        "claim": claim,
        "assessment": assessment,
        "checklist": checklist(assessment, documents),
        "account": account,
        "tasks": tasks,
        "prepare_tasks": tasks[:-1],
        "submit_task": tasks[-1],
        "submit_tasks": tasks[-1:],
        "done_count": sum(1 for t in tasks if t.done),
        "ready": ready_to_check(tasks),
        "from_check": False,
        **extra,
    }


def _status_context(request, claim: Claim) -> dict:
    assessment = assess_claim(claim)
    return {
        "claim": claim,
        "assessment": assessment,
        "checklist": checklist(assessment, list(claim.documents.all())),
        "account": PayoutAccount.objects.filter(claim=claim).first(),
        "events": _status_history(claim),
        "tracking": tracking_for(claim),
        "can_cancel": _may_cancel(request, claim),
    }


def _status_history(claim: Claim) -> list:
    """The claim's moves for "Riwayat status": each upload and account save is an event too, but a dozen
    "Dokumen diunggah" lines buried the moves the participant looks for (the documents have their own list)."""
    return [event for event in claim.events.all() if event.to_status and event.to_status != event.from_status]


def _may_cancel(request, claim: Claim) -> bool:
    return can_move(claim, Status.CANCELLED) and claim.claimant_id == request.user.id


@_draft_task
def task_identity(request, claim: Claim):
    context = _draft_context(claim, from_check=from_check(request))
    return render(request, "portal/claims/task_identity.html", context)


@_draft_task
def task_choice(request, claim: Claim):
    """The choice and its verdict, with the registry facts the verdict was made from."""
    employments = claim.participant.employments.select_related("employer").order_by("-start")
    earlier = (
        Claim.objects.filter(participant=claim.participant)
        .exclude(pk=claim.pk)
        .exclude(status__in=(Status.DRAFT, Status.CANCELLED))
        .order_by("-created_at")
    )
    context = _draft_context(
        claim, employments=employments, earlier_claims=earlier, from_check=from_check(request)
    )
    return render(request, "portal/claims/task_choice.html", context)


@upload_limits(shows_refusals=True)
@_draft_task
def upload(request, claim: Claim):
    """The documents task: one upload form per checklist item. After each upload, back here (Post/Redirect/
    Get) until the checklist is complete, then to the task list (or to "Periksa jawaban Anda")."""
    if request.method != "POST":
        return _documents_page(request, claim)
    form = DocumentForm(request.POST, request.FILES)
    for message in refused_uploads(request).values():
        form.add_error("file", message)
    if form.is_valid():
        try:
            actions.add_document(
                claim, by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_document(request, claim)
    # Post/Redirect/Get for a refused upload too: refreshing the page must not send the file again. The
    # error waits in the session for the page's next view, which shows it once.
    request.session[REFUSED_UPLOAD] = {
        "claim": claim.number,
        "kind": request.POST.get("kind", ""),
        "errors": {
            field: [str(message) for message in messages_] for field, messages_ in form.errors.items()
        },
    }
    return redirect(_task_url("claims_upload", claim, request))


def _documents_page(request, claim: Claim):
    refused = request.session.pop(REFUSED_UPLOAD, None)
    shown = {}
    if refused and refused["claim"] == claim.number:
        # What the template reads of a bound form: its errors, and which upload they belong to.
        shown = {
            "document_form": SimpleNamespace(errors=refused["errors"]),
            "document_error_kind": refused["kind"],
        }
    context = _draft_context(claim, from_check=from_check(request), **shown)
    return render(request, "portal/claims/task_documents.html", context)


def _after_document(request, claim: Claim):
    context = _draft_context(claim)
    if not next(task for task in context["tasks"] if task.key == "documents").done:
        messages.success(request, _("Dokumen tersimpan."))
        return redirect(_task_url("claims_upload", claim, request))
    messages.success(request, _("Dokumen tersimpan. Semua dokumen sudah lengkap."))
    return redirect("claims_task_check" if from_check(request) else "claims_detail", number=claim.number)


def _task_url(name: str, claim: Claim, request) -> str:
    url = reverse(name, args=[claim.number])
    return f"{url}?dari=periksa" if from_check(request) else url


@login_required
@require_POST
def remove_document(request, number: str, document_id: int):
    document = get_document_for(request.user, number, document_id)
    try:
        actions.remove_document(document, by=request.user)
        messages.success(request, _("Dokumen dihapus."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(_task_url("claims_upload", document.claim, request))


@login_required
def document_file(request, number: str, document_id: int):
    """Served only to the claimant and the branch's staff; never through MEDIA_URL."""
    document = get_document_for(request.user, number, document_id)
    record_download(
        request.user,
        DownloadKind.CLAIM_DOCUMENT,
        f"{number} · {document.kind} #{document.pk}",
        branch=document.claim.branch,
    )
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = (
        f'inline; filename="{document.kind}.{(document.file.name or "").rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@_draft_task
def payout_account(request, claim: Claim):
    """The bank account task; saved, it returns to the task list (or to "Periksa jawaban Anda")."""
    form = PayoutAccountForm(request.POST or None, initial=_account_initial(claim))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_payout_account(claim, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Rekening tersimpan."))
            return redirect(
                "claims_task_check" if from_check(request) else "claims_detail", number=claim.number
            )
    context = _draft_context(claim, account_form=form, from_check=from_check(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/claims/task_account.html", context, status=status)


def _account_initial(claim: Claim) -> dict:
    account = PayoutAccount.objects.filter(claim=claim).first()
    if account is None:
        return {"holder_name": claim.heir.full_name if claim.heir else claim.participant.full_name}
    return {
        "bank_code": account.bank_code,
        "account_number": account.account_number,
        "holder_name": account.holder_name,
    }


@_draft_task
def task_check(request, claim: Claim):
    """ "Periksa jawaban Anda": every answer and document with a way back to change it; the only submit button."""
    return render(request, "portal/claims/check.html", _draft_context(claim))


@_draft_task
@require_POST
def submit(request, claim: Claim):
    try:
        actions.submit_claim(claim, by=request.user, require_complete=True)
    except DomainError as error:
        context = _draft_context(claim, submit_error=str(error.message))
        return render(
            request, "portal/claims/check.html", context, status=error.status if error.status != 404 else 400
        )
    return redirect("claims_submitted", number=claim.number)


@login_required
def submitted(request, number: str):
    """The confirmation page (GOV.UK's pattern): the claim number, what happens next, and the next step,
    booking the verification session. Reached by the redirect after submitting (Post/Redirect/Get)."""
    claim = get_claim_for(request.user, number)
    if claim.claimant_id != request.user.id:
        raise Http404
    if claim.status == Status.DRAFT:
        return redirect("claims_detail", number=number)
    # The address status mail really goes to (an unverified one gets none: the banner asks to verify it).
    return render(
        request, "portal/claims/submitted.html", {"claim": claim, "email": status_mail_recipient(claim)}
    )


@login_required
def cancel(request, number: str):
    """Cancelling asks first (a page of its own, GOV.UK's pattern for destructive actions), then cancels on POST."""
    claim = get_claim_for(request.user, number)
    if claim.claimant_id != request.user.id:
        raise Http404
    if not _may_cancel(request, claim):
        messages.error(request, _("Klaim ini tidak dapat dibatalkan lagi."))
        return redirect("claims_detail", number=number)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_claim(claim, by=request.user, note=form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("claims_detail", number=number)
        messages.success(request, _("Klaim %(n)s dibatalkan.") % {"n": claim.number})
        return redirect("claims_home")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/claims/cancel.html", {"claim": claim, "form": form}, status=status)
