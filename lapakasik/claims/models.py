"""Claims and their audit trail."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapakasik.lib.codes import UNAMBIGUOUS_ALPHABET, random_code
from lapakasik.lib.lifecycle import AuditEvent
from lapakasik.rules import reasons


class Program(models.TextChoices):
    JHT = "JHT", _("Jaminan Hari Tua (JHT)")
    JKK = "JKK", _("Jaminan Kecelakaan Kerja (JKK)")
    JKM = "JKM", _("Jaminan Kematian (JKM)")
    JP = "JP", _("Jaminan Pensiun (JP)")
    JKP = "JKP", _("Jaminan Kehilangan Pekerjaan (JKP)")


# The order the branch reports in: the four programs of 2020, then JKP (added in 2021).
PROGRAM_ORDER = [Program.JHT, Program.JKM, Program.JKK, Program.JP, Program.JKP]
# A program that began after the service did: its first day (the first ``valid_from`` of its benefit
# parameters; a test keeps the two equal). JKP: PP 37/2021, in force 2 Feb 2021.
PROGRAM_STARTS: dict[str, dt.date] = {Program.JKP: dt.date(2021, 2, 2)}


def programs_reported(date_to: dt.date, *, found: frozenset[str] | set[str] = frozenset()) -> list[Program]:
    """The programs a report for a period ending ``date_to`` lists, in PROGRAM_ORDER.

    A program that had not started by the period's last day has no row (the Madiun 2020 report lists the
    four programs of 2020, as the branch did), unless a claim of it is counted there anyway (``found``):
    a report never hides money.
    """
    return [p for p in PROGRAM_ORDER if PROGRAM_STARTS.get(p, date_to) <= date_to or p in found]


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring")
    OFFLINE = "offline", _("Luring")
    COLLECTIVE = "collective", _("Kolektif")


class Reason(models.TextChoices):
    """The one claim-reason vocabulary (``lapakasik.rules.reasons``, docs/import.md) as model choices.

    The codes come from the rules package, the pure leaf everything may import; the labels are the
    same Indonesian texts, written here as literals so that gettext finds them.
    """

    RESIGN = reasons.RESIGN, _("Mengundurkan diri")
    PHK = reasons.PHK, _("PHK")
    END_OF_CONTRACT = reasons.END_OF_CONTRACT, _("Kontrak berakhir")
    SELF_EMPLOYED_STOP = reasons.SELF_EMPLOYED_STOP, _("Berhenti usaha (BPU)")
    RETIREMENT_AGE = reasons.RETIREMENT_AGE, _("Usia pensiun")
    DEATH = reasons.DEATH, _("Meninggal dunia")
    DISABILITY = reasons.DISABILITY, _("Cacat total tetap")
    LEAVING_INDONESIA = reasons.LEAVING_INDONESIA, _("Meninggalkan Indonesia")
    PARTIAL_10 = reasons.PARTIAL_10, _("Klaim sebagian 10%")
    PARTIAL_30 = reasons.PARTIAL_30, _("Klaim sebagian 30% (perumahan)")
    ACCIDENT = reasons.ACCIDENT, _("Kecelakaan kerja")
    OCCUPATIONAL_DISEASE = reasons.OCCUPATIONAL_DISEASE, _("Penyakit akibat kerja")
    ACCIDENT_DEATH = reasons.ACCIDENT_DEATH, _("Meninggal karena kecelakaan kerja")
    OLD_AGE_LUMP_SUM = reasons.OLD_AGE_LUMP_SUM, _("Manfaat lumsum hari tua")
    OLD_AGE_PENSION = reasons.OLD_AGE_PENSION, _("Pensiun hari tua")


REASONS_BY_PROGRAM = {
    program: {Reason(code) for code in codes}
    for program, codes in reasons.REASONS_BY_PROGRAM.items()
    if program in Program.values
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    IN_VERIFICATION = "in_verification", _("Sedang diverifikasi")
    RETURNED_FOR_DOCUMENTS = "returned_for_documents", _("Dikembalikan: dokumen kurang")
    VERIFIED = "verified", _("Terverifikasi")
    APPROVED = "approved", _("Disetujui")
    PAID = "paid", _("Dibayar")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


# A claim is open while it can still move; paid, rejected and cancelled are final. The moves themselves
# are claims/lifecycle.py's table (a test checks this tuple is the statuses some move leaves).
OPEN_STATUSES: tuple[str, ...] = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_VERIFICATION,
    Status.RETURNED_FOR_DOCUMENTS,
    Status.VERIFIED,
    Status.APPROVED,
)


class ClaimAction(models.TextChoices):
    """Every action the claims app records, named once. A status move's action is the move's name in
    ``claims/lifecycle.py``; the rest record something beside the claim's status (documents, account)."""

    STARTED = "started", _("Klaim dibuat")
    SUBMITTED = "submitted", _("Diajukan")
    CANCELLED = "cancelled", _("Dibatalkan")
    VERIFICATION_STARTED = "verification_started", _("Verifikasi dimulai")
    VERIFIED = "verified", _("Diverifikasi")
    RETURNED = "returned", _("Dikembalikan untuk dokumen")
    REJECTED = "rejected", _("Ditolak")
    APPROVED = "approved", _("Disetujui")
    PAID = "paid", _("Dibayar")
    PAYMENT_FAILED = "payment_failed", _("Transfer gagal")
    SENT_BACK_FOR_RECHECK = "sent_back_for_recheck", _("Dikembalikan ke verifikasi: rekening berubah")
    WAGE_RECORDED = "wage_recorded", _("Upah JKP dicatat petugas")
    SENT_BACK_WAGE_CHANGED = "sent_back_wage_changed", _("Dikembalikan ke verifikasi: upah JKP diubah")
    DOCUMENT_ADDED = "document_added", _("Dokumen diunggah")
    DOCUMENT_REMOVED = "document_removed", _("Dokumen dihapus")
    PAYOUT_ACCOUNT_SAVED = "payout_account_saved", _("Rekening disimpan")
    PAYOUT_ACCOUNT_CHANGED = "payout_account_changed", _("Rekening diubah setelah persetujuan")
    PAYOUT_ACCOUNT_RECHECKED = "payout_account_rechecked", _("Rekening diperiksa ulang")
    FINDING_OVERRIDDEN = "finding_overridden", _("Temuan diabaikan dengan alasan")
    IMPORTED = "imported", _("Diimpor dari data lama")
    SLA_ESCALATED = "sla_escalated", _("Dieskalasi: batas waktu layanan")
    CHILDREN_SAVED = "children_saved", _("Data anak disimpan")


