"""Forms of the public "Perkiraan manfaat" page: one per program, each building a case for
``rules.estimate`` and putting the rules' errors back on the field the participant typed.

The page asks one thing at a time (issue 14): the program, then the case (the claim reason, the JKK
benefit or the JP event), then only the fields that case needs (:data:`EstimateForm.FIELDS_BY_CASE`),
optional ones marked. Field names are the case's field names wherever one field maps to one input, so
an error naming ``death_date`` lands on ``death_date``. Lists are flattened for a page without
JavaScript: two children (``child_1_birth_date`` …), one amount per transport mode, JP wages as a small
table of month + wage rows (a formset; ``static/js/estimate.js`` adds rows, a button does without it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.models import Reason
from lapakasik.lib.idtext import format_day, parse_rupiah
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
MAX_WAGE_ROWS = 600  # JP counts at most 600 contribution months
WAGE_ROWS = 6  # blank rows shown at first; "Tambah baris" adds more
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
_MONTH_SLASH = re.compile(r"^(?P<month>0?[1-9]|1[0-2])[/-](?P<year>\d{4})$")

# Plausible dates (issue 14: a death in 9999 or a birth in 2030 is a typing slip, said on its field).
# Earliest events: the programmes' starts (DOMAIN.md §2): Astek's JHT/JKK/JKM from 1977 (PP 33/1977),
# JP from 1 July 2015 (PP 45/2015), JKP from 2 February 2021 (PP 37/2021).
EARLIEST_BIRTH = dt.date(1930, 1, 1)
PROGRAM_START = {
    "JHT": dt.date(1977, 1, 1),
    "JKK": dt.date(1977, 1, 1),
    "JKM": dt.date(1977, 1, 1),
    "JP": dt.date(2015, 7, 1),
    "JKP": dt.date(2021, 2, 2),
}
CLAIM_DAYS_AHEAD = 366  # a claim date up to a year ahead answers "when could I claim?"


def english() -> bool:
    return (get_language() or "id").startswith("en")


def today() -> dt.date:
    """Today in the office's time zone (settings.TIME_ZONE, Asia/Jakarta): the public page has no branch."""
    return timezone.localdate()


class ProgramForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), choices=PROGRAMS, widget=forms.RadioSelect)


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's date picker sends YYYY-MM-DD in every language

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """A date between ``earliest`` and ``latest`` (``latest`` None: today, read when the form is made)."""

    def __init__(self, *, kind: str = "event", **kwargs: Any) -> None:
        super().__init__(widget=DateInput(), **kwargs)
        self.kind = kind  # birth, event, membership or claim
        self.earliest = EARLIEST_BIRTH
        self.latest = dt.date.max
        self.why_earliest: Any = ""

    def bound(self, earliest: dt.date, latest: dt.date, why_earliest: Any = "") -> None:
        self.earliest, self.latest, self.why_earliest = earliest, latest, why_earliest
        self.widget.attrs.update({"min": earliest.isoformat(), "max": latest.isoformat()})

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        names = {"field": self.label, "date": format_day(value, get_language() or "id")}
        if value < self.earliest:
            names["date"] = format_day(self.earliest, get_language() or "id")
            message = _("%(field)s tidak boleh sebelum %(date)s.") % names
            raise forms.ValidationError(f"{message} {self.why_earliest}".strip(), code="too_early")
        if value > self.latest:
            names["date"] = format_day(self.latest, get_language() or "id")
            if self.kind == "claim":
                raise forms.ValidationError(
                    _("%(field)s paling lambat %(date)s (satu tahun dari hari ini).") % names, code="too_late"
                )
            raise forms.ValidationError(
                _("%(field)s tidak boleh sesudah hari ini (%(date)s).") % names, code="in_future"
            )


