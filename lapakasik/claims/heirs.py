"""An heir's claims for one deceased participant share what she gave once (issue 14).

The widow of a participant claims JKM, JHT and JP: three claims whose checklists ask for the same death
certificate, family cards, heir statement and e-KTPs. She uploads each once; every other open claim of hers for
the same deceased gets a **copy of the checked file** (same bytes, same hash, its own stored file) with a
``document_added`` event naming the claim and document it was copied from. Why a copy and not a shared row:
each claim's documents stay its own (an officer who removes a bad scan from one claim, or a claim that is
deleted with its files, never pulls a document from under another claim), the access checks and the audit
trail stay per claim, and nothing else in the code has to learn that a document may belong to several
claims (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lapakasik.lib.errors import DomainError

from .guards import EDITABLE_BY_CLAIMANT, lock_editable
from .models import Claim, ClaimAction, ClaimChild, ClaimDocument, Program


def sibling_claims(claim: Claim):
    """The claimant's other open claims as the same heir of the same deceased participant."""
    if claim.heir_id is None:
        return Claim.objects.none()
    return Claim.objects.filter(
        participant_id=claim.participant_id,
        heir_id=claim.heir_id,
        claimant_id=claim.claimant_id,
        status__in=EDITABLE_BY_CLAIMANT,
    ).exclude(pk=claim.pk)


def given_documents(claim: Claim) -> dict[str, ClaimDocument]:
    """The latest checked document of each kind this heir gave in any claim for the same deceased."""
    found: dict[str, ClaimDocument] = {}
    rows = (
        ClaimDocument.objects.filter(
            claim__participant_id=claim.participant_id,
            claim__heir=claim.heir,
            claim__claimant_id=claim.claimant_id,
        )
        .exclude(claim=claim)
        .select_related("claim")
        .order_by("uploaded_at", "id")
    )
    for document in rows:
        found[document.kind] = document  # the latest wins
    return found


def share_given_documents(claim: Claim, *, by) -> list[ClaimDocument]:
    """Copy into ``claim`` each document its checklist asks for, that it lacks, and that the heir already gave
    for another claim of the same deceased. Returns the copies; nothing for a participant's own claim."""
    from .cases import assess_claim, document_label
    from .checks import recompute_findings
    from .lifecycle import attach_document

    if claim.heir_id is None or claim.status not in EDITABLE_BY_CLAIMANT or by.pk != claim.claimant_id:
        return []
    wanted = {code for code, _label in assess_claim(claim).documents}
    have = set(claim.documents.values_list("kind", flat=True))
    sources = [doc for kind, doc in given_documents(claim).items() if kind in wanted - have]
    if not sources:
        return []
    copies = []
    with transaction.atomic():
        locked = lock_editable(claim, by)
        for source in sources:
            copies.append(_copy(source, locked, by, attach_document, document_label))
    recompute_findings(locked)
    return copies


def _copy(source: ClaimDocument, claim: Claim, by, attach_document, document_label) -> ClaimDocument:
    with source.file.open("rb") as handle:
        content = handle.read()
    copy = ClaimDocument(
        claim=claim,
        kind=source.kind,
        original_name=source.original_name,
        sha256=source.sha256,
        size=source.size,
        content_type=source.content_type,
        uploaded_by=source.uploaded_by,
    )
    extension = (source.file.name or "").rsplit(".", 1)[-1]
    copy.file.save(f"upload.{extension}", ContentFile(content), save=False)
    try:
        note = f"{document_label(source.kind)} · {source.claim.number}"
        data = {"copied_from": source.pk, "from_claim": source.claim.number}
        attach_document(claim, copy, by=by, note=note, data=data)
    except Exception:
        copy.file.delete(save=False)
        raise
    return copy


def share_with_siblings(claim: Claim, *, by) -> None:
    """After a document reached ``claim``: the heir's other open claims for the same deceased get it too."""
    if by.pk != claim.claimant_id:
        return  # a desk document an officer took in stays with its claim
    for sibling in sibling_claims(claim):
        share_given_documents(sibling, by=by)


def remembered_heir(user):
    """The heir an heir's account already claimed as: one identification serves all the deceased's claims
    (the account points at the deceased participant; the heir is the one of its claims)."""
    from lapakasik.registry.models import Heir

    if getattr(user, "role", "") != "heir" or not user.participant_id:
        return None
    heir_id = (
        Claim.objects.filter(claimant=user, participant_id=user.participant_id, heir__isnull=False)
        .order_by("-created_at")
        .values_list("heir_id", flat=True)
        .first()
    )
    return Heir.objects.filter(pk=heir_id).first() if heir_id else None


MAX_CHILDREN = 6  # the rules pay at most two (the eldest under the age limit); the form takes a family's list


def save_children(claim: Claim, *, by, children: list[tuple[str, dt.date, str]]) -> list[ClaimChild]:
    """The children named on a JKM claim (name, birth date, school level), replacing the earlier list, with a
    ``children_saved`` event. Only while the claimant may still change the claim."""
    from .checks import recompute_findings
    from .lifecycle import record

    if claim.program != Program.JKM:
        raise DomainError(
            "children_not_asked", _("Data anak hanya diminta untuk klaim JKM."), field="children"
        )
    if len(children) > MAX_CHILDREN:
        raise DomainError(
            "too_many_children",
            _("Paling banyak %(n)s anak.") % {"n": MAX_CHILDREN},
            field="children",
        )
    with transaction.atomic():
        locked = lock_editable(claim, by)
        locked.children.all().delete()
        rows = ClaimChild.objects.bulk_create(
            ClaimChild(claim=locked, name=name.strip(), birth_date=born, level=level)
            for name, born, level in children
        )
        record(
            locked,
            ClaimAction.CHILDREN_SAVED,
            by=by,
            data={
                "children": [{"birth_date": born.isoformat(), "level": level} for _n, born, level in children]
            },
        )
    recompute_findings(locked)
    return rows