CLAIM_NUMBER_ALPHABET = UNAMBIGUOUS_ALPHABET


def new_claim_number() -> str:
    """ "KLM-" + 10 unambiguous symbols (50 random bits): printable, dictated easily, not sequential."""
    return "KLM-" + random_code(10)


def bookings_served_at(branch_id: int | None):
    """Active bookings (booked, checked in, called) in sessions of this branch: the claims it serves now.

    Since July 2020 a participant may book at any branch; that branch's officers then see the claim and
    take its verification steps, while it still belongs to (and is reported under) its own branch and area.
    """
    from lapakasik.booking.models import ACTIVE, Booking  # booking builds on claims: imported on use

    if branch_id is None:
        return Booking.objects.none()
    return Booking.objects.filter(session__branch_id=branch_id, status__in=ACTIVE)


class ClaimQuerySet(models.QuerySet["Claim"]):
    def served_at(self, branch_id: int | None) -> ClaimQuerySet:
        """Claims with an active booking at this branch (`Exists`: a claim never appears twice)."""
        return self.filter(models.Exists(bookings_served_at(branch_id).filter(claim=models.OuterRef("pk"))))

    def visible_to(self, user) -> ClaimQuerySet:
        """The one place that decides which claims a user may see (object-level access)."""
        if not user.is_authenticated:
            return self.none()
        if sees_own_claims_only(user):
            return self.filter(claimant=user)
        if user.is_admin_role:
            return self
        if user.is_branch_staff:
            # Other branches' claims booked here are few: their ids rather than an EXISTS under the OR, which
            # PostgreSQL can only evaluate row by row, so the branch_id index keeps serving this filter.
            guests = bookings_served_at(user.branch_id).exclude(claim__branch_id=user.branch_id)
            ids = list(guests.values_list("claim_id", flat=True))
            return self.filter(models.Q(branch_id=user.branch_id) | models.Q(pk__in=ids))
        if user.role == "employer_rep" and user.employer_id:
            # The power of attorney covers the collective claims the employer files, nothing else: a
            # worker's own online or counter claim (and its documents and bookings) is not the employer's.
            return self.filter(
                models.Q(employer_id=user.employer_id, channel=Channel.COLLECTIVE) | models.Q(claimant=user)
            )
        return self.filter(claimant=user)


