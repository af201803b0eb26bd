"""The dashboard as tables, charts and files: one description of every section serves the page, CSV,
XLSX and PDF, so the four never disagree."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapakasik.lib.identifiers import mask_identifier
from lapakasik.lib.idtext import format_rupiah, format_thousands
from lapakasik.lib.spreadsheets import CsvWriter, write_text, xlsx_workbook

from . import charts
from .lines import PaidLines, branch_lines

MONEY, COUNT, TEXT, DECIMAL = "money", "count", "text", "decimal"
DAYS, PERCENT = "days", "percent"  # headline figures only
# The workbook's sheets, named for the people who open them (Excel allows 31 characters, no []:*?/\).
SHEET_NAMES = {
    "headline": "Ringkasan",
    "matrix": "Klaim per program",
    "channels": "Per kanal",
    "reasons": "Per alasan",
    "reason_trend": "Alasan per bulan",
    "monthly": "Tren bulanan",
    "weekly": "Tren mingguan",
    "wait": "Waktu tunggu",
    "officers": "Petugas",
    "queue": "Antrean",
    "complaints": "Pengaduan",
}
CLAIMS_SHEET = "Daftar klaim"
# Tables the PDF leaves to the workbook (a row a week, a row an officer): the PDF keeps their charts and says
# where the table is. Laying out table rows is most of WeasyPrint's time (bench/RESULTS.md).
PDF_DETAIL_TABLES = frozenset({"weekly", "officers"})
# Raise when the PDF's drawing changes without its HTML changing (charts.py, WeasyPrint options), so that
# PDFs cached under the old drawing are not served.
PDF_VERSION = 2
PDF_CACHE_SECONDS = 24 * 3600
# A drill-down: the claims list's query string for the claims behind a row (filters as keyword arguments),
# or "" when no list shows them.
Drill = Callable[..., str]


def no_drill(**_filters: Any) -> str:
    return ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (heading, kind)
    rows: list[list[Any]]
    footer: list[Any] | None = None
    chart: str = ""  # the chart drawn from this table, if any
    notes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # per row: the claims list behind its numbers, or ""
    footer_link: str = ""

    def link(self, index: int) -> str:
        return self.links[index] if index < len(self.links) else ""


def _period_label(day: dt.date, monthly: bool) -> str:
    return date_format(day, "F Y" if monthly else "j M Y")


def _trend_tables(trend: dict[str, Any]) -> list[Table]:
    """Claims paid by month and by week: the same two tables for a branch and for the national views."""
    return [
        Table(
            "monthly",
            _("Tren bulanan"),
            [(_("Bulan"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[_period_label(r["period"], True), r["cases"], r["amount"]] for r in trend["monthly"]],
            chart="monthly",
        ),
        Table(
            "weekly",
            _("Tren mingguan (minggu mulai Senin)"),
            [(_("Minggu mulai"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[_period_label(r["period"], False), r["cases"], r["amount"]] for r in trend["weekly"]],
            chart="weekly",
        ),
    ]


def branch_tables(data: dict[str, Any], drill: Drill = no_drill) -> list[Table]:
    matrix = data["matrix"]
    tables = [
        Table(
            "matrix",
            _("Klaim dibayar menurut program dan wilayah"),
            [(_("Program"), TEXT), (_("Wilayah"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[r["program"], r["region"], r["cases"], r["amount"]] for r in matrix["rows"]],
            [_("Total"), "", matrix["grand_total"]["cases"], matrix["grand_total"]["amount"]],
            chart="matrix",
            links=[drill(program=r["program"], area=r["area_id"]) for r in matrix["rows"]],
            footer_link=drill(),
        ),
        Table(
            "channels",
            _("Menurut kanal"),
            [(_("Kanal"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[r["label"], r["cases"], r["amount"]] for r in data["channels"]],
            chart="channels",
            links=[drill(channel=r["key"]) for r in data["channels"]],
        ),
        Table(
            "reasons",
            _("Menurut alasan klaim"),
            [(_("Alasan"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[r["label"], r["cases"], r["amount"]] for r in data["reasons"]],
        ),
        Table(
            "reason_trend",
            _("Kasus per bulan: PHK, mengundurkan diri, lainnya"),
            [(_("Bulan"), TEXT), (_("PHK"), COUNT), (_("Mengundurkan diri"), COUNT), (_("Lainnya"), COUNT)],
            [
                [_period_label(r["period"], True), r["phk"], r["resign"], r["other"]]
                for r in data["reason_trend"]
            ],
            chart="reason_trend",
        ),
        *_trend_tables(data),
        _wait_table(data["wait"]),
        _officer_table(data["officers"]),
        _queue_table(data["queue"]),
        _complaints_table(data["complaints"]),
    ]
    return tables


def _wait_table(wait: dict[str, Any]) -> Table:
    notes = []
    if wait["cases"]:
        notes.append(
            _("Rata-rata %(mean)s hari; %(share)s%% dibayar dalam 5 hari.")
            % {
                "mean": str(wait["mean_days"]).replace(".", ","),
                "share": str(wait["within_5_share"]).replace(".", ","),
            }
        )
    return Table(
        "wait",
        _("Waktu dari pengajuan sampai pembayaran"),
        [(_("Lama"), TEXT), (_("Kasus"), COUNT)],
        [[b["label"], b["cases"]] for b in wait["bands"]],
        chart="wait",
        notes=notes,
    )


def _officer_table(officers: list[dict[str, Any]]) -> Table:
    columns = [
        (_("Petugas"), TEXT),
        (_("Hari kerja"), COUNT),
        (_("Klaim ditangani"), COUNT),
        (_("Klaim per hari"), DECIMAL),
        (_("Sesi"), COUNT),
        (_("Orang dilayani"), COUNT),
        (_("Sesi satu-ke-banyak"), COUNT),
        (_("Sesi satu-ke-satu"), COUNT),
    ]
    rows = [
        [
            o["officer"],
            o["days"],
            o["claims"],
            o["per_day"],
            o.get("sessions"),
            o.get("served"),
            o.get("one_to_many"),
            o.get("one_to_one"),
        ]
        for o in officers
    ]
    return Table(
        "officers",
        _("Produktivitas petugas"),
        columns,
        rows,
        notes=[] if rows else [_("Belum ada klaim yang ditangani petugas pada periode ini.")],
    )


def _queue_table(queue: dict[str, Any]) -> Table:
    notes = []
    if queue.get("bookings"):
        b = queue["bookings"]
        notes.append(
            _(
                "Pemesanan jadwal pada periode: %(booked)s, dilayani %(served)s, tidak hadir %(no_show)s, "
                "dibatalkan %(cancelled)s."
            )
            % b
        )
    return Table(
        "queue",
        _("Antrean klaim saat ini"),
        [(_("Status"), TEXT), (_("Klaim"), COUNT), (_("Tertua (hari)"), COUNT)],
        [[r["status"], r["cases"], r["oldest_days"]] for r in queue["rows"]],
        [_("Total"), queue["total"], None],
        notes=notes,
    )


def _complaints_table(figures: dict[str, Any]) -> Table:
    """Complaints filed and closed in the period by category; open and overdue now (complaints/queries.py)."""
    note = _(
        "Sekarang: %(open)s pengaduan terbuka, %(waiting)s menunggu jawaban, %(overdue)s lewat batas waktu."
    ) % {key: figures[key] for key in ("open", "waiting", "overdue")}
    return Table(
        "complaints",
        _("Pengaduan dan keberatan menurut kategori"),
        [(_("Kategori"), TEXT), (_("Diajukan"), COUNT), (_("Ditutup"), COUNT)],
        [[r["label"], r["filed"], r["closed"]] for r in figures["by_category"]],
        [_("Total"), figures["filed"], figures["closed"]],
        notes=[note],
    )


@dataclass
class Tile:
    """A headline figure with the same figure for the period before and a year before, and the claims
    list behind it. The change is said in words with an arrow, never by colour alone."""

    key: str
    label: str
    kind: str  # COUNT, MONEY, DAYS or PERCENT
    value: float | None
    previous: float | None = None
    last_year: float | None = None
    link: str = ""
    note: str = ""
    compared: bool = True  # False for a figure of today (open claims), which has no earlier period

    @property
    def text(self) -> str:
        return format_figure(self.kind, self.value)

    @property
    def previous_text(self) -> str:
        return format_figure(self.kind, self.previous)

    @property
    def last_year_text(self) -> str:
        return format_figure(self.kind, self.last_year)

    @property
    def previous_change(self) -> tuple[str, str]:
        return change(self.kind, self.value, self.previous)

    @property
    def last_year_change(self) -> tuple[str, str]:
        return change(self.kind, self.value, self.last_year)


def _english() -> bool:
    return (get_language() or "id").startswith("en")


def _decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text if _english() else text.replace(".", ",")


def format_figure(kind: str, value: float | None) -> str:
    if value is None:
        return "–"
    if kind == MONEY:
        text = format_rupiah(int(value))
    elif kind == COUNT:
        text = format_thousands(int(value))
    elif kind == DAYS:
        return _("%(days)s hari") % {"days": _decimal(value)}
    elif kind == PERCENT:
        return f"{_decimal(value)}%"
    else:
        return number_format(value)
    return text.replace(".", ",") if _english() else text


def change(kind: str, value: float | None, before: float | None) -> tuple[str, str]:
    """(arrow, words) for the move from ``before`` to ``value``: "▲", "naik 12,5%"."""
    if value is None or before is None:
        return "", _("tidak ada pembanding")
    if value == before:
        return "=", _("tetap")
    arrow, up = ("▲", True) if value > before else ("▼", False)
    if kind in (COUNT, MONEY):
        if not before:
            return arrow, _("naik dari nihil")
        amount = f"{_decimal(abs(value - before) * 100 / before)}%"
    elif kind == DAYS:
        amount = _("%(days)s hari") % {"days": _decimal(abs(value - before))}
    else:
        amount = _("%(points)s poin persen") % {"points": _decimal(abs(value - before))}
    return arrow, (_("naik %(by)s") if up else _("turun %(by)s")) % {"by": amount}


def headline_tiles(
    figures: dict[str, Any], risk: dict[str, int] | None, drill: Drill = no_drill
) -> list[Tile]:
    """The tiles from ``reporting.headline`` figures (current, previous, last_year); ``risk`` is None where
    no SLA report applies (national and regional views)."""
    now, before, year = figures["current"], figures["previous"], figures["last_year"]
    tiles = [
        Tile("cases", _("Klaim dibayar"), COUNT, now.cases, before.cases, year.cases, drill()),
        Tile("amount", _("Nominal dibayar"), MONEY, now.amount, before.amount, year.amount, drill()),
    ]
    if risk is None:
        return tiles
    return tiles + [
        Tile(
            "median_days",
            _("Median hari sampai dibayar"),
            DAYS,
            now.median_days,
            before.median_days,
            year.median_days,
            drill(),
            note=_("Hari kalender dari pengajuan sampai pembayaran."),
        ),
        Tile(
            "online_share",
            _("Porsi daring"),
            PERCENT,
            now.online_share,
            before.online_share,
            year.online_share,
            drill(channel="online"),
            note=_("Bagian klaim dibayar yang diajukan lewat kanal daring."),
        ),
        Tile(
            "sla_risk",
            _("Klaim terbuka berisiko SLA"),
            COUNT,
            risk["at_risk"] + risk["breached"],
            link=drill(sla="risk"),
            note=_("Hari ini, seluruh cabang: %(at_risk)s berisiko terlambat, %(breached)s melewati tenggat.")
            % {"at_risk": format_thousands(risk["at_risk"]), "breached": format_thousands(risk["breached"])},
            compared=False,
        ),
    ]


def headline_table(tiles: list[Tile], periods: dict[str, Any]) -> Table:
    """The tiles as a table, for the files (CSV, XLSX, PDF) and for anyone who reads tables, not tiles."""

    def span(name: str) -> str:
        p = periods[name]
        return f"{date_format(p.date_from, 'j M Y')} – {date_format(p.date_to, 'j M Y')}"

    columns = [
        (_("Ukuran"), TEXT),
        (_("Periode ini (%(span)s)") % {"span": span("current")}, TEXT),
        (_("Periode sebelumnya (%(span)s)") % {"span": span("previous")}, TEXT),
        (_("Perubahan"), TEXT),
        (_("Tahun lalu (%(span)s)") % {"span": span("last_year")}, TEXT),
        (_("Perubahan"), TEXT),
    ]
    rows = [
        [t.label, t.text, t.previous_text, " ".join(t.previous_change).strip(), t.last_year_text,
         " ".join(t.last_year_change).strip()]
        if t.compared
        else [t.label, t.text, "", "", "", ""]
        for t in tiles
    ]  # fmt: skip
    notes = [f"{t.label}: {t.note}" for t in tiles if t.note]
    return Table("headline", _("Ringkasan"), columns, rows, notes=notes)


def national_tables(report: dict[str, Any], trend: dict[str, Any], unit_heading: str) -> list[Table]:
    return [
        Table(
            "matrix",
            _("Klaim dibayar menurut program dan unit"),
            [(_("Program"), TEXT), (unit_heading, TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[r["program"], r["region"], r["cases"], r["amount"]] for r in report["rows"]],
            [_("Total"), "", report["grand_total"]["cases"], report["grand_total"]["amount"]],
            chart="matrix",
        ),
        *_trend_tables(trend),
    ]


def chart_svg(table: Table) -> bytes:
    return _chart(table).svg()


def chart_image(table: Table) -> bytes:
    """The chart for the PDF: the page's drawing as a JPEG image that WeasyPrint only has to place."""
    return _chart(table).raster()


