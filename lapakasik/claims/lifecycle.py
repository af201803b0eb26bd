"""A claim's lifecycle, its payout account's and its documents': the tables of moves and the one writer each.

Nothing else writes ``Claim.status``, a ``PayoutAccount``'s status or a ``ClaimEvent``: claims/actions.py (and
payments, collective, the demo) decide *whether* (the claim's branch, maker-checker, the amount), then call a
writer here. ``move`` is bulk-first (a single change is a list of one): it checks the table (who, four eyes,
findings), does the guarded UPDATE from the status the caller saw (else the one ``changed_meanwhile`` error),
writes the ``ClaimEvent``s and queues the status messages (claims/notify.py, the outbox) in the same transaction.

Two bulk paths write beneath it and say so where they do: the import of paid *history* (claims/history.py)
and the chunks of a collective list (collective/actions.py), which write the very rows and action names
``create_claim`` + ``move(…, SUBMITTED)`` would.

A document and a payout account have no status the claim's table could hold: the document table's *from* is
the claim's status in which the change may be made (the claim's status does not change); the account has its
own status, which says whether anyone must check it again before money goes to it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import (
    Lifecycle,
    Move,
    apply_move,
    changed_meanwhile,
    guarded_update,
    not_allowed,
)

from . import bulk, notify
from .models import (
    Claim,
    ClaimAction,
    ClaimDocument,
    ClaimEvent,
    ClaimFinding,
    FindingLevel,
    PayoutAccount,
    PayoutAccountStatus,
    Status,
    new_claim_number,
)

A = ClaimAction
S = Status
P = PayoutAccountStatus
CLAIMANT = "claimant"
STAFF = frozenset({"cso", "supervisor", "branch_head", "admin"})
FINANCE = frozenset({"finance", "admin"})
NEW: frozenset[str] = frozenset()  # the move creates the object
OWN_OR_SERVING = "own claim; staff: own or serving branch"
# Live payment statuses (payments.models.LIVE_STATUSES; payments builds on claims, so named here by value).
PAYMENT_UNDER_WAY = ("prepared", "approved", "sent")

CLAIM = Lifecycle(
    model="claims.Claim",
    statuses=Status,
    notes=(
        "Staff means cso, supervisor, branch_head or admin. An empty *from* means the move creates the claim. "
        "Failing findings (claims/checks.py: no documents, NPWP missing, a document or account shared with "
        "another person's claim, …) block approval unless each is overridden with a written reason, at "
        "verification or at approval; the reasons are kept as `finding_overridden` events and shown on the "
        "claim page, and a claim approved over one needs a supervisor or branch head."
    ),
    moves=(
        Move(A.STARTED, NEW, S.DRAFT, frozenset({CLAIMANT, *STAFF, "employer_rep"}),
             "own; staff: a counter claim of the own branch; employer_rep: a collective list (in bulk)",
             when="the reason belongs to the program; no other open claim of the program for the participant"),
        Move(A.SUBMITTED, frozenset({S.DRAFT, S.RETURNED_FOR_DOCUMENTS}), S.SUBMITTED,
             frozenset({CLAIMANT, "employer_rep", *STAFF}),
             "own; employer_rep: own employer's collective claim; staff: a counter claim, own or serving branch",
             when="online (portal, API): every checklist document and a payout account"),
        Move(A.CANCELLED, frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED_FOR_DOCUMENTS}), S.CANCELLED,
             frozenset({CLAIMANT}), "own", when="before an officer starts verifying it"),
        Move(A.VERIFICATION_STARTED, frozenset({S.SUBMITTED}), S.IN_VERIFICATION, STAFF, OWN_OR_SERVING),
        Move(A.VERIFIED, frozenset({S.IN_VERIFICATION}), S.VERIFIED, STAFF, OWN_OR_SERVING,
             when="failing findings may be overridden here, each with a written reason"),
        Move(A.RETURNED, frozenset({S.IN_VERIFICATION}), S.RETURNED_FOR_DOCUMENTS, STAFF, OWN_OR_SERVING,
             reason=True,
             when="its booking stays while the session can still take the documents (online: until the branch's "
                  "midnight starting its day; at the branch: until its start), else it is cancelled, the person told"),
        Move(A.REJECTED, frozenset({S.IN_VERIFICATION, S.VERIFIED}), S.REJECTED, STAFF, "own branch",
             reason=True, when="with a rejection code"),
        Move(A.APPROVED, frozenset({S.VERIFIED}), S.APPROVED, STAFF, "own branch",
             four_eyes="verified; payout_account_changed (whoever last changed the account); wage_recorded "
                       "(whoever entered the JKP wage)",
             when="above CLAIM_SUPERVISOR_THRESHOLD or over an overridden finding: supervisor or branch head",
             findings=True),
        Move(A.SENT_BACK_FOR_RECHECK, frozenset({S.APPROVED}), S.IN_VERIFICATION, frozenset({CLAIMANT, *STAFF}),
             OWN_OR_SERVING, when="its payout account is entered or changed after approval; no transfer under way"),
        Move(A.SENT_BACK_WAGE_CHANGED, frozenset({S.VERIFIED, S.APPROVED}), S.IN_VERIFICATION, STAFF,
             "own branch", when="JKP: an officer enters or changes the wage after verification; no payment made "
                                "or under way"),
        Move(A.PAID, frozenset({S.APPROVED}), S.PAID, FINANCE, "own branch",
             when="the bank confirms its payment; dated by the bank"),
        Move(A.PAYMENT_FAILED, frozenset({S.APPROVED}), S.APPROVED, FINANCE, "own branch",
             when="the bank refused or returned its payment: the claim stays approved"),
    ),
)  # fmt: skip

PAYOUT_ACCOUNT = Lifecycle(
    model="claims.PayoutAccount",
    statuses=PayoutAccountStatus,
    notes=(
        "The first save creates the account: *entered* before approval, *recheck* after it (then the claim "
        "is sent back, `sent_back_for_recheck`). The holder's name must match the claimant's (lib/names). "
        "Payments pays no account in *recheck*."
    ),
    moves=(
        Move(A.PAYOUT_ACCOUNT_SAVED, frozenset({P.ENTERED}), P.ENTERED, frozenset({CLAIMANT, *STAFF}),
             OWN_OR_SERVING,
             when="claimant: claim draft or returned; staff (counter claims): also submitted or in verification"),
        Move(A.PAYOUT_ACCOUNT_CHANGED, frozenset({P.ENTERED, P.RECHECK, P.CHECKED}), P.RECHECK,
             frozenset({CLAIMANT, *STAFF}), OWN_OR_SERVING,
             when="the claim is approved (it goes back to verification), or the account was approved once; "
                  "no transfer under way"),
        Move(A.PAYOUT_ACCOUNT_RECHECKED, frozenset({P.RECHECK}), P.CHECKED, STAFF, "own branch",
             four_eyes="payout_account_changed", when="with the claim's approval"),
    ),
)  # fmt: skip

CLAIM_DOCUMENT = Lifecycle(
    model="claims.ClaimDocument",
    statuses=Status,
    notes=(
        "A document has no status of its own: *from* is the claim's status in which it may be added or "
        "removed, and the claim's status does not change. Portal, API and the console's desk upload share one "
        "set of checks (claims/uploads.py, with security/uploads.py's size cap while the file streams in)."
    ),
    moves=(
        Move(A.DOCUMENT_ADDED,
             frozenset({S.DRAFT, S.RETURNED_FOR_DOCUMENTS, S.SUBMITTED, S.IN_VERIFICATION}), "—",
             frozenset({CLAIMANT, *STAFF}), OWN_OR_SERVING,
             when="claimant: draft or returned; staff (desk documents, dropbox): also submitted or in verification"),
        Move(A.DOCUMENT_REMOVED,
             frozenset({S.DRAFT, S.RETURNED_FOR_DOCUMENTS, S.SUBMITTED, S.IN_VERIFICATION}), "—",
             frozenset({CLAIMANT, *STAFF}), OWN_OR_SERVING, when="as document_added"),
    ),
)  # fmt: skip

LIFECYCLES = (CLAIM, PAYOUT_ACCOUNT, CLAIM_DOCUMENT)
STATUS_MOVES = frozenset(move.name for move in CLAIM.moves)


def can_move(claim: Claim, to: str) -> bool:
    """Whether some move of the table leads from the claim's status to ``to`` (for buttons)."""
    return to in CLAIM.targets(claim.status)