def sees_own_claims_only(user) -> bool:
    """A signed-in participant or heir: ``visible_to`` is the claims whose claimant they are, nothing more.
    A hot read may then filter on ``claimant_id`` itself (booking/queries.py) and stay within this rule."""
    return (
        user.is_authenticated
        and not user.is_admin_role
        and not user.is_branch_staff
        and not (user.role == "employer_rep" and user.employer_id)
    )


class Claim(models.Model):
    number = models.CharField(max_length=20, unique=True, default=new_claim_number)
    program = models.CharField(_("program"), max_length=3, choices=Program.choices)
    reason = models.CharField(_("alasan"), max_length=30, choices=Reason.choices)
    channel = models.CharField(_("kanal"), max_length=12, choices=Channel.choices)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    participant = models.ForeignKey("registry.Participant", on_delete=models.PROTECT, related_name="claims")
    heir = models.ForeignKey("registry.Heir", null=True, blank=True, on_delete=models.PROTECT)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT)
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    # The branch the claim belongs to (scope for staff, sharding key) and the area it is reported
    # under: a participant served at another branch is still counted in their own region.
    branch = models.ForeignKey("registry.Branch", on_delete=models.PROTECT, related_name="claims")
    area = models.ForeignKey("registry.ServiceArea", on_delete=models.PROTECT, related_name="claims")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_on = models.DateField(_("tanggal pengajuan"), null=True, blank=True)
    paid_on = models.DateField(_("tanggal dibayar"), null=True, blank=True)  # bank-confirmed date
    amount_paid = models.BigIntegerField(_("jumlah dibayar"), null=True, blank=True)  # whole rupiah
    amount_claimed = models.BigIntegerField(_("perkiraan manfaat"), null=True, blank=True)  # gross estimate
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_code = models.CharField(max_length=40, blank=True)  # rejection or return reason code
    decision_note = models.TextField(blank=True)
    # JKP: the last monthly wage reported by the employer, entered by an officer when the registry has none
    # (claims.actions.record_jkp_wage; the event keeps the source). Whoever entered it does not approve.
    officer_wage = models.BigIntegerField(_("upah dicatat petugas"), null=True, blank=True)  # whole rupiah
    officer_wage_source = models.CharField(
        max_length=200, blank=True, default="", db_default=""
    )  # bulk inserts
    officer_wage_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set on claims loaded from a legacy system so that importing the same file twice adds nothing.
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["branch", "paid_on", "program", "area"], name="claim_report_idx"),
            models.Index(fields=["branch", "status"], name="claim_queue_idx"),
            models.Index(fields=["participant", "program"], name="claim_participant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="paid_claims_have_date_and_amount",
                condition=~models.Q(status="paid")
                | (models.Q(paid_on__isnull=False) & models.Q(amount_paid__gte=0)),
            )
        ]

    def __str__(self) -> str:
        return self.number


