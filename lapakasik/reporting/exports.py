"""The dashboard as tables, charts and files: one description of every section serves the page, CSV,
XLSX and PDF, so the four never disagree."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lapakasik.claims.models import Claim
from lapakasik.lib.identifiers import mask_identifier
from lapakasik.lib.spreadsheets import CsvWriter, write_text, xlsx_workbook

from . import charts

MONEY, COUNT, TEXT, DECIMAL = "money", "count", "text", "decimal"


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (heading, kind)
    rows: list[list[Any]]
    footer: list[Any] | None = None
    chart: str = ""  # the chart drawn from this table, if any
    notes: list[str] = field(default_factory=list)


def _period_label(day: dt.date, monthly: bool) -> str:
    return date_format(day, "F Y" if monthly else "j M Y")


def branch_tables(data: dict[str, Any]) -> list[Table]:
    matrix = data["matrix"]
    tables = [
        Table(
            "matrix",
            _("Klaim dibayar menurut program dan wilayah"),
            [(_("Program"), TEXT), (_("Wilayah"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[r["program"], r["region"], r["cases"], r["amount"]] for r in matrix["rows"]],
            [_("Total"), "", matrix["grand_total"]["cases"], matrix["grand_total"]["amount"]],
            chart="matrix",
        ),
        Table(
            "channels",
            _("Menurut kanal"),
            [(_("Kanal"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[r["label"], r["cases"], r["amount"]] for r in data["channels"]],
            chart="channels",
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
        Table(
            "monthly",
            _("Tren bulanan"),
            [(_("Bulan"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[_period_label(r["period"], True), r["cases"], r["amount"]] for r in data["monthly"]],
            chart="monthly",
        ),
        Table(
            "weekly",
            _("Tren mingguan (minggu mulai Senin)"),
            [(_("Minggu mulai"), TEXT), (_("Kasus"), COUNT), (_("Nominal (Rp)"), MONEY)],
            [[_period_label(r["period"], False), r["cases"], r["amount"]] for r in data["weekly"]],
            chart="weekly",
        ),
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


def chart_svg(table: Table) -> bytes:
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


def claims_csv(claims, *, identifiers: bool = False) -> Iterator[str]:
    """One line per paid claim, streamed (a year of a big branch is tens of thousands of lines).

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
        ]
    )
    for row in claims.values_list(
        "number",
        "paid_on",
        "submitted_on",
        "program",
        "reason",
        "channel",
        "area__name",
        "participant__nik",
        "participant__kpj",
        "amount_paid",
    ).iterator(chunk_size=2000):
        yield writer.writerow(row if identifiers else _masked(row))


def _masked(row: tuple) -> tuple:
    *head, nik, kpj, amount = row
    return (*head, mask_identifier(nik), mask_identifier(kpj), amount)


def tables_csv(tables: list[Table]) -> Iterator[str]:
    writer = CsvWriter(lineterminator="\n")
    for table in tables:
        yield writer.writerow([table.title])
        yield writer.writerow([heading for heading, _kind in table.columns])
        for row in table.rows + ([table.footer] if table.footer else []):
            yield writer.writerow(["" if v is None else v for v in row])
        yield writer.writerow([])


def claims_for_export(branch, filters):
    claims = Claim.objects.filter(
        branch=branch, status="paid", paid_on__range=(filters.date_from, filters.date_to)
    )
    if filters.program:
        claims = claims.filter(program=filters.program)
    if filters.area_id:
        claims = claims.filter(area_id=filters.area_id)
    if filters.channel:
        claims = claims.filter(channel=filters.channel)
    return claims.order_by("paid_on", "id")


def xlsx(title: str, tables: list[Table], claims=None, *, identifiers: bool = False) -> bytes:
    """Numbers as numbers (rupiah with a thousands format), identifiers (NIK, KPJ) as text."""
    out = io.BytesIO()
    book = xlsx_workbook(out)
    bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0"})
    decimal = book.add_format({"num_format": "0.0"})
    formats = {MONEY: money, COUNT: money, DECIMAL: decimal, TEXT: None}
    for table in tables:
        sheet = book.add_worksheet(table.key[:31])
        sheet.write_string(0, 0, title, bold)
        sheet.write_string(1, 0, table.title, bold)
        for col, (heading, _kind) in enumerate(table.columns):
            sheet.write_string(3, col, str(heading), bold)
            sheet.set_column(col, col, 22 if col == 0 else 16)
        for r, row in enumerate(table.rows + ([table.footer] if table.footer else []), start=4):
            for col, value in enumerate(row):
                _write(sheet, r, col, value, formats[table.columns[col][1]])
        for n, note in enumerate(table.notes, start=r + 2 if table.rows else 5):
            sheet.write_string(n, 0, note)
    if claims is not None:
        _claims_sheet(book, claims, bold, money, identifiers=identifiers)
    book.close()
    return out.getvalue()


def _write(sheet, row: int, col: int, value: Any, fmt) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        write_text(sheet, row, col, value)


def _claims_sheet(book, claims, bold, money, *, identifiers: bool) -> None:
    sheet = book.add_worksheet("klaim")
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
    ]
    for col, heading in enumerate(headings):
        sheet.write_string(0, col, heading, bold)
    rows = claims.values_list(
        "number",
        "paid_on",
        "submitted_on",
        "program",
        "reason",
        "channel",
        "area__name",
        "participant__nik",
        "participant__kpj",
        "amount_paid",
    )
    for r, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        row = row if identifiers else _masked(row)
        number, paid, submitted, program, reason, channel, area, nik, kpj, amount = row
        write_text(sheet, r, 0, number)
        sheet.write_datetime(r, 1, dt.datetime.combine(paid, dt.time()), date)
        if submitted:
            sheet.write_datetime(r, 2, dt.datetime.combine(submitted, dt.time()), date)
        for col, text in enumerate((program, reason, channel, area, nik, kpj), start=3):
            write_text(sheet, r, col, text)  # a NIK is an identifier: as a number Excel would round it
        sheet.write_number(r, 9, amount or 0, money)
    sheet.set_column(7, 8, 18)


def pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