# ---------------------------------------------------------------- who


def _not_permitted() -> DomainError:
    return DomainError("not_permitted", _("Peran Anda tidak berwenang untuk tindakan ini."), status=403)


def _require_role(move: Move, claims: Sequence[Claim], by) -> None:
    """The table's *who*: a role it names, or the claimant of every claim where it names the claimant."""
    if by is None:
        if "system" not in move.who:
            raise _not_permitted()
        return
    if getattr(by, "is_admin_role", False) or by.role in move.who:
        return
    if CLAIMANT in move.who and all(claim.claimant_id == by.pk for claim in claims):
        return
    raise _not_permitted()


def _actor(by) -> Any:
    return by if getattr(by, "pk", None) else None


# ---------------------------------------------------------------- findings


def failing_findings(claim: Claim) -> list[ClaimFinding]:
    return list(ClaimFinding.objects.filter(claim=claim, level=FindingLevel.FAIL).order_by("code"))


def recorded_overrides(claim: Claim) -> dict[tuple[str, str], ClaimEvent]:
    """The overrides written for this claim, by (finding code, the finding's message when overridden).

    Keyed on the message too: a finding that changed since (another shared document, one more claim on the
    account) is a new finding, and its old reason does not cover it.
    """
    events = ClaimEvent.objects.filter(claim=claim, action=A.FINDING_OVERRIDDEN).select_related("actor")
    return {(e.data.get("code", ""), e.data.get("message", "")): e for e in events}