def _chart(table: Table) -> charts.Plot:
    if table.key == "matrix":
        units = list(dict.fromkeys(r[1] for r in table.rows))
        programs = list(dict.fromkeys(r[0] for r in table.rows))
        series = {
            u: [sum(r[3] for r in table.rows if r[0] == p and r[1] == u) / 1e9 for p in programs]
            for u in units
        }
        return charts.stacked(programs, series, title=_("Nominal dibayar per program (miliar rupiah)"))
    if table.key == "reason_trend":
        labels = [r[0] for r in table.rows]
        series = {table.columns[i][0]: [r[i] for r in table.rows] for i in (1, 2, 3)}
        return charts.stacked(labels, series, title=table.title)
    if table.key == "weekly":
        return charts.line(
            [r[0] for r in table.rows], [r[1] for r in table.rows], title=_("Kasus per minggu")
        )
    return charts.bars(
        [r[0] for r in table.rows], [r[1] for r in table.rows], title=f"{table.title}: {_('kasus')}"
    )


def claims_csv(lines: PaidLines, *, identifiers: bool = False) -> Iterator[str]:
    """One line per paid claim, and per paid JKP monthly payment (``instalment`` 1–6; empty for a lump sum), as
    the report counts them (reporting/lines.py); streamed (a year of a big branch is tens of thousands of lines).

    NIK and KPJ in full only with ``identifiers`` (roles that pay people); masked otherwise."""
    writer = CsvWriter(lineterminator="\n")
    yield writer.writerow(
        [
            "number",
            "paid_on",
            "submitted_on",
            "program",
            "reason",
            "channel",
            "region",
            "nik",
            "kpj",
            "amount",
            "instalment",
        ]
    )
    for row in lines.rows().iterator(chunk_size=2000):
        yield writer.writerow(row if identifiers else _masked(row))


