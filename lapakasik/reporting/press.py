"""The press summary: the branch report written the way the Indonesian press writes it (DOMAIN.md §4).

Pure: takes the dict of `claims_paid_report` (or a cross-branch report of the same shape) and returns
text. Amounts "Rp1.985.343.400", counts one to nine in words, a zero cell "nihil", "dan" before the
last item; the headline rounds the total ("Rp96 miliar"). Always Indonesian: it is copy for the press.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lapakasik.lib.idtext import (
    count_in_words,
    format_date_long,
    format_rupiah,
    format_rupiah_headline,
    join_indonesian,
)  # fmt: skip


def compose_press_summary(report: dict[str, Any], *, unit_name: str) -> str:
    """Headline, lede, program counts and one paragraph per program, separated by blank lines."""
    paragraphs = [headline(report, unit_name), lede(report, unit_name), program_counts(report)]
    paragraphs += [program_paragraph(report, total["program"]) for total in report["totals"]]
    return "\n\n".join(paragraphs) + "\n"


def headline(report: dict[str, Any], unit_name: str) -> str:
    return f"{unit_name} membayarkan klaim {format_rupiah_headline(report['grand_total']['amount'])}"


def lede(report: dict[str, Any], unit_name: str) -> str:
    grand = report["grand_total"]
    return (
        f"{unit_name} membayarkan klaim senilai {format_rupiah(grand['amount'])} untuk "
        f"{_cases(grand['cases'])} selama periode {_period(report)}."
    )


def program_counts(report: dict[str, Any]) -> str:
    items = [f"{t['program']} sebanyak {_cases(t['cases'], t['program'])}" for t in report["totals"]]
    return f"Jumlah tersebut terdiri atas klaim {join_indonesian(items)}."


def program_paragraph(report: dict[str, Any], program: str) -> str:
    """E.g. "Klaim JKK sebanyak 343 kasus dengan jumlah nominal … dan Pacitan nihil." """
    total = next(t for t in report["totals"] if t["program"] == program)
    if not total["cases"]:
        return f"Klaim {program} nihil."
    cells = [_cell(row) for row in report["rows"] if row["program"] == program]
    return (
        f"Klaim {program} sebanyak {_cases(total['cases'], program)} dengan jumlah nominal yang dibayarkan mencapai "
        f"{format_rupiah(total['amount'])}, meliputi {join_indonesian(cells)}."
    )


def _cell(row: dict[str, Any]) -> str:
    if not row["cases"]:
        return f"{row['region']} nihil"
    return f"{row['region']} sebanyak {format_rupiah(row['amount'])} ({_cases(row['cases'], row['program'])})"


def _cases(count: int, program: str = "") -> str:
    # JKP is counted per monthly payment (a worker paid in March and April is in both months): say so.
    return f"{count_in_words(count)} {'pembayaran bulanan' if program == 'JKP' else 'kasus'}"


def _period(report: dict[str, Any]) -> str:
    start = dt.date.fromisoformat(report["period"]["from"])
    end = dt.date.fromisoformat(report["period"]["to"])
    if start == end:
        return format_date_long(start)
    if start.year == end.year:
        first = format_date_long(start).rsplit(" ", 1)[0]  # "1 Januari" hingga "23 Juli 2020"
        return f"{first} hingga {format_date_long(end)}"
    return f"{format_date_long(start)} hingga {format_date_long(end)}"


def press_name(branch) -> str:
    """ "Kantor Cabang Madiun" → "BPJAMSOSTEK Cabang Madiun", the agency's brand as the press names it."""
    return "BPJAMSOSTEK " + branch.name.replace("Kantor Cabang", "Cabang").strip()