def _override_events(claim: Claim, overrides: dict[str, str], by, *, required: bool) -> list[ClaimEvent]:
    """New ``finding_overridden`` events for the claim's failing findings; with ``required``, every failing
    finding must have a reason now or from before, else the move is refused naming the findings."""
    recorded = recorded_overrides(claim)
    events, missing = [], []
    for finding in failing_findings(claim):
        reason = " ".join((overrides.get(finding.code) or "").split())
        if reason:
            events.append(
                ClaimEvent(
                    claim=claim,
                    actor=_actor(by),
                    action=A.FINDING_OVERRIDDEN,
                    from_status=claim.status,
                    to_status=claim.status,
                    note=reason,
                    data={"code": finding.code, "message": finding.message, "reason": reason},
                )
            )
        elif (finding.code, finding.message) not in recorded:
            missing.append(finding)
    if required and missing:
        raise DomainError(
            "findings_not_overridden",
            _("Temuan yang gagal harus diperbaiki atau diabaikan dengan alasan tertulis: %(list)s")
            % {"list": " ".join(f.message for f in missing)},
            field="overrides",
            status=409,
        )
    return events


def override_findings(claim: Claim, overrides: dict[str, str], *, by) -> list[ClaimEvent]:
    """Written reasons to go ahead over failing findings, recorded ahead of the decision (the claim page's
    own form per finding); the decision's move then finds them recorded, as if given with it."""
    events = _override_events(claim, overrides, by, required=False)
    return ClaimEvent.objects.bulk_create(events)


# ---------------------------------------------------------------- four eyes


