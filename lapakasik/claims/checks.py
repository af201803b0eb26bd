"""Data-validity checks: one finding per check, each with a stable code, a level and a message.

Officers read these beside the documents; nothing here decides a claim. Findings are recomputed
(:func:`recompute_findings`) whenever an input changes: start, a document, the bank account, submit.
Each check is a small function of the claim; a check that cannot tell yet says ``warn``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from lapakasik.lib.dates import today_at
from lapakasik.lib.identifiers import check_nik

from .cases import Assessment, assess, document_label
from .models import OPEN_STATUSES, Claim, ClaimDocument, ClaimFinding, FindingLevel, PayoutAccount, Reason

PASS, WARN, FAIL = FindingLevel.PASS, FindingLevel.WARN, FindingLevel.FAIL


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message: str


class _Context:
    """What several checks share, computed once per run."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self.on = claim.submitted_on or today_at(claim.branch.time_zone)
        self._assessment: Assessment | None = None

    @property
    def assessment(self) -> Assessment:
        if self._assessment is None:
            c = self.claim
            self._assessment = assess(c.participant, c.program, c.reason, on=self.on, heir=c.heir)
        return self._assessment

    @property
    def uploaded_kinds(self) -> set[str]:
        return set(self.claim.documents.values_list("kind", flat=True))


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
    c = ctx.claim
    others = Claim.objects.filter(
        participant_id=c.participant_id, program=c.program, status__in=OPEN_STATUSES
    ).exclude(pk=c.pk)
    numbers = list(others.values_list("number", flat=True)[:3])
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
    account = PayoutAccount.objects.filter(claim=ctx.claim).first()
    if account is None:
        return Finding("bank_account", WARN, _("Rekening bank belum diisi."))
    shared = (
        PayoutAccount.objects.filter(bank_code=account.bank_code, account_number=account.account_number)
        .exclude(claim__participant_id=ctx.claim.participant_id)
        .values_list("claim__number", flat=True)[:3]
    )
    if shared:
        return Finding("bank_account", FAIL, _("Rekening ini juga dipakai pada klaim orang lain: %(n)s. Periksa "
                                               "kemungkinan penyalahgunaan.") % {"n": ", ".join(shared)})  # fmt: skip
    if account.name_match < 100:
        return Finding("bank_account", WARN, _("Nama pemilik rekening mirip (%(s)d%%), tidak sama persis.")
                       % {"s": account.name_match})  # fmt: skip
    return Finding("bank_account", PASS, _("Rekening atas nama pengaju dan tidak dipakai orang lain."))


def document_reused(ctx: _Context) -> Finding:
    hashes = ctx.claim.documents.values_list("sha256", flat=True)
    reused = (
        ClaimDocument.objects.filter(sha256__in=hashes)
        .exclude(claim__participant_id=ctx.claim.participant_id)
        .values_list("claim__number", flat=True)
        .distinct()[:3]
    )
    if reused:
        return Finding("document_reused", FAIL, _("Berkas yang sama persis ada di klaim orang lain: %(n)s.")
                       % {"n": ", ".join(reused)})  # fmt: skip
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
    ctx = _Context(claim)
    return [check(ctx) for check in CHECKS]


def recompute_findings(claim: Claim) -> list[Finding]:
    findings = compute_findings(claim)
    with transaction.atomic():
        ClaimFinding.objects.filter(claim=claim).delete()
        ClaimFinding.objects.bulk_create(
            [ClaimFinding(claim=claim, code=f.code, level=f.level, message=f.message) for f in findings]
        )
    return findings
