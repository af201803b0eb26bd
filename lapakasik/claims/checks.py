"""Data-validity checks: one finding per check, each with a stable code, a level and a message.

Officers read these beside the documents; nothing here decides a claim. Findings are recomputed
(:func:`recompute_findings`) whenever an input changes: start, a document, the bank account, submit.
Each check is a small function of the claim; a check that cannot tell yet says ``warn``.

The checks read their facts through :class:`ClaimFacts`, which loads each kind of fact with one query
for a whole set of claims the first time a check asks. One claim is the set of one; a collective list
(:func:`recompute_findings_for`) is the set of thousands, with the same number of queries and the same
check functions, so both channels get the same findings.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lapakasik.lib.identifiers import check_nik
from lapakasik.rules.api import estimate

from . import bulk
from .cases import (
    Assessment,
    Estimator,
    RegistryFacts,
    assess,
    assessment_date,
    document_label,
    memoised_estimate,
    registry_facts_for,
    rules_case,
)
from .models import (
    OPEN_STATUSES,
    Claim,
    ClaimChild,
    ClaimDocument,
    ClaimFinding,
    FindingLevel,
    PayoutAccount,
    Program,
    Reason,
)

PASS, WARN, FAIL = FindingLevel.PASS, FindingLevel.WARN, FindingLevel.FAIL
SHOWN = 3  # other claims named in a finding's message
COMPANY_DOCUMENTS = frozenset({"phk_agreement_or_ruling"})  # issued once for many workers
FINDING_FIELDS = ("claim", "code", "level", "message", "computed_at")


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message: str


# Another claim as the checks name it: (claim id, participant id, number); lists are in claim-id order.
OtherClaim = tuple[int, int, str]


class ClaimFacts:
    """The facts the checks read about a set of claims: each kind read by one query, on first use.

    So one claim reads only what its checks ask for, and many claims read each fact once for all.
    """

    def __init__(self, claims: Sequence[Claim], *, estimator: Estimator = estimate) -> None:
        self.claims = claims
        self.claim_ids = [c.pk for c in claims]
        self.participant_ids = {c.participant_id for c in claims}
        self.estimator = estimator

    @cached_property
    def registry(self) -> dict[int, RegistryFacts]:
        jht = {c.participant_id for c in self.claims if c.program == Program.JHT}
        return registry_facts_for(self.participant_ids, with_balance=jht)

    @cached_property
    def children(self) -> dict[int, tuple[tuple[dt.date, str], ...]]:
        """The children named on these claims (JKM's scholarship), eldest first, by claim: one query."""
        jkm = [c.pk for c in self.claims if c.program == Program.JKM]
        found: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
        if jkm:
            rows = ClaimChild.objects.filter(claim_id__in=jkm).order_by("birth_date", "id")
            for claim_id, born, level in rows.values_list("claim_id", "birth_date", "level"):
                found[claim_id].append((born, level))
        return {pk: tuple(rows) for pk, rows in found.items()}

    @cached_property
    def open_claims(self) -> dict[tuple[int, str], list[OtherClaim]]:
        """The open claims of these participants, by (participant, program); these claims among them."""
        rows = (
            Claim.objects.filter(participant_id__in=self.participant_ids, status__in=OPEN_STATUSES)
            .order_by("pk")
            .values_list("pk", "participant_id", "number", "program")
        )
        return _grouped((row[:3], (row[1], row[3])) for row in rows)

    @cached_property
    def accounts(self) -> dict[int, PayoutAccount]:
        return {a.claim_id: a for a in PayoutAccount.objects.filter(claim_id__in=self.claim_ids)}

    @cached_property
    def claims_by_account(self) -> dict[tuple[str, str], list[OtherClaim]]:
        """Every claim paid to one of these claims' accounts, by (bank, account number)."""
        if not self.accounts:
            return {}
        # Bank and number filtered apart (the index covers both); the odd same number at another bank
        # is dropped by the exact (bank, number) key the check looks up.
        rows = (
            PayoutAccount.objects.filter(
                bank_code__in={a.bank_code for a in self.accounts.values()},
                account_number__in={a.account_number for a in self.accounts.values()},
            )
            .order_by("claim_id")
            .values_list("claim_id", "claim__participant_id", "claim__number", "bank_code", "account_number")
        )
        return _grouped((row[:3], row[3:]) for row in rows)

    @cached_property
    def documents(self) -> dict[int, list[tuple[str, str]]]:
        """(kind, sha256) of each claim's uploaded documents."""
        rows = ClaimDocument.objects.filter(claim_id__in=self.claim_ids).values_list(
            "claim_id", "kind", "sha256"
        )
        return _grouped(((kind, sha256), claim_id) for claim_id, kind, sha256 in rows)

    @cached_property
    def claims_by_document(self) -> dict[str, dict[int | None, list[OtherClaim]]]:
        """Every claim holding a file identical to one of these claims' documents, by sha256 and employer."""
        if not self.documents:
            return {}
        # A subquery rather than the hashes themselves: a large list has several per claim, and SQLite
        # binds at most 32,766 parameters to one statement.
        ours = ClaimDocument.objects.filter(claim_id__in=self.claim_ids).values("sha256")
        rows = (
            ClaimDocument.objects.filter(sha256__in=ours)
            .order_by("claim_id")
            .values_list("claim_id", "claim__participant_id", "claim__number", "sha256", "claim__employer_id")
        )
        by_hash: dict[str, dict[int | None, list[OtherClaim]]] = defaultdict(lambda: defaultdict(list))
        for pk, participant_id, number, sha256, employer_id in rows:
            by_hash[sha256][employer_id].append((pk, participant_id, number))
        return by_hash


def _grouped(pairs: Iterable[tuple]) -> dict:
    groups: dict = defaultdict(list)
    for value, key in pairs:
        groups[key].append(value)
    return dict(groups)


def _numbers_of_others(claims: Iterable[OtherClaim], participant_id: int) -> list[str]:
    """Numbers of other participants' claims, each once, the earliest first (``claims`` in id order).

    Stops at the SHOWN-th: one company letter in 10,000 workers' claims must not make every claim
    read all the others (quadratic).
    """
    numbers: dict[str, None] = {}
    for _pk, owner, number in claims:
        if owner != participant_id:
            numbers[number] = None
            if len(numbers) == SHOWN:
                break
    return list(numbers)


class _Context:
    """One claim as its checks see it: the claim row, and its share of the facts."""

    def __init__(self, claim: Claim, facts: ClaimFacts) -> None:
        self.claim = claim
        self.facts = facts
        self.on = assessment_date(claim)

    @cached_property
    def assessment(self) -> Assessment:
        c = self.claim
        return assess(
            c.participant,
            c.program,
            c.reason,
            on=self.on,
            heir=c.heir,
            facts=self.facts.registry[c.participant_id],
            estimator=self.facts.estimator,
            children=self.children,
            wage=c.officer_wage,
        )

    @property
    def children(self) -> tuple[tuple[dt.date, str], ...]:
        """A JKM claim's named children (the scholarship), read for all the run's claims at once."""
        return self.facts.children.get(self.claim.pk, ())

    @property
    def rules_case(self) -> dict[str, Any] | None:
        """What :attr:`assessment` will ask the rules, so that a bulk run can ask for all claims at once."""
        c = self.claim
        return rules_case(
            c.participant,
            c.program,
            c.reason,
            on=self.on,
            heir=c.heir,
            facts=self.facts.registry[c.participant_id],
            children=self.children,
            wage=c.officer_wage,
        )

    @cached_property
    def uploaded_kinds(self) -> set[str]:
        return {kind for kind, _sha256 in self.facts.documents.get(self.claim.pk, [])}

    @property
    def other_open_claims(self) -> list[str]:
        c = self.claim
        others = self.facts.open_claims.get((c.participant_id, c.program), [])
        return [number for pk, _owner, number in others if pk != c.pk][:SHOWN]

    @property
    def payout_account(self) -> PayoutAccount | None:
        return self.facts.accounts.get(self.claim.pk)

    @property
    def account_shared_with(self) -> list[str]:
        account = self.payout_account
        if account is None:
            return []
        claims = self.facts.claims_by_account.get((account.bank_code, account.account_number), [])
        return _numbers_of_others(claims, self.claim.participant_id)

    @property
    def documents_reused_in(self) -> list[str]:
        employer = self.claim.employer_id
        lists = []
        for kind, sha256 in sorted(set(self.facts.documents.get(self.claim.pk, []))):
            for holder, claims in self.facts.claims_by_document.get(sha256, {}).items():
                # One joint agreement or court ruling covers every worker of a mass layoff: the same
                # file in the same employer's claims is expected; in another employer's, it is not.
                if not (kind in COMPANY_DOCUMENTS and employer is not None and holder == employer):
                    lists.append(claims)
        # Each list is in claim-id order: merged lazily, so only the first few are ever read.
        return _numbers_of_others(heapq.merge(*lists), self.claim.participant_id)


def nik_format(ctx: _Context) -> Finding:
    p = ctx.claim.participant
    check = check_nik(p.nik, birth_date=p.birth_date, sex=p.sex)
    if check.errors:
        return Finding("nik_format", FAIL, " ".join(check.errors))
    if check.warnings:
        return Finding("nik_format", WARN, " ".join(check.warnings))
    return Finding("nik_format", PASS, _("NIK sah; wilayah dan tanggal lahir sesuai data peserta."))


def registry_match(ctx: _Context) -> Finding:
    c = ctx.claim
    if c.heir is not None and c.heir.participant_id != c.participant_id:
        return Finding("registry_match", FAIL, _("Ahli waris tidak terdaftar untuk peserta ini."))
    account = c.claimant
    if c.channel == "online" and (account is None or account.participant_id != c.participant_id):
        return Finding("registry_match", FAIL, _("Akun pengaju tidak terhubung dengan data peserta ini."))
    return Finding(
        "registry_match", PASS, _("NIK, KPJ, nama, dan tanggal lahir cocok dengan data kepesertaan.")
    )


def eligibility(ctx: _Context) -> Finding:
    a = ctx.assessment
    if a.problem:
        return Finding(
            "eligibility", WARN, _("Kelayakan perlu dihitung petugas: %(why)s") % {"why": a.problem}
        )
    return Finding("eligibility", PASS if a.eligible else FAIL, " ".join(a.reasons))


def open_claim_same_program(ctx: _Context) -> Finding:
    numbers = ctx.other_open_claims
    if numbers:
        return Finding(
            "open_claim", FAIL, _("Ada klaim lain yang masih diproses: %(n)s.") % {"n": ", ".join(numbers)}
        )
    return Finding("open_claim", PASS, _("Tidak ada klaim lain yang masih diproses untuk program ini."))


def not_deceased(ctx: _Context) -> Finding:
    c = ctx.claim
    p = c.participant
    if c.reason in (Reason.DEATH, Reason.ACCIDENT_DEATH):
        if p.deceased_on is None:
            return Finding("deceased", FAIL, _("Klaim kematian, tetapi peserta tidak tercatat meninggal."))
        return Finding("deceased", PASS, _("Peserta tercatat meninggal pada %(d)s.") % {"d": p.deceased_on})
    if p.deceased_on is not None or p.status == "deceased":
        return Finding(
            "deceased", FAIL, _("Peserta tercatat meninggal dunia; hanya ahli waris yang dapat mengklaim.")
        )
    return Finding("deceased", PASS, _("Peserta tidak tercatat meninggal."))


def bank_account_shared(ctx: _Context) -> Finding:
    account = ctx.payout_account
    if account is None:
        return Finding("bank_account", WARN, _("Rekening bank belum diisi."))
    shared = ctx.account_shared_with
    if shared:
        return Finding(
            "bank_account",
            FAIL,
            _("Rekening ini juga dipakai pada klaim orang lain: %(n)s. Periksa kemungkinan penyalahgunaan.")
            % {"n": ", ".join(shared)},
        )
    if account.name_match < 100:
        return Finding(
            "bank_account",
            WARN,
            _("Nama pemilik rekening mirip (%(s)d%%), tidak sama persis.") % {"s": account.name_match},
        )
    return Finding("bank_account", PASS, _("Rekening atas nama pengaju dan tidak dipakai orang lain."))


def document_reused(ctx: _Context) -> Finding:
    reused = ctx.documents_reused_in
    if reused:
        return Finding(
            "document_reused",
            FAIL,
            _("Berkas yang sama persis ada di klaim orang lain: %(n)s.") % {"n": ", ".join(reused)},
        )
    return Finding("document_reused", PASS, _("Tidak ada berkas yang sama di klaim orang lain."))


def npwp_present(ctx: _Context) -> Finding:
    required = any(code == "npwp" for code, _label in ctx.assessment.documents)
    if not required:
        return Finding("npwp", PASS, _("NPWP tidak diwajibkan untuk klaim ini."))
    if "npwp" in ctx.uploaded_kinds:
        return Finding("npwp", PASS, _("NPWP diwajibkan dan sudah diunggah."))
    return Finding("npwp", FAIL, _("NPWP diwajibkan (saldo di atas batas) tetapi belum diunggah."))


def documents_complete(ctx: _Context) -> Finding:
    missing = [code for code, _label in ctx.assessment.documents if code not in ctx.uploaded_kinds]
    if missing:
        labels = ", ".join(document_label(code) for code in missing)
        return Finding("documents", FAIL, _("Dokumen belum lengkap: %(list)s.") % {"list": labels})
    return Finding("documents", PASS, _("Semua dokumen yang diwajibkan sudah diunggah."))


CHECKS: list[Callable[[_Context], Finding]] = [
    nik_format, registry_match, eligibility, open_claim_same_program, not_deceased, bank_account_shared,
    document_reused, npwp_present, documents_complete,
]  # fmt: skip


def compute_findings(claim: Claim) -> list[Finding]:
    """The findings of one claim: the set of one, so only the facts its checks ask for are read."""
    return _run_checks(_Context(claim, ClaimFacts([claim])))


def _run_checks(ctx: _Context) -> list[Finding]:
    return [check(ctx) for check in CHECKS]


def recompute_findings(claim: Claim) -> list[Finding]:
    # Stored as text for the officers: in the office's language, whoever's request set them off (a
    # participant reading English, an employer's inline list).
    with translation.override(settings.LANGUAGE_CODE):
        findings = compute_findings(claim)
    with transaction.atomic():
        _replace_findings({claim.pk: findings})
    return findings


def recompute_findings_for(claim_ids: Sequence[int]) -> dict[int, list[Finding]]:
    """:func:`recompute_findings` for many claims at once, in a number of queries that does not grow with them.

    Also fills ``amount_claimed`` from the rules, as ``submit_claim`` does for an online claim, where the
    claim has none and the registry holds what the estimate needs. Joins the caller's transaction.
    The ids are bound as query parameters: keep a call to one list (SQLite binds at most 32,766).
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):  # as recompute_findings
        claims = list(
            Claim.objects.filter(pk__in=claim_ids).select_related("participant", "heir", "branch", "claimant")
        )
        estimator = memoised_estimate()
        facts = ClaimFacts(claims, estimator=estimator)
        contexts = [_Context(claim, facts) for claim in claims]
        # The rules estimate per claim: the distinct cases of the whole call in one estimate_many.
        estimator.prime(case for ctx in contexts if (case := ctx.rules_case) is not None)
        findings = {ctx.claim.pk: _run_checks(ctx) for ctx in contexts}
        _replace_findings(findings)
        _fill_amounts_claimed(
            {
                ctx.claim.pk: ctx.assessment.total
                for ctx in contexts
                if ctx.claim.amount_claimed is None and not ctx.assessment.problem
            }
        )
    return findings


def _replace_findings(findings: dict[int, list[Finding]]) -> None:
    # Written as plain tuples (COPY on PostgreSQL): 9 findings a claim made model instances the
    # larger part of a 10,000-claim collective list's cost.
    ClaimFinding.objects.filter(claim_id__in=list(findings)).delete()
    now = bulk.datetime_value(timezone.now())
    bulk.insert(
        ClaimFinding,
        FINDING_FIELDS,
        [
            (claim_id, f.code, f.level, f.message, now)
            for claim_id, claim_findings in findings.items()
            for f in claim_findings
        ],
    )


def _fill_amounts_claimed(totals: dict[int, int]) -> None:
    """The rules' gross estimate where the claim has none; an amount someone set meanwhile stays."""
    bulk.fill_null(Claim, "amount_claimed", totals)
