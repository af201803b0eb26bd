"""The registry: regions, branches, employers, participants, their employments and heirs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lapakasik.rules import reasons


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/kota")
    DISTRICT = 3, _("Kecamatan")


class Region(models.Model):
    """A Kemendagri region (Kepmendagri 300.2.2-2138/2025), code in dotted form: "35.19.08"."""

    code = models.CharField(max_length=13, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def regency_code(self) -> str:
        return self.code[:5]


class Branch(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=40, default="Asia/Jakarta")
    address = models.CharField(max_length=255, blank=True)
    # The regional office (kantor wilayah) the branch reports to: the unit of the regional rollup.
    regional_office = models.CharField(_("kantor wilayah"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """The area a branch reports under: Madiun reports Kab. and Kota Madiun together as "Madiun"."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    regencies = models.ManyToManyField(Region, related_name="service_areas")

    class Meta:
        ordering = ["branch", "position"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="area_name_unique_in_branch")]

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    npp = models.CharField(_("NPP"), max_length=30, unique=True)  # format undocumented: opaque
    name = models.CharField(_("nama perusahaan"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="employers")

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    INACTIVE = "inactive", _("Nonaktif")
    DECEASED = "deceased", _("Meninggal")


class Participant(models.Model):
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kpj = models.CharField(_("nomor KPJ"), max_length=11, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    mother_maiden_name = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("wilayah alamat"))
    status = models.CharField(
        max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.ACTIVE
    )
    deceased_on = models.DateField(_("tanggal meninggal"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.kpj})"


class EndReason(models.TextChoices):
    """Why an employment ended: codes of the one claim-reason vocabulary (``lapakasik.rules.reasons``)."""

    RESIGN = reasons.RESIGN, _("Mengundurkan diri")
    PHK = reasons.PHK, _("Pemutusan hubungan kerja (PHK)")
    END_OF_CONTRACT = reasons.END_OF_CONTRACT, _("Kontrak (PKWT) berakhir")
    RETIREMENT_AGE = reasons.RETIREMENT_AGE, _("Pensiun")
    DEATH = reasons.DEATH, _("Meninggal dunia")


class Employment(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="employments")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employments")
    start = models.DateField(_("mulai bekerja"))
    end = models.DateField(_("berhenti bekerja"), null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    # The last monthly wage the employer reported for this employment (whole rupiah): the JKP cash benefit
    # is a share of it (PP 37/2021 ps. 21). Unknown (None) for most history; the officer then computes JKP.
    reported_wage = models.BigIntegerField(_("upah terakhir yang dilaporkan"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="employment_ends_after_start",
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.employer_id} {self.start}–{self.end or ''}"


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    OTHER = "other", _("Lainnya")


class Heir(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="heirs")
    nik = models.CharField(_("NIK"), max_length=16)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    relationship = models.CharField(_("hubungan"), max_length=10, choices=Relationship.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(max_length=1, choices=Sex.choices)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "nik"], name="heir_once_per_participant")
        ]
        # The console's search by an heir's NIK (claims.queries.search_condition); the name's trigram index
        # (PostgreSQL only) is made by migration 0007.
        indexes = [models.Index(fields=["nik"], name="heir_nik_idx")]

    def __str__(self) -> str:
        return self.full_name