def _masked(row: tuple) -> tuple:
    *head, nik, kpj, amount, instalment = row
    return (*head, mask_identifier(nik), mask_identifier(kpj), amount, instalment)


def tables_csv(tables: list[Table]) -> Iterator[str]:
    writer = CsvWriter(lineterminator="\n")
    for table in tables:
        yield writer.writerow([table.title])
        yield writer.writerow([heading for heading, _kind in table.columns])
        for row in table.rows + ([table.footer] if table.footer else []):
            yield writer.writerow(["" if v is None else v for v in row])
        yield writer.writerow([])


def claims_for_export(branch, filters) -> PaidLines:
    return branch_lines(branch, filters)


def xlsx(
    title: str, tables: list[Table], claims: PaidLines | None = None, *, identifiers: bool = False
) -> bytes:
    """Numbers as numbers (rupiah with a thousands format), identifiers (NIK, KPJ) as text. Every sheet
    has a readable name, its heading row frozen and a filter on the table (the total row stays outside
    it, so sorting never moves the total into the data)."""
    out = io.BytesIO()
    book = xlsx_workbook(out)
    bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0"})
    decimal = book.add_format({"num_format": "0.0"})
    formats = {MONEY: money, COUNT: money, DECIMAL: decimal, TEXT: None}
    for table in tables:
        sheet = book.add_worksheet(sheet_name(table.key))
        sheet.write_string(0, 0, title, bold)
        sheet.write_string(1, 0, table.title, bold)
        for col, (heading, _kind) in enumerate(table.columns):
            sheet.write_string(HEADING_ROW, col, str(heading), bold)
        for r, row in enumerate(table.rows + ([table.footer] if table.footer else []), start=HEADING_ROW + 1):
            for col, value in enumerate(row):
                _write(sheet, r, col, value, formats[table.columns[col][1]])
        sheet.freeze_panes(HEADING_ROW + 1, 0)
        sheet.autofilter(HEADING_ROW, 0, HEADING_ROW + len(table.rows), len(table.columns) - 1)
        _fit_columns(sheet, [str(h) for h, _k in table.columns], table.rows + [table.footer or []])
        last = HEADING_ROW + len(table.rows) + (1 if table.footer else 0)
        for n, note in enumerate(table.notes, start=last + 2):
            sheet.write_string(n, 0, note)
    if claims is not None:
        _claims_sheet(book, claims, bold, money, identifiers=identifiers)
    book.close()
    return out.getvalue()


