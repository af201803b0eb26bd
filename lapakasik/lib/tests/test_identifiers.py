import datetime as dt

import pytest

from lapakasik.lib.identifiers import check_kpj, check_nik, normalize_phone

# Kab. Madiun (35.19), district 08 Madiun, born 5 July 1988, female (day 05 + 40 = 45).
SRI = "3519084507880003"


def test_a_valid_nik_decodes_region_birth_date_and_sex():
    check = check_nik(SRI, birth_date=dt.date(1988, 7, 5), sex="F")
    assert check.ok and not check.warnings
    assert check.info.regency_code == "35.19" and check.info.sex == "F" and check.info.day == 5


def test_spaces_and_dots_in_a_pasted_nik_are_ignored():
    assert check_nik("3519 0845.0788-0003").ok


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("351908450788000", "16 digit"),
        ("35190845078800031", "16 digit"),
        ("35190845O7880003", "angka"),
        ("9919084507880003", "provinsi"),
        ("3599084507880003", "kabupaten"),
        ("3519083213880003", "tanggal"),
        ("3519084507880000", "0000"),
    ],
    ids=[
        "too short",
        "too long",
        "letter O",
        "unknown province",
        "unknown regency",
        "month 13",
        "serial 0000",
    ],
)
def test_a_bad_nik_says_what_is_wrong(nik, fragment):
    check = check_nik(nik)
    assert not check.ok
    assert fragment in " ".join(check.errors)


def test_an_unknown_district_is_only_a_warning():
    check = check_nik("3519994507880003")
    assert check.ok
    assert "35.19.99" in check.warnings[0]


def test_the_female_day_plus_40_must_agree_with_the_record():
    assert "Jenis kelamin" in check_nik(SRI, sex="M").errors[0]


def test_the_birth_date_must_agree_with_the_record():
    assert "Tanggal lahir" in check_nik(SRI, birth_date=dt.date(1988, 7, 6)).errors[0]


def test_29_february_is_valid_only_in_a_leap_year():
    assert check_nik("3519082902000001").ok
    assert not check_nik("3519082902010001").ok


@pytest.mark.parametrize(
    ("kpj", "ok"), [("19001234567", True), ("1900123456", False), ("1900123456X", False)]
)
def test_kpj_is_eleven_digits(kpj, ok):
    assert (check_kpj(kpj) == []) is ok


def test_phone_numbers_are_normalised_to_e164():
    assert normalize_phone("0812-3450-0001") == "+6281234500001"
    with pytest.raises(ValueError, match="tidak sah"):
        normalize_phone("0812")