def four_eyes_refusal(claim: Claim, by) -> DomainError | None:
    """Why ``by`` may not approve this claim under four eyes (they verified it, or they changed the account
    that sent it back for a re-check), or None. The console asks it to offer the button; the move enforces it."""
    if claim.verified_by_id is not None and claim.verified_by_id == getattr(by, "pk", None):
        return DomainError(
            "four_eyes", _("Klaim yang Anda verifikasi harus disetujui oleh petugas lain."), status=403
        )
    if claim.officer_wage_by_id is not None and claim.officer_wage_by_id == getattr(by, "pk", None):
        return DomainError(
            "four_eyes_wage",
            _("Upah JKP yang Anda catat harus diperiksa dan disetujui oleh petugas lain."),
            status=403,
        )
    account = _account_to_recheck(claim)
    if (
        account is not None
        and account.changed_by_id is not None
        and account.changed_by_id == getattr(by, "pk", None)
    ):
        return DomainError(
            "four_eyes_account",
            _("Rekening yang Anda ubah harus diperiksa ulang dan disetujui oleh petugas lain."),
            status=403,
        )
    return None


def _account_to_recheck(claim: Claim) -> PayoutAccount | None:
    return PayoutAccount.objects.filter(claim=claim, status=P.RECHECK).first()


def require_four_eyes(claims: Sequence[Claim], by) -> list[PayoutAccount]:
    """Nobody approves what they verified, nor an account they changed; returns the accounts to re-check."""
    rechecks = []
    for claim in claims:
        if refusal := four_eyes_refusal(claim, by):
            raise refusal
        if account := _account_to_recheck(claim):
            rechecks.append(account)
    return rechecks


# ---------------------------------------------------------------- the writer of Claim.status


def move(
    claims: Sequence[Claim],
    action: str,
    *,
    by,
    expect: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    overrides: dict[str, str] | None = None,
) -> list[Claim]:
    """The one writer of ``Claim.status``; ``expect`` is the status the caller's page showed.

    A page that is out of date (``expect`` differs from the status read now) fails with ``changed_meanwhile``,
    as does a row that moved between this read and the UPDATE.
    """
    step = CLAIM.move(action)
    if expect is not None and any(claim.status != expect for claim in claims):
        raise changed_meanwhile()
    _require_role(step, claims, by)
    if step.reason and not note.strip():
        raise DomainError("reason_required", _("Alasan wajib diisi."), field="reason")
    for claim in claims:
        if claim.status not in step.sources:
            raise not_allowed(_label(claim.status), _label(step.to))
    rechecks = require_four_eyes(claims, by) if step.four_eyes else []
    extra: list[ClaimEvent] = []
    if step.findings or action == A.VERIFIED:
        for claim in claims:
            extra += _override_events(claim, overrides or {}, by, required=step.findings)

    made: dict[int, ClaimEvent] = {}

    def event(claim, from_status: str, to_status: str) -> ClaimEvent:
        made[claim.pk] = ClaimEvent(
            claim=claim,
            actor=_actor(by),
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
            data=dict(data or {}),
        )
        return made[claim.pk]

    seen = [claim.status for claim in claims]
    with transaction.atomic():
        if extra:
            ClaimEvent.objects.bulk_create(extra)
        moved = apply_move(CLAIM, action, claims, by=by, event=event, changes=changes)
        for claim, old in zip(claims, seen, strict=True):
            # In this transaction (the outbox): a change that rolls back tells nobody. A payment that
            # failed keeps the claim approved: payments tells that itself.
            if old != step.to:
                notify.status_changed(claim, old, step.to, note, key=_event_key(made[claim.pk]))
        if rechecks:
            _recheck_accounts(rechecks, by=by)
    return moved  # type: ignore[return-value]


def _event_key(event: ClaimEvent) -> str:
    """The move's event names the message once (bulk_create returns primary keys on PostgreSQL and on SQLite
    from 3.35; an older SQLite gets a fresh key, so its messages are never mistaken for one another)."""
    return f"{event.claim_id}:{event.pk or uuid.uuid4().hex}"


