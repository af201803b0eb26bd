"""Forms of the public "Perkiraan manfaat" page: one per program, each building a case for
``rules.estimate`` and putting the rules' errors back on the field the participant typed.

Field names are the case's field names wherever one field maps to one input, so an error naming
``death_date`` lands on ``death_date``. Lists are flattened for a page without JavaScript: two
children (``child_1_birth_date`` …), one amount per transport mode, JP wages as lines of text.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import Reason
from lapakasik.rules import reasons
from lapakasik.rules.api import EstimateResult, estimate
from lapakasik.rules.errors import RulesInputError
from lapakasik.rules.params import load_parameters

PROGRAMS = [
    ("JHT", _("Jaminan Hari Tua (JHT)")),
    ("JKK", _("Jaminan Kecelakaan Kerja (JKK)")),
    ("JKM", _("Jaminan Kematian (JKM)")),
    ("JP", _("Jaminan Pensiun (JP)")),
    ("JKP", _("Jaminan Kehilangan Pekerjaan (JKP)")),
]
CHILDREN = 2  # PP 82/2019 pays scholarships for two children; more inputs would only confuse
MAX_WAGE_LINES = 600  # JP counts at most 600 contribution months
_RUPIAH = re.compile(r"^(\d{1,3}([.,]\d{3})+|\d+)$")
_WAGE_LINE = re.compile(r"^(?P<month>\S+)\s+(?P<amount>.+)$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def english() -> bool:
    return (get_language() or "id").startswith("en")


class ProgramForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), choices=PROGRAMS)


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's date picker sends YYYY-MM-DD in every language

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class RupiahField(forms.IntegerField):
    """Whole rupiah, typed as 4500000, 4.500.000 or Rp 4.500.000."""

    default_error_messages = {"invalid": _("Tulis nominal dalam rupiah tanpa sen, misalnya 4.500.000.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = re.sub(r"^rp\.?", "", str(value or "").strip().lower()).strip()
        if text in self.empty_values:
            return None
        if not _RUPIAH.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"[.,]", "", text))


def date_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def months_field(label: Any, required: bool = True, max_value: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=max_value)


def heir_is_spouse_field() -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=_("Ahli waris adalah suami/istri peserta?"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Belum tahu")), ("true", _("Ya")), ("false", _("Tidak"))]),
        help_text=_("Menentukan apakah buku nikah perlu dilampirkan."),
    )


class EstimateForm(forms.Form):
    """Turns cleaned data into a case; ``result()`` computes it or files the rules' error on a field."""

    program: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # case path (``children.0``) → (form field, message prefix), filled while building the case
        self.error_paths: dict[str, tuple[str, str]] = {}

    def case(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return {"program": self.program, **data}

    def result(self) -> EstimateResult | None:
        """The estimate, or None with the errors added to the form (``is_valid()`` must be true)."""
        try:
            return EstimateResult.model_validate(estimate(self.case()))
        except RulesInputError as error:
            for problem in getattr(error, "details", None) or [error.as_dict()]:
                self._add_rules_error(problem)
            return None

    def _add_rules_error(self, problem: dict[str, str]) -> None:
        field, prefix = self._form_field(problem["field"])
        message = prefix + (problem["message_en"] if english() else problem["message_id"])
        if field is not None and field in self.errors:
            return  # the first problem of a field is enough to correct it
        self.add_error(field, message)

    def _form_field(self, path: str) -> tuple[str | None, str]:
        """The input behind a case path such as ``children.0.birth_date`` or ``wages.3.month``."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in self.error_paths:
                return self.error_paths[".".join(parts[:end])]
        return (parts[0] if parts[0] in self.fields else None), ""


class ChildrenMixin:
    """Up to two children (birth date + school level), for JKM and JKK death scholarships."""

    def add_children_fields(self: Any) -> None:
        for number in range(1, CHILDREN + 1):
            self.fields[f"child_{number}_birth_date"] = date_field(
                _("Tanggal lahir anak ke-%(n)s") % {"n": number}, required=False
            )
            self.fields[f"child_{number}_level"] = forms.ChoiceField(
                label=_("Jenjang pendidikan anak ke-%(n)s") % {"n": number}, required=False, choices=LEVELS
            )

    def children_case(self: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        children: list[dict[str, Any]] = []
        for number in range(1, CHILDREN + 1):
            birth_date = data.pop(f"child_{number}_birth_date", None)
            level = data.pop(f"child_{number}_level", None)
            if birth_date is None:
                continue
            index = len(children)
            self.error_paths[f"children.{index}"] = (f"child_{number}_birth_date", "")
            self.error_paths[f"children.{index}.level"] = (f"child_{number}_level", "")
            children.append({"birth_date": birth_date, "level": level})
        return children

    def clean_children(self: Any) -> None:
        for number in range(1, CHILDREN + 1):
            birth_date = self.cleaned_data.get(f"child_{number}_birth_date")
            level = self.cleaned_data.get(f"child_{number}_level")
            if birth_date and not level:
                self.add_error(f"child_{number}_level", _("Pilih jenjang pendidikan anak ini."))
            if level and not birth_date and f"child_{number}_birth_date" not in self.errors:
                self.add_error(f"child_{number}_birth_date", _("Isi tanggal lahir anak ini."))


LEVELS = [
    ("", "—"),
    ("belum_sekolah", _("Belum sekolah")),
    ("tk", _("TK")),
    ("sd", _("SD")),
    ("smp", _("SMP")),
    ("sma", _("SMA/SMK")),
    ("pt", _("Perguruan tinggi atau pelatihan")),
]


class JhtForm(EstimateForm):
    program = "JHT"

    reason = forms.ChoiceField(
        label=_("Alasan klaim"),
        # The one vocabulary and its labels: the same codes and words as a claim (claims.models.Reason).
        choices=[(code, Reason(code).label) for code in reasons.JHT_REASONS],
    )
    claim_date = date_field(_("Tanggal pengajuan klaim"))
    separation_date = date_field(
        _("Tanggal berhenti bekerja"),
        required=False,
        help_text=_("Untuk pengunduran diri, PHK dan kontrak berakhir."),
    )
    balance = RupiahField(
        label=_("Saldo JHT (Rp)"), required=False, help_text=_("Lihat di aplikasi JMO atau kartu saldo.")
    )
    birth_date = date_field(_("Tanggal lahir peserta"), required=False)
    membership_start = date_field(_("Tanggal mulai menjadi peserta"), required=False)
    company_retirement_age = forms.IntegerField(
        label=_("Usia pensiun menurut peraturan perusahaan"), required=False, min_value=40, max_value=70
    )
    partial_claimed_before = forms.BooleanField(
        label=_("Pernah mengambil klaim sebagian JHT"), required=False
    )
    foreign_national = forms.BooleanField(label=_("Peserta warga negara asing"), required=False)
    heir_is_spouse = heir_is_spouse_field()


class JkmForm(ChildrenMixin, EstimateForm):
    program = "JKM"

    death_date = date_field(_("Tanggal meninggal dunia"))
    contribution_months = months_field(_("Lama kepesertaan (bulan iuran)"))
    membership_active = forms.BooleanField(
        label=_("Masih aktif membayar iuran saat meninggal"), required=False, initial=True
    )
    claim_date = date_field(_("Tanggal pengajuan klaim"), required=False)
    heir_is_spouse = heir_is_spouse_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_children_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_children()
        return cleaned

    def case(self) -> dict[str, Any]:
        case = super().case()
        case["children"] = self.children_case(case)
        return case


class JkkForm(ChildrenMixin, EstimateForm):
    program = "JKK"
    TRANSPORT = (
        ("land", _("Transportasi darat (Rp)")),
        ("sea", _("Transportasi laut (Rp)")),
        ("air", _("Transportasi udara (Rp)")),
    )

    benefit = forms.ChoiceField(
        label=_("Manfaat yang diperkirakan"),
        choices=[
            ("stmb", _("Santunan sementara tidak mampu bekerja (STMB)")),
            ("partial_disability", _("Cacat sebagian")),
            ("total_disability", _("Cacat total tetap")),
            ("death", _("Meninggal dunia akibat kecelakaan kerja")),
        ],
    )
    accident_date = date_field(_("Tanggal kecelakaan"))
    monthly_wage = RupiahField(label=_("Upah sebulan yang dilaporkan (Rp)"))
    incapacity_days = forms.IntegerField(
        label=_("Jumlah hari tidak mampu bekerja"),
        required=False,
        min_value=0,
        max_value=36500,
        help_text=_("Untuk STMB."),
    )
    disability_item = forms.ChoiceField(label=_("Jenis cacat (tabel)"), required=False)
    left_handed = forms.BooleanField(
        label=_("Peserta kidal"),
        required=False,
        help_text=_("Untuk peserta kidal, persentase tangan/lengan kanan dan kiri dipertukarkan."),
    )
    disability_percent = forms.DecimalField(
        label=_("Persentase cacat menurut dokter (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Isi jika cacat tidak ada di tabel."),
    )
    claim_date = date_field(_("Tanggal pengajuan klaim"), required=False)
    contribution_months = months_field(_("Lama kepesertaan (bulan iuran)"), required=False)
    heir_is_spouse = heir_is_spouse_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disability_item"].choices = [("", "—"), *disability_items()]  # type: ignore[attr-defined]
        for mode, label in self.TRANSPORT:
            self.fields[f"transport_{mode}"] = RupiahField(label=label, required=False)
        self.add_children_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_children()
        return cleaned

    def case(self) -> dict[str, Any]:
        case = super().case()
        transport: list[dict[str, Any]] = []
        for mode, _label in self.TRANSPORT:
            amount = case.pop(f"transport_{mode}", None)
            if amount is not None:
                self.error_paths[f"transport.{len(transport)}"] = (f"transport_{mode}", "")
                transport.append({"mode": mode, "amount": amount})
        case["transport"] = transport
        case["children"] = self.children_case(case)
        return case


def disability_items() -> list[tuple[str, str]]:
    """The anatomical table's entries, labelled in the page's language (latest recorded table)."""
    table = load_parameters()["jkk.disability_table"].periods[-1].value
    key = "label_en" if english() else "label_id"
    return [(code, f"{entry[key]} ({entry['percent']}%)") for code, entry in table.items()]


class JpForm(EstimateForm):
    program = "JP"

    event = forms.ChoiceField(
        label=_("Peristiwa"),
        choices=[
            ("old_age", _("Mencapai usia pensiun")),
            ("death", _("Peserta meninggal dunia")),
            ("disability", _("Cacat total tetap")),
        ],
    )
    event_date = date_field(_("Tanggal peristiwa"))
    contribution_months = months_field(_("Lama iuran JP (bulan)"), max_value=600)
    birth_date = date_field(
        _("Tanggal lahir peserta"), required=False, help_text=_("Untuk pensiun hari tua.")
    )
    membership_start = date_field(_("Tanggal mulai menjadi peserta JP"), required=False)
    beneficiary = forms.ChoiceField(
        label=_("Penerima manfaat (jika peserta meninggal)"),
        choices=[("spouse", _("Janda/duda")), ("child", _("Anak")), ("parent", _("Orang tua"))],
    )
    wages = forms.CharField(
        label=_("Upah per bulan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2019-03 4500000\n2019-04 4500000"}),
        help_text=_("Satu bulan per baris: bulan (YYYY-MM), spasi, upah dalam rupiah."),
    )
    balance = RupiahField(label=_("Saldo JP (Rp)"), required=False, help_text=_("Jika diketahui."))
    claim_date = date_field(_("Tanggal pengajuan klaim"), required=False)
    heir_is_spouse = heir_is_spouse_field()

    def clean_wages(self) -> list[dict[str, Any]]:
        lines = [(n, line.strip()) for n, line in enumerate(self.cleaned_data["wages"].splitlines(), 1)]
        lines = [(n, line) for n, line in lines if line]
        if len(lines) > MAX_WAGE_LINES:
            raise forms.ValidationError(_("Paling banyak %(max)s baris.") % {"max": MAX_WAGE_LINES})
        wages, errors, seen = [], [], set()
        for number, line in lines:
            wage, error = parse_wage_line(line)
            if error is None and wage["month"] in seen:
                error = _("bulan ini sudah ditulis di baris lain.")
            if error is not None:
                errors.append(_("Baris %(n)s: %(error)s") % {"n": number, "error": error})
                continue
            seen.add(wage["month"])
            wages.append({**wage, "line": number})
        if errors:
            raise forms.ValidationError(errors)
        return wages

    def case(self) -> dict[str, Any]:
        case = super().case()
        wages = case.pop("wages", [])
        for index, wage in enumerate(wages):
            self.error_paths[f"wages.{index}"] = ("wages", str(_("Baris %(n)s: ") % {"n": wage["line"]}))
        case["wages"] = [{"month": wage["month"], "wage": wage["wage"]} for wage in wages]
        return case


def parse_wage_line(line: str) -> tuple[dict[str, Any], Any]:
    """``"2019-03 4.500.000"`` → ({"month": "2019-03", "wage": 4500000}, None), or ({}, the reason)."""
    match = _WAGE_LINE.match(line)
    if not match:
        return {}, _("tulis bulan dan upah dipisah spasi, misalnya 2019-03 4500000.")
    if not _MONTH.match(match["month"]):
        return {}, _("bulan harus berformat YYYY-MM, misalnya 2019-03.")
    amount = re.sub(r"^rp\.?", "", match["amount"].lower()).strip()
    if not _RUPIAH.match(amount):
        return {}, _("upah harus nominal rupiah tanpa sen, misalnya 4500000.")
    return {"month": match["month"], "wage": int(re.sub(r"[.,]", "", amount))}, None


class JkpForm(EstimateForm):
    program = "JKP"

    reason = forms.ChoiceField(
        label=_("Alasan berhenti bekerja"),
        choices=[
            (code, Reason(code).label) for code in reasons.JHT_REASONS if code not in reasons.PARTIAL_REASONS
        ],
        initial=reasons.PHK,
        help_text=_("JKP hanya dibayar karena pemutusan hubungan kerja (PHK)."),
    )
    termination_date = date_field(_("Tanggal PHK"))
    monthly_wage = RupiahField(label=_("Upah terakhir yang dilaporkan (Rp)"))
    contribution_months_last_24 = months_field(_("Bulan iuran dalam 24 bulan terakhir"), max_value=24)
    consecutive_months = months_field(_("Bulan iuran berturut-turut sebelum PHK"), max_value=24)
    registered_age = forms.IntegerField(
        label=_("Usia saat terdaftar JKP"), required=False, min_value=0, max_value=120
    )


PROGRAM_FORMS: dict[str, type[EstimateForm]] = {
    "JHT": JhtForm,
    "JKK": JkkForm,
    "JKM": JkmForm,
    "JP": JpForm,
    "JKP": JkpForm,
}
