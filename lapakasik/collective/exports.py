"""The error report and the template, as CSV or XLSX (every cell defused against formula injection)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import ListRow, MassList
from .parse import COLUMNS, template_example, template_header, write_csv, write_xlsx


def template_file(fmt: str) -> bytes:
    rows = [template_example()]
    return write_xlsx(template_header(), rows) if fmt == "xlsx" else write_csv(template_header(), rows)


def error_report(mass_list: MassList, fmt: str) -> bytes:
    """The rows to correct, as typed, with what is wrong: fix the cells, delete the last two columns, upload."""
    header = [_("Baris"), *template_header(), _("Kesalahan"), _("Perhatian")]
    rows = (
        [
            row.line,
            *(row.cells.get(c.key, "") for c in COLUMNS),
            _issues(row.error_issues()),
            _issues(row.warning_issues()),
        ]
        for row in ListRow.objects.filter(mass_list=mass_list)
        .exclude(errors=[], warnings=[])
        .order_by("line")
        .iterator(2000)
    )
    return write_xlsx(header, rows, sheet=_("Kesalahan")) if fmt == "xlsx" else write_csv(header, rows)


def _issues(issues) -> str:
    # "NIK: … Teks. Nama: …": each message a sentence of its own (a "; " after a full stop read ".; ").
    return " ".join(_sentence(f"{issue.column_label()}: {issue.render()}") for issue in issues)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."