def _label(status: str) -> Any:
    try:
        return Status(status).label
    except ValueError:
        return status


def create_claim(*, by, data: dict[str, Any] | None = None, **fields: Any) -> Claim:
    """A new claim in ``draft`` and its ``started`` event; the caller checked the reason and open claims."""
    step = CLAIM.move(A.STARTED)
    with transaction.atomic():
        claim = Claim.objects.create(status=step.to, **fields)
        ClaimEvent.objects.create(
            claim=claim, actor=_actor(by), action=A.STARTED, to_status=step.to, data=data or {}
        )
    return claim


# ---------------------------------------------------------------- documents


def _require_document_move(action: str, claim: Claim, by) -> None:
    step = CLAIM_DOCUMENT.move(action)
    _require_role(step, [claim], by)
    if claim.status not in step.sources:
        raise DomainError(
            "claim_not_editable",
            _("Klaim berstatus '%(status)s' tidak dapat diubah lagi.") % {"status": _label(claim.status)},
            status=409,
        )


def attach_document(
    claim: Claim, document: ClaimDocument, *, by, note: str = "", data: dict | None = None
) -> ClaimDocument:
    """Store a checked document of a claim (locked by the caller) with its ``document_added`` event."""
    _require_document_move(A.DOCUMENT_ADDED, claim, by)
    with transaction.atomic():
        document.save()
        ClaimEvent.objects.create(
            claim=claim,
            actor=_actor(by),
            action=A.DOCUMENT_ADDED,
            from_status=claim.status,
            to_status=claim.status,
            note=note,
            data={"kind": document.kind, "sha256": document.sha256, "document": document.pk, **(data or {})},
        )
    return document


def detach_document(claim: Claim, document: ClaimDocument, *, by) -> None:
    """Delete a document's row with its ``document_removed`` event; the caller deletes the file on commit."""
    _require_document_move(A.DOCUMENT_REMOVED, claim, by)
    with transaction.atomic():
        ClaimEvent.objects.create(
            claim=claim,
            actor=_actor(by),
            action=A.DOCUMENT_REMOVED,
            from_status=claim.status,
            to_status=claim.status,
            data={"kind": document.kind, "sha256": document.sha256},
        )
        document.delete()


# ---------------------------------------------------------------- the payout account


def _after_approval(claim: Claim, account: PayoutAccount | None) -> bool:
    return claim.status == S.APPROVED or (account is not None and account.status != P.ENTERED)


def save_account(claim: Claim, *, by, values: dict[str, Any]) -> PayoutAccount:
    """Enter or replace the claim's payout account (the claim row locked by the caller).

    Before approval the account is simply *entered*. Entered or changed after approval, it needs a recheck
    by someone else: the claim goes back to verification in the same transaction, and payments pays nothing
    to it until a second person approves the claim again.
    """
    account = PayoutAccount.objects.filter(claim=claim).first()
    recheck = _after_approval(claim, account)
    action = A.PAYOUT_ACCOUNT_CHANGED if recheck else A.PAYOUT_ACCOUNT_SAVED
    step = PAYOUT_ACCOUNT.move(action)
    _require_role(step, [claim], by)
    if recheck and Claim.objects.filter(pk=claim.pk, payments__status__in=PAYMENT_UNDER_WAY).exists():
        raise DomainError(
            "payment_in_progress",
            _("Rekening tidak dapat diubah selama transfer klaim ini sedang diproses."),
            field="account_number",
            status=409,
        )
    # updated_at by hand: a queryset UPDATE skips auto_now, and payments reads it (a failed transfer's
    # claim is ready again only with an account changed after the failure).
    changes = {**values, "changed_by": _actor(by), "updated_at": timezone.now()}
    event_data = {
        "bank_code": values["bank_code"],
        "last4": values["account_number"][-4:],
        "name_match": values["name_match"],
    }
    with transaction.atomic():
        if claim.status == S.APPROVED:
            move([claim], A.SENT_BACK_FOR_RECHECK, by=by, note=str(_("Rekening diubah setelah persetujuan.")))
        if account is None:
            account = PayoutAccount.objects.create(claim=claim, status=step.to, **changes)
            from_status = ""
        else:
            if account.status not in step.sources:
                raise not_allowed(P(account.status).label, P(step.to).label)
            from_status = account.status
            guarded_update(PayoutAccount, [(account.pk, account.status)], step.to, **changes)
            account.refresh_from_db()
        ClaimEvent.objects.create(
            claim=claim,
            actor=_actor(by),
            action=action,
            from_status=claim.status,
            to_status=claim.status,
            data={**event_data, "account_from": from_status, "account_to": step.to},
        )
    return account


