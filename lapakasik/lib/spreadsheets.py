"""The one writer of every CSV and XLSX the product emits: no cell can become a formula.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return
before one) as a formula (OWASP "CSV injection"): a holder name ``=HYPERLINK(…)`` in a transfer file
would run on the finance officer's machine. Such text gets a leading apostrophe, which spreadsheets show
as nothing. Numbers stay numbers. A CSV cell is quoted when it holds the delimiter, a quote, a line
break, or a comma or semicolon: a file written with ``;`` is often opened by a program that splits on
``,`` (and the other way round), and a quoted cell is one cell to both.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

# Full-width forms too: some spreadsheets fold them to their ASCII twins before evaluating.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_QUOTE_IF = (",", ";", '"', "\n", "\r", "\t")
XLSX_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_field(value: Any) -> str:
    text = "" if value is None else str(safe_cell(value) if isinstance(value, str) else value)
    if any(mark in text for mark in _QUOTE_IF):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvWriter:
    """``writerow`` like ``csv.writer``'s: writes the line to ``out`` (if given) and returns it (for streaming)."""

    def __init__(self, out: Any = None, *, delimiter: str = ",", lineterminator: str = "\r\n") -> None:
        self.out = out
        self.delimiter = delimiter
        self.lineterminator = lineterminator

    def writerow(self, row: Iterable[Any]) -> str:
        line = self.delimiter.join(csv_field(value) for value in row) + self.lineterminator
        if self.out is not None:
            self.out.write(line)
        return line

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]], *, delimiter: str = ",", lineterminator: str = "\r\n") -> str:
    out = io.StringIO()
    CsvWriter(out, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return out.getvalue()


def xlsx_workbook(out: Any):
    """An XlsxWriter workbook that never turns a string into a formula, a number or a link."""
    import xlsxwriter  # imported here: pure callers of this module need no spreadsheet library

    return xlsxwriter.Workbook(out, XLSX_OPTIONS)


def write_text(sheet: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """A text cell through the formula guard (XlsxWriter's write_string never makes a formula, but a user
    who edits the cell and presses Enter would)."""
    sheet.write_string(row, col, str(safe_cell("" if value is None else str(value))), fmt)
