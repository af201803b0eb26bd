"""JKP on a collective list: a laid-off worker's row with Program JKP becomes a JKP claim, checked by the
JKP rules (PHK only, JKP's start, 12 of the last 24 months); bad rows get row-level errors."""

from __future__ import annotations

import datetime as dt

import pytest

from lapakasik.collective.models import RowStatus
from lapakasik.collective.parse import parse_row
from lapakasik.collective.queries import claims_of
from lapakasik.registry.models import Employment

pytestmark = pytest.mark.django_db


def _jkp(row: list[str]) -> list[str]:
    return [*row, "JKP"]


def _errors(mass_list, line: int) -> list[tuple[str, str]]:
    return [(i.column, i.render()) for i in mass_list.rows.get(line=line).error_issues()]


def test_a_jkp_row_becomes_a_submitted_jkp_claim_with_the_jkp_documents(upload, submit, laid_off):
    mass_list = submit(upload([_jkp(laid_off())]))
    (claim,) = claims_of(mass_list)
    assert (claim.program, claim.reason, claim.channel, claim.status) == (
        "JKP",
        "phk",
        "collective",
        "submitted",
    )
    kinds = set(claim.documents.values_list("kind", flat=True))
    assert {"ektp", "kpj_card", "phk_proof", "savings_book"} <= kinds
    assert "phk_agreement_or_ruling" not in kinds and "paklaring" not in kinds


def test_a_worker_may_have_a_jht_row_and_a_jkp_row(upload, submit, laid_off):
    row = laid_off()
    mass_list = submit(upload([row, _jkp(row)]))
    assert mass_list.valid_rows == 2 and mass_list.error_rows == 0
    assert sorted(claims_of(mass_list).values_list("program", flat=True)) == ["JHT", "JKP"]


def test_a_second_jkp_row_for_the_same_worker_is_a_duplicate(upload, laid_off):
    row = _jkp(laid_off())
    mass_list = upload([row, row])
    assert mass_list.rows.get(line=3).status == RowStatus.INVALID
    assert ("nik", "Sama dengan baris 2; setiap pekerja cukup satu baris.") in _errors(mass_list, 3)


def test_a_jkp_row_without_a_registered_wage_is_valid_and_warned(upload, laid_off):
    mass_list = upload([_jkp(laid_off())])
    row = mass_list.rows.get(line=2)
    assert row.status == RowStatus.VALID
    assert any("Upah terakhir pekerja belum tercatat" in i.render() for i in row.warning_issues())


def test_invalid_jkp_rows_get_row_level_errors(upload, laid_off):
    resigned = _jkp(laid_off(reason="Mengundurkan diri"))
    before_jkp = _jkp(laid_off(ended=dt.date(2020, 12, 31)))
    short = _jkp(laid_off())
    Employment.objects.filter(participant__nik=short[0]).update(start=dt.date(2026, 3, 2))
    unknown = [*laid_off(), "JKK"]
    mass_list = upload([resigned, before_jkp, short, unknown])
    assert mass_list.valid_rows == 0
    assert ("reason", "Klaim JKP hanya untuk pekerja yang di-PHK; alasan harus PHK.") in _errors(mass_list, 2)
    assert (
        "termination_date",
        "JKP belum berlaku pada tanggal PHK ini; JKP berlaku untuk PHK sejak 02/02/2021.",
    ) in _errors(mass_list, 3)
    (why,) = [text for column, text in _errors(mass_list, 4) if text.startswith("Tidak memenuhi syarat JKP")]
    assert "6 bulan" in why and "12" in why  # Mar-Aug 2026: 6 of the 12 months JKP needs
    assert any(column == "program" and "'JKK'" in text for column, text in _errors(mass_list, 5))


def test_a_list_without_a_program_column_is_read_as_jht():
    row = parse_row(
        2,
        {
            "nik": "3519081705870001", "kpj": "27000000001", "full_name": "Joko", "birth_date": "17/05/1987",
            "termination_date": "31/08/2026", "reason": "PHK", "bank": "BRI", "account_number": "001200000000001",
            "holder_name": "Joko",
        },
    )  # fmt: skip
    assert row.program == "JHT" and not [i for i in row.errors if i.column == "program"]
    assert parse_row(2, {**dict.fromkeys(("nik",), ""), "program": " jkp "} | _cells()).program == "JKP"


def _cells() -> dict[str, str]:
    return {
        "kpj": "", "full_name": "", "birth_date": "", "termination_date": "", "reason": "", "bank": "",
        "account_number": "", "holder_name": "",
    }  # fmt: skip