class RupiahField(forms.IntegerField):
    """Whole rupiah, typed as 46250000, 46 250 000, 46.250.000, 46,250,000 or Rp46.250.000."""

    default_error_messages = {
        "invalid": _("Tulis nominal dalam rupiah tanpa sen, misalnya 46.250.000 atau 46 250 000.")
    }

    def __init__(self, **kwargs: Any) -> None:
        widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(min_value=0, widget=widget, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}  # no min/step: they belong to a number input, and this is text with a number pad

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if text in self.empty_values:
            return None
        try:
            return parse_rupiah(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class CountField(forms.IntegerField):
    """A whole count typed on the number pad (GOV.UK: a text input with inputmode, not type=number)."""

    def __init__(self, **kwargs: Any) -> None:
        widget = forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"})
        super().__init__(widget=widget, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}


def date_field(
    label: Any, required: bool = True, help_text: Any = "", kind: str = "event"
) -> BoundedDateField:
    return BoundedDateField(label=label, required=required, help_text=help_text, kind=kind)


def months_field(label: Any, required: bool = True, max_value: int | None = None) -> forms.IntegerField:
    return CountField(label=label, required=required, min_value=0, max_value=max_value)


def heir_is_spouse_field() -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=_("Ahli waris adalah suami/istri peserta?"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Belum tahu")), ("true", _("Ya")), ("false", _("Tidak"))]),
        help_text=_("Menentukan apakah buku nikah perlu dilampirkan."),
    )


class EstimateForm(forms.Form):
    """Turns cleaned data into a case; ``result()`` computes it or files the rules' error on a field.

    A program with several cases names the case's field (``CASE_FIELD``) and its choices (``CASES``);
    the case is chosen on the step before and the form keeps only ``FIELDS_BY_CASE[case]``.
    """

    program: str
    CASE_FIELD: str | None = None
    CASES: list[tuple[str, Any]] = []
    FIELDS_BY_CASE: dict[str, tuple[str, ...]] = {}
    LABELS_BY_CASE: dict[str, dict[str, Any]] = {}  # a field's label where the case changes its meaning

    def __init__(self, *args: Any, case: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_code = case
        self.add_fields()
        if self.CASE_FIELD:
            keep = self.FIELDS_BY_CASE.get(case or "")
            for name in list(self.fields):
                if name == self.CASE_FIELD or (keep is not None and name not in keep):
                    del self.fields[name]
            for name, label in self.LABELS_BY_CASE.get(case or "", {}).items():
                self.fields[name].label = label
        self.bound_dates()
        # case path (``children.0``) → (form field, message prefix), filled while building the case
        self.error_paths: dict[str, tuple[str | None, str]] = {}

    def add_fields(self) -> None:
        """Fields made per form (children, transport modes)."""

    def bound_dates(self) -> None:
        now, start = today(), PROGRAM_START[self.program]
        why = _("(%(program)s dimulai %(date)s.)") % {
            "program": self.program,
            "date": format_day(start, get_language() or "id"),
        }
        for field in self.fields.values():
            if not isinstance(field, BoundedDateField):
                continue
            if field.kind == "birth":
                field.bound(EARLIEST_BIRTH, now)
            elif field.kind == "claim":
                field.bound(start, now + dt.timedelta(days=CLAIM_DAYS_AHEAD), why)
            else:
                field.bound(start, now, why)

    @classmethod
    def case_label(cls, case: str) -> Any:
        return dict(cls.CASES).get(case)

    def case(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        if self.CASE_FIELD:
            data[self.CASE_FIELD] = self.case_code
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
                _("Tanggal lahir anak ke-%(n)s") % {"n": number}, required=False, kind="birth"
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
            if f"child_{number}_birth_date" not in self.fields:
                return
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
JHT_SEPARATIONS = (reasons.RESIGN, reasons.PHK, reasons.END_OF_CONTRACT, reasons.SELF_EMPLOYED_STOP)
JHT_COMMON = ("claim_date", "balance", "partial_claimed_before", "foreign_national")


class JhtForm(EstimateForm):
    program = "JHT"
    CASE_FIELD = "reason"
    # The one vocabulary and its labels: the same codes and words as a claim (claims.models.Reason).
    CASES = [(code, Reason(code).label) for code in reasons.JHT_REASONS]
    FIELDS_BY_CASE = {
        **dict.fromkeys(JHT_SEPARATIONS, ("separation_date", *JHT_COMMON)),
        reasons.RETIREMENT_AGE: ("birth_date", "company_retirement_age", *JHT_COMMON),
        reasons.DEATH: ("separation_date", *JHT_COMMON, "heir_is_spouse"),
        reasons.DISABILITY: ("separation_date", *JHT_COMMON),
        reasons.LEAVING_INDONESIA: ("separation_date", *JHT_COMMON),
        reasons.PARTIAL_10: ("membership_start", *JHT_COMMON),
        reasons.PARTIAL_30: ("membership_start", *JHT_COMMON),
    }
    LABELS_BY_CASE = {
        reasons.DEATH: {"separation_date": _("Tanggal meninggal dunia")},
        reasons.DISABILITY: {"separation_date": _("Tanggal ditetapkan cacat total tetap")},
        reasons.LEAVING_INDONESIA: {"separation_date": _("Tanggal meninggalkan Indonesia")},
    }

    reason = forms.ChoiceField(label=_("Alasan klaim"), choices=CASES)
    separation_date = date_field(_("Tanggal berhenti bekerja"))
    claim_date = date_field(
        _("Tanggal pengajuan klaim"), required=False, kind="claim", help_text=_("Kosongkan untuk hari ini.")
    )
    balance = RupiahField(label=_("Saldo JHT (Rp)"), help_text=_("Lihat di aplikasi JMO atau kartu saldo."))
    birth_date = date_field(_("Tanggal lahir peserta"), kind="birth")
    membership_start = date_field(_("Tanggal mulai menjadi peserta"), kind="membership")
    company_retirement_age = CountField(
        label=_("Usia pensiun menurut peraturan perusahaan"), required=False, min_value=40, max_value=70
    )
    partial_claimed_before = forms.BooleanField(
        label=_("Pernah mengambil klaim sebagian JHT"), required=False
    )
    foreign_national = forms.BooleanField(label=_("Peserta warga negara asing"), required=False)
    heir_is_spouse = heir_is_spouse_field()

    def case(self) -> dict[str, Any]:
        case = super().case()
        case.setdefault("claim_date", today())  # the rules need one; empty means "if I claim today"
        return case


class JkmForm(ChildrenMixin, EstimateForm):
    program = "JKM"

    death_date = date_field(_("Tanggal meninggal dunia"))
    contribution_months = months_field(_("Lama kepesertaan (bulan iuran)"))
    membership_active = forms.BooleanField(
        label=_("Masih aktif membayar iuran saat meninggal"), required=False, initial=True
    )
    claim_date = date_field(_("Tanggal pengajuan klaim"), required=False, kind="claim")
    heir_is_spouse = heir_is_spouse_field()

    def add_fields(self) -> None:
        self.add_children_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_children()
        return cleaned

    def case(self) -> dict[str, Any]:
        case = super().case()
        case["children"] = self.children_case(case)
        return case


JKK_TRANSPORT = ("transport_land", "transport_sea", "transport_air")
JKK_COMMON = ("accident_date", "monthly_wage", *JKK_TRANSPORT, "claim_date")
JKK_CHILDREN = tuple(f"child_{n}_{part}" for n in range(1, CHILDREN + 1) for part in ("birth_date", "level"))


class JkkForm(ChildrenMixin, EstimateForm):
    program = "JKK"
    CASE_FIELD = "benefit"
    CASES = [
        ("stmb", _("Santunan sementara tidak mampu bekerja (STMB)")),
        ("partial_disability", _("Cacat sebagian")),
        ("total_disability", _("Cacat total tetap")),
        ("death", _("Meninggal dunia akibat kecelakaan kerja")),
    ]
    FIELDS_BY_CASE = {
        "stmb": ("accident_date", "monthly_wage", "incapacity_days", *JKK_TRANSPORT, "claim_date"),
        "partial_disability": (
            *JKK_COMMON[:2], "disability_item", "left_handed", "disability_percent", *JKK_COMMON[2:]
        ),
        "total_disability": JKK_COMMON,
        "death": (*JKK_COMMON, "contribution_months", "heir_is_spouse", *JKK_CHILDREN),
    }  # fmt: skip
    TRANSPORT = (
        ("land", _("Transportasi darat (Rp)")),
        ("sea", _("Transportasi laut (Rp)")),
        ("air", _("Transportasi udara (Rp)")),
    )

    benefit = forms.ChoiceField(label=_("Manfaat yang diperkirakan"), choices=CASES)
    accident_date = date_field(_("Tanggal kecelakaan"))
    monthly_wage = RupiahField(label=_("Upah sebulan yang dilaporkan (Rp)"))
    incapacity_days = CountField(
        label=_("Jumlah hari tidak mampu bekerja"), min_value=0, max_value=36500, required=True
    )
    disability_item = forms.ChoiceField(
        label=_("Jenis cacat (tabel)"),
        required=False,
        help_text=_("Atau isi persentase dari dokter di bawah."),
    )
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
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Isi jika cacat tidak ada di tabel."),
    )
    claim_date = date_field(_("Tanggal pengajuan klaim"), required=False, kind="claim")
    contribution_months = months_field(_("Lama kepesertaan (bulan iuran)"), required=False)
    heir_is_spouse = heir_is_spouse_field()

    def add_fields(self) -> None:
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


class MonthField(forms.CharField):
    """A month as the browser's month picker sends it (2019-03), or typed as 03/2019."""

    def __init__(self, **kwargs: Any) -> None:
        widget = forms.TextInput(attrs={"type": "month", "autocomplete": "off", "placeholder": "2019-03"})
        super().__init__(widget=widget, **kwargs)

    def to_python(self, value: Any) -> str:
        text = (super().to_python(value) or "").strip()
        if not text:
            return ""
        match = _MONTH.match(text) or _MONTH_SLASH.match(text)
        if not match:
            raise forms.ValidationError(_("Tulis bulan seperti 2019-03."), code="invalid")
        return f"{int(match['year']):04d}-{int(match['month']):02d}"


class WageRowForm(forms.Form):
    month = MonthField(label=_("Bulan"), required=False)
    wage = RupiahField(label=_("Upah (Rp)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        month, wage = cleaned.get("month"), cleaned.get("wage")
        if month and wage is None and "wage" not in self.errors:
            self.add_error("wage", _("Isi upah bulan ini."))
        if wage is not None and not month and "month" not in self.errors:
            self.add_error("month", _("Isi bulan upah ini."))
        if month:
            first, this = PROGRAM_START["JP"].strftime("%Y-%m"), today().strftime("%Y-%m")
            if not first <= month <= this:
                self.add_error("month", _("Bulan harus antara 2015-07 (awal JP) dan bulan ini."))
        return cleaned


class BaseWageFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            month = form.cleaned_data.get("month")
            if month and month in seen:
                form.add_error("month", _("Bulan ini sudah ditulis di baris lain."))
            seen.add(month or "")


WageFormSet = forms.formset_factory(
    WageRowForm,
    formset=BaseWageFormSet,
    extra=WAGE_ROWS,
    max_num=MAX_WAGE_ROWS,
    absolute_max=MAX_WAGE_ROWS,
    validate_max=True,
)
WAGES_PREFIX = "upah"
JP_COMMON = ("event_date", "contribution_months", "membership_start", "balance", "claim_date")


class JpForm(EstimateForm):
    program = "JP"
    CASE_FIELD = "event"
    CASES = [
        ("old_age", _("Mencapai usia pensiun")),
        ("death", _("Peserta meninggal dunia")),
        ("disability", _("Cacat total tetap")),
    ]
    FIELDS_BY_CASE = {
        "old_age": (*JP_COMMON[:2], "birth_date", *JP_COMMON[2:]),
        "death": (*JP_COMMON[:2], "birth_date", "beneficiary", *JP_COMMON[2:], "heir_is_spouse"),
        "disability": JP_COMMON,
    }
    LABELS_BY_CASE = {
        "old_age": {"event_date": _("Tanggal mencapai usia pensiun")},
        "death": {
            "event_date": _("Tanggal meninggal dunia"),
        },
        "disability": {"event_date": _("Tanggal ditetapkan cacat total tetap")},
    }

    event = forms.ChoiceField(label=_("Peristiwa"), choices=CASES)
    event_date = date_field(_("Tanggal peristiwa"))
    contribution_months = months_field(_("Lama iuran JP (bulan)"), max_value=600)
    birth_date = date_field(_("Tanggal lahir peserta"), kind="birth")
    membership_start = date_field(_("Tanggal mulai menjadi peserta JP"), required=False, kind="membership")
    beneficiary = forms.ChoiceField(
        label=_("Penerima manfaat"),
        choices=[("spouse", _("Janda/duda")), ("child", _("Anak")), ("parent", _("Orang tua"))],
    )
    balance = RupiahField(label=_("Saldo JP (Rp)"), required=False, help_text=_("Jika diketahui."))
    claim_date = date_field(_("Tanggal pengajuan klaim"), required=False, kind="claim")
    heir_is_spouse = heir_is_spouse_field()

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        if "birth_date" in self.fields and self.case_code == "death":
            self.fields["birth_date"].required = False  # without it the death counts as before retirement age
        self.wages = WageFormSet(data, prefix=WAGES_PREFIX)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.wages.is_valid():
            # The table's own errors stand beside each cell; the form as a whole is not valid.
            self.add_error(None, _("Periksa tabel upah per bulan."))

    def case(self) -> dict[str, Any]:
        case = super().case()
        wages: list[dict[str, Any]] = []
        for number, row in enumerate(self.wages.forms, 1):
            if row.cleaned_data.get("month"):
                self.error_paths[f"wages.{len(wages)}"] = (
                    None,
                    str(_("Upah baris %(n)s: ") % {"n": number}),
                )
                wages.append({"month": row.cleaned_data["month"], "wage": row.cleaned_data["wage"]})
        case["wages"] = wages
        return case


JKP_REASONS = [
    (code, Reason(code).label) for code in reasons.JHT_REASONS if code not in reasons.PARTIAL_REASONS
]


class JkpForm(EstimateForm):
    program = "JKP"
    CASE_FIELD = "reason"
    CASES = JKP_REASONS  # JKP pays only for a PHK; the other answers say so instead of hiding the question

    reason = forms.ChoiceField(label=_("Alasan berhenti bekerja"), choices=CASES)
    termination_date = date_field(_("Tanggal berhenti bekerja"))
    monthly_wage = RupiahField(label=_("Upah terakhir yang dilaporkan (Rp)"))
    contribution_months_last_24 = months_field(_("Bulan iuran dalam 24 bulan terakhir"), max_value=24)
    consecutive_months = months_field(_("Bulan iuran berturut-turut sebelum berhenti bekerja"), max_value=24)
    registered_age = CountField(
        label=_("Usia saat terdaftar JKP"), required=False, min_value=0, max_value=120
    )


PROGRAM_FORMS: dict[str, type[EstimateForm]] = {
    "JHT": JhtForm,
    "JKK": JkkForm,
    "JKM": JkmForm,
    "JP": JpForm,
    "JKP": JkpForm,
}