HEADING_ROW = 3  # rows 0-1: the file's subject and the table's title


def sheet_name(key: str) -> str:
    return SHEET_NAMES.get(key, key)[:31]


def _fit_columns(sheet, headings: list[str], rows: list[list[Any]]) -> None:
    """Each column as wide as its longest value (thousands separators included), within reason."""
    for col, heading in enumerate(headings):
        longest = max([len(heading)] + [len(_shown(row[col])) for row in rows if col < len(row)], default=8)
        sheet.set_column(col, col, min(max(longest + 2, 8), 60))


def _shown(value: Any) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _write(sheet, row: int, col: int, value: Any, fmt) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        write_text(sheet, row, col, value)


def _claims_sheet(book, lines: PaidLines, bold, money, *, identifiers: bool) -> None:
    sheet = book.add_worksheet(CLAIMS_SHEET)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    headings = [
        "nomor",
        "tanggal dibayar",
        "tanggal pengajuan",
        "program",
        "alasan",
        "kanal",
        "wilayah",
        "NIK",
        "KPJ",
        "nominal",
        "pembayaran ke",
    ]
    for col, heading in enumerate(headings):
        sheet.write_string(0, col, heading, bold)
    last = 0
    for r, row in enumerate(lines.rows().iterator(chunk_size=2000), start=1):
        last = r
        row = row if identifiers else _masked(row)
        number, paid, submitted, program, reason, channel, area, nik, kpj, amount, instalment = row
        write_text(sheet, r, 0, number)
        sheet.write_datetime(r, 1, dt.datetime.combine(paid, dt.time()), date)
        if submitted:
            sheet.write_datetime(r, 2, dt.datetime.combine(submitted, dt.time()), date)
        for col, text in enumerate((program, reason, channel, area, nik, kpj), start=3):
            write_text(sheet, r, col, text)  # a NIK is an identifier: as a number Excel would round it
        sheet.write_number(r, 9, amount or 0, money)
        if instalment:
            sheet.write_number(r, 10, instalment)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last, 1), len(headings) - 1)
    for col, width in enumerate((18, 14, 16, 8, 24, 11, 14, 18, 14, 16, 13)):
        sheet.set_column(col, col, width)


