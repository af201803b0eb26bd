"""Forms of the online claim: identify, choose, document, bank account. Validation of shape only;
the decisions (identity, eligibility, file safety, name match) belong to the claims actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapakasik.claims.actions import BANKS


def digits(pattern: str, **attrs: str) -> forms.TextInput:
    """A field of digits: phones show the number pad (inputmode), and the browser checks the shape before
    sending (pattern allows the spaces, dots and dashes people type; the server strips them)."""
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "pattern": pattern,
            "autocomplete": "off",
            "spellcheck": "false",
            **attrs,
        }
    )


class IdentifyForm(forms.Form):
    nik = forms.CharField(label=_("NIK (16 digit)"), max_length=24, widget=digits(r"[0-9 .\-]{16,24}"))
    kpj = forms.CharField(label=_("Nomor KPJ (11 digit)"), max_length=20, widget=digits(r"[0-9 .\-]{11,20}"))
    full_name = forms.CharField(label=_("Nama lengkap sesuai KTP"), max_length=150)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    as_heir = forms.BooleanField(label=_("Saya ahli waris peserta yang meninggal"), required=False)
    heir_nik = forms.CharField(
        label=_("NIK ahli waris (Anda)"), max_length=24, required=False, widget=digits(r"[0-9 .\-]{16,24}")
    )

    def clean(self):
        data = super().clean()
        if data.get("as_heir") and not data.get("heir_nik"):
            self.add_error("heir_nik", _("Isi NIK Anda sebagai ahli waris."))
        if not data.get("as_heir"):
            data["heir_nik"] = ""
        return data


class AccountForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class DocumentForm(forms.Form):
    kind = forms.CharField(max_length=40, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Berkas (JPG, PNG, BMP, atau PDF)"))


class PayoutAccountForm(forms.Form):
    bank_code = forms.ChoiceField(label=_("Bank"), choices=[(b, b) for b in BANKS])
    account_number = forms.CharField(
        label=_("Nomor rekening"), max_length=30, widget=digits(r"[0-9 .\-]{6,30}")
    )
    holder_name = forms.CharField(label=_("Nama pemilik rekening"), max_length=150)


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Alasan pembatalan (boleh kosong)"), required=False, max_length=500)