# ---------------------------------------------------------------- JKP's wage entered by an officer

WAGE_EDITABLE = frozenset(
    {S.DRAFT, S.RETURNED_FOR_DOCUMENTS, S.SUBMITTED, S.IN_VERIFICATION, S.VERIFIED, S.APPROVED}
)


def record_wage(claim: Claim, *, by, wage: int, source: str, amount: int | None) -> ClaimEvent:
    """The JKP wage an officer entered, and the amount recomputed from it (the claim row locked by the caller).

    Entered after verification or approval, the claim goes back to verification in the same transaction
    (someone must look at the new amount again), and never while a payment of it is made or under way.
    """
    if claim.status not in WAGE_EDITABLE:
        raise not_allowed(_label(claim.status), _label(claim.status))
    paid_or_live = (*PAYMENT_UNDER_WAY, "paid")
    if Claim.objects.filter(pk=claim.pk, payments__status__in=paid_or_live).exists():
        raise DomainError(
            "payment_in_progress",
            _("Upah tidak dapat diubah: pembayaran klaim ini sudah dibuat atau sedang diproses."),
            field="wage",
            status=409,
        )
    data = {
        "wage": wage,
        "wage_before": claim.officer_wage,
        "source": source,
        "amount_before": claim.amount_claimed,
        "amount": amount,
    }
    with transaction.atomic():
        if claim.status in (S.VERIFIED, S.APPROVED):
            move([claim], A.SENT_BACK_WAGE_CHANGED, by=by, note=str(_("Upah JKP diubah; periksa ulang.")))
        changes = {
            "officer_wage": wage,
            "officer_wage_source": source,
            "officer_wage_by": _actor(by),
            "amount_claimed": amount,
        }
        Claim.objects.filter(pk=claim.pk).update(**changes)
        for name, value in changes.items():
            setattr(claim, name, value)
        return record(claim, A.WAGE_RECORDED, by=by, note=source, data=data)


def _recheck_accounts(accounts: Sequence[PayoutAccount], *, by) -> None:
    """Accounts changed after approval, re-checked by whoever approves their claims again."""
    step = PAYOUT_ACCOUNT.move(A.PAYOUT_ACCOUNT_RECHECKED)
    guarded_update(PayoutAccount, [(a.pk, a.status) for a in accounts], step.to)
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                claim_id=account.claim_id,
                actor=_actor(by),
                action=A.PAYOUT_ACCOUNT_RECHECKED,
                from_status=S.VERIFIED,
                to_status=S.VERIFIED,
                data={
                    "bank_code": account.bank_code,
                    "last4": account.account_number[-4:],
                    "changed_by": account.changed_by_id,
                    "account_from": account.status,
                    "account_to": step.to,
                },
            )
            for account in accounts
        ]
    )


# ---------------------------------------------------------------- beside a status