def pdf_charts(tables: list[Table]) -> dict[str, Table]:
    """The PDF's charts by the name its HTML gives them (``<img src="chart:NAME">``). The name carries a
    digest of the chart's numbers, so the HTML holds every number the PDF shows even where the PDF leaves
    the table itself out (PDF_DETAIL_TABLES), and a digest of the HTML is a sound key for the finished PDF."""
    named = {}
    for table in tables:
        if table.chart:
            numbers = hashlib.sha256(repr((table.title, table.columns, table.rows)).encode()).hexdigest()
            named[f"{table.key}-{numbers[:20]}.jpg"] = table
    return named


def pdf(html: str, charts: dict[str, Table] | None = None) -> bytes:
    """The HTML as a PDF, from the cache when the same HTML was printed before (the HTML holds every number,
    so a PDF found under its digest cannot be stale). Charts are drawn only when the PDF is not cached."""
    key = pdf_cache_key(html)
    if (found := cache.get(key)) is not None:
        return found
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = HTML(string=html, url_fetcher=_chart_fetcher(charts or {})).write_pdf()
    except FatalURLFetchingError as error:  # a BaseException, which no request handler would catch
        raise PdfError(f"{error}: {error.__cause__}") from error
    cache.set(key, document, PDF_CACHE_SECONDS)
    return document


class PdfError(RuntimeError):
    """The PDF could not be made (a chart its HTML names could not be drawn or is not its own)."""


def pdf_cache_key(html: str) -> str:
    return "pdf:" + hashlib.sha256(f"{PDF_VERSION}\n{html}".encode()).hexdigest()


def _chart_fetcher(charts: dict[str, Table]) -> Any:
    """Serves ``chart:NAME`` and nothing else: the PDF reads no file and no URL from its HTML."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            table = charts.get(url.removeprefix("chart:")) if url.startswith("chart:") else None
            if table is None:
                raise ValueError(f"not a chart of this PDF: {url[:80]}")
            return URLFetcherResponse(url, chart_image(table), {"Content-Type": "image/jpeg"})

    return ChartFetcher(fail_on_errors=True)  # a chart that cannot be drawn stops the PDF, not left blank