class ClaimEvent(AuditEvent):
    """The audit trail: every change of a claim, who made it, and why. Written only by claims/lifecycle.py
    (and, in bulk beneath it, by the history import and the collective list's chunks, which say so)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=ClaimAction.choices)

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action} {self.from_status}→{self.to_status}"


class PayoutAccountStatus(models.TextChoices):
    """Whether anyone must look at the account again before money goes to it (claims/lifecycle.py)."""

    ENTERED = "entered", _("Diisi sebelum persetujuan")
    RECHECK = "recheck", _("Diubah setelah persetujuan: perlu diperiksa ulang")
    CHECKED = "checked", _("Sudah diperiksa ulang")


class PayoutAccount(models.Model):
    """The bank account a claim is paid to: the participant's own (an heir's own for death claims).

    Intake captures it with a name-similarity check against the claimant; payments pays to it. When a
    transfer fails (e.g. account closed) the claimant or an officer replaces it; a change after approval
    sends the claim back to verification and a second person re-checks it before payments pays again.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="payout_account")
    bank_code = models.CharField(_("bank"), max_length=20)  # e.g. BRI, BNI, MANDIRI, BCA, BSI, BTN
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    holder_name = models.CharField(_("nama pemilik rekening"), max_length=150)
    name_match = models.PositiveSmallIntegerField(default=0)  # 0–100 similarity with the claimant's name
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=10, choices=PayoutAccountStatus.choices, default=PayoutAccountStatus.ENTERED
    )
    # Who last entered or changed it: the one person who may not re-check it (four eyes).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["bank_code", "account_number"], name="payout_account_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.bank_code} …{self.account_number[-4:]}"


def _document_path(instance: ClaimDocument, filename: str) -> str:
    # Never the user's filename: a random name under the claim's branch (no path traversal, no guessing).
    return f"claims/{instance.claim.branch_id}/{secrets.token_hex(16)}{filename[filename.rfind('.') :]}"


class ClaimDocument(models.Model):
    """One uploaded scan, checked and (for images) re-encoded before it is stored."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=40)  # a code of the rules' checklist
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=120, blank=True)  # shown to people, never used as a path
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.kind}"


class SchoolLevel(models.TextChoices):
    """The rules' school levels (``rules.scholarship.LEVELS``) as choices."""

    NOT_YET = "belum_sekolah", _("Belum sekolah")
    TK = "tk", _("TK")
    SD = "sd", _("SD")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    PT = "pt", _("Perguruan tinggi atau pelatihan")


class ClaimChild(models.Model):
    """A child of a deceased participant named on a JKM claim: the scholarship's beneficiaries (issue 14).

    Given by the heir on the claim; the officer checks them against the family card. The rules decide who
    of them is paid (at most two, by birth order) and the yearly schedule.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("nama anak"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir anak"))
    level = models.CharField(_("jenjang pendidikan"), max_length=20, choices=SchoolLevel.choices)

    class Meta:
        ordering = ["birth_date", "id"]

    def __str__(self) -> str:
        return self.name


class FindingLevel(models.TextChoices):
    PASS = "pass", _("Lolos")
    WARN = "warn", _("Perhatian")
    FAIL = "fail", _("Gagal")


class ClaimFinding(models.Model):
    """The result of one data-validity check (claims/checks.py); the set is replaced on each recompute."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(max_length=40)
    level = models.CharField(max_length=4, choices=FindingLevel.choices)
    message = models.TextField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["claim", "code"], name="finding_once_per_claim")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.code}={self.level}"


class JhtBalance(models.Model):
    """The participant's JHT balance as the agency's core system reports it (the estimate reads it).

    The registry holds no contribution history yet; when it does, the estimate can compute the
    balance from contributions instead and this snapshot can go.
    """

    participant = models.OneToOneField("registry.Participant", on_delete=models.CASCADE, related_name="+")
    amount = models.BigIntegerField(_("saldo JHT"))  # whole rupiah
    as_of = models.DateField(_("per tanggal"))

    def __str__(self) -> str:
        return f"{self.participant_id} {self.amount} @ {self.as_of}"