def record(
    claim: Claim, action: str, *, by, note: str = "", data: dict[str, Any] | None = None
) -> ClaimEvent:
    """The event of something that moves no status and has no writer above; a status move uses ``move``."""
    if action in STATUS_MOVES:
        raise ValueError(f"{action} moves a claim's status: use move()")
    return ClaimEvent.objects.create(
        claim=claim,
        actor=_actor(by),
        action=action,
        from_status=claim.status,
        to_status=claim.status,
        note=note,
        data=data or {},
    )


# ---------------------------------------------------------------- beneath the writer, in bulk


@dataclass(frozen=True)
class BulkClaim:
    """One claim of a collective list's chunk: what ``create_claim`` and ``move(…, SUBMITTED)`` would be given."""

    import_key: str
    participant_id: int
    reason: str
    area_id: int
    line: int
    documents: Sequence[tuple[str, str, str]] = ()  # (kind, sha256, the name shown)


BULK_CLAIM_FIELDS = (
    "number", "program", "reason", "channel", "status", "participant", "employer", "claimant", "branch", "area",
    "created_at", "submitted_on", "submitted_at", "decision_code", "decision_note", "import_key",
)  # fmt: skip
BULK_EVENT_FIELDS = ("claim", "at", "actor", "action", "from_status", "to_status", "note", "data")


def insert_submitted(
    claims: Sequence[BulkClaim],
    *,
    program: str,
    channel: str,
    employer_id: int,
    branch_id: int,
    by,
    now: dt.datetime,
    submitted_on: dt.date,
    data: dict[str, Any],
) -> list[int]:
    """Beneath the writer, in bulk, for a collective list's chunk (collective/actions.py): the claims straight
    in ``submitted``, with the ``started``, ``document_added`` and ``submitted`` events the writer would
    have written, one INSERT per table (COPY on PostgreSQL). Through the writer a list of 10,000 rows took
    minutes. The caller checked what ``start_claim`` checks, under the same lock. Returns the ids, in order.
    """
    at, on = bulk.datetime_value(now), bulk.date_value(submitted_on)
    actor = by.pk if by else None
    values = [
        (new_claim_number(), program, c.reason, channel, S.SUBMITTED.value, c.participant_id, employer_id,
         actor, branch_id, c.area_id, at, on, at, "", "", c.import_key)
        for c in claims
    ]  # fmt: skip
    ids = bulk.next_ids(Claim, len(values))
    if ids is not None:  # PostgreSQL: COPY with ids from the sequence, nothing to read back
        rows = [(pk, *value) for pk, value in zip(ids, values, strict=True)]
        bulk.insert(Claim, ("id", *BULK_CLAIM_FIELDS), rows)
    else:
        bulk.insert(Claim, BULK_CLAIM_FIELDS, values)
        by_key = dict(
            Claim.objects.filter(import_key__in=[c.import_key for c in claims]).values_list(
                "import_key", "pk"
            )
        )
        ids = [by_key[c.import_key] for c in claims]
    bulk.insert(ClaimEvent, BULK_EVENT_FIELDS, _submitted_events(ids, claims, at=at, actor=actor, data=data))
    return ids


def _submitted_events(
    ids: Sequence[int], claims: Sequence[BulkClaim], *, at: Any, actor: int | None, data: dict[str, Any]
) -> list[tuple]:
    submitted = bulk.as_json(data)
    draft, events = S.DRAFT.value, []
    for claim_id, claim in zip(ids, claims, strict=True):
        started = bulk.as_json({**data, "line": claim.line})
        events.append((claim_id, at, actor, A.STARTED.value, "", draft, "", started))
        for kind, sha256, name in claim.documents:  # as attach_document records each file
            document = bulk.as_json({"kind": kind, "sha256": sha256})
            events.append((claim_id, at, actor, A.DOCUMENT_ADDED.value, draft, draft, name, document))
        events.append((claim_id, at, actor, A.SUBMITTED.value, draft, S.SUBMITTED.value, "", submitted))
    return events
