"""The branch head's dashboard, its charts, exports and press summary (console interface).

Branch staff see their own branch; admins pick a branch, a regional office or the whole country.
Every number comes from lapakasik.reporting; this module only reads the request and renders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp
from django import forms
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapakasik.accounts.access import branch_for, staff_required
from lapakasik.claims.models import Channel, Program
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch
from lapakasik.reporting import exports, headline
from lapakasik.reporting.dashboard import Filters, branch_dashboard, national_trend
from lapakasik.reporting.press import compose_press_summary, press_name
from lapakasik.reporting.queries import (
    check_period,
    claims_paid_report,
    national_report,
    office_report,
    offices,
)
from lapakasik.security.actions import record_download, sees_identifiers
from lapakasik.security.models import DownloadKind

NATIONAL = "nasional"


class FilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    program = forms.ChoiceField(label=gettext_lazy("Program"), required=False)
    area = forms.TypedChoiceField(label=gettext_lazy("Wilayah"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=gettext_lazy("Kanal"), required=False)

    def __init__(self, data, *, branch: Branch | None):
        super().__init__(data)
        everything = [("", _("Semua"))]
        fields: Any = self.fields
        fields["program"].choices = everything + [(p.value, p.value) for p in Program]
        fields["channel"].choices = everything + list(Channel.choices)
        areas = list(branch.areas.order_by("position").values_list("id", "name")) if branch else []
        fields["area"].choices = everything + areas
        if branch is None:  # across branches only the program filter applies
            for name in ("area", "channel"):
                del self.fields[name]

    def add_prefix(self, field_name: str) -> str:
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)


@dataclass
class Dashboard:
    branch: Branch | None
    office: str  # NATIONAL, an office name, or "" for a branch
    filters: Filters
    form: FilterForm
    errors: list[str] = field(default_factory=list)
    tables: list[exports.Table] = field(default_factory=list)
    report: dict[str, Any] | None = None  # program × unit, what the press summary tells
    tiles: list[exports.Tile] = field(default_factory=list)
    periods: dict[str, headline.Period] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # why the page shows this period, or that it is empty
    query: str = ""  # the page's filters, the default period written out

    @property
    def title(self) -> str:
        if self.branch:
            return self.branch.name
        return (
            _("Nasional")
            if self.office == NATIONAL
            else _("Kantor Wilayah %(office)s") % {"office": self.office}
        )

    @property
    def press_unit(self) -> str:
        if self.branch:
            return press_name(self.branch)
        return "BPJAMSOSTEK" if self.office == NATIONAL else f"BPJAMSOSTEK Kantor Wilayah {self.office}"


def _build(request, *, tiles: bool = True) -> Dashboard:
    """The dashboard the request asks for; ``tiles=False`` for a chart or the press text, which need no
    headline figures (and so no SLA report or median query)."""
    user, params = request.user, request.GET
    office = params.get("office", "")
    if office and not user.is_admin_role:
        raise Http404  # branch staff see their own branch only
    branch = None
    if not office:
        if user.is_admin_role and not params.get("branch"):
            office = NATIONAL
        else:
            branch = branch_for(user, params.get("branch"))
    if office and office != NATIONAL and office not in offices():
        raise Http404
    today = today_at(branch.time_zone if branch else "Asia/Jakarta")
    data, notes = _with_period(params, branch, office, today)
    form = FilterForm(data, branch=branch)
    errors = [str(e) for errors in form.errors.values() for e in errors] if not form.is_valid() else []
    cleaned = form.cleaned_data if not errors else {}
    filters = Filters(
        cleaned.get("date_from") or today.replace(month=1, day=1),
        cleaned.get("date_to") or today,
        program=cleaned.get("program") or "",
        area_id=cleaned.get("area"),
        channel=cleaned.get("channel") or "",
    )
    board = Dashboard(branch, office, filters, form, errors, notes=notes, query=data.urlencode())
    if not errors:
        try:
            _fill(board, tiles=tiles)
        except DomainError as error:
            board.errors.append(str(error.message))
    return board


def _with_period(params, branch: Branch | None, office: str, today: dt.date):
    """The request's filters with both dates written out, so the date boxes always show the period the
    numbers are for. With no dates at all: this year, or, when nothing was paid this year yet, the latest
    year with payments up to its last paid day (a note says so); one date alone keeps the other's default."""
    data, notes = params.copy(), []
    if not data.get("from") and not data.get("to"):
        latest = headline.latest_paid_day(branch, "" if office == NATIONAL else office)
        period, moved = headline.default_period(today, latest)
        if moved:
            notes.append(
                _(
                    "Belum ada klaim dibayar tahun ini. Ditampilkan periode terakhir yang memiliki "
                    "pembayaran: %(from)s – %(to)s."
                )
                % {"from": _long(period.date_from), "to": _long(period.date_to)}
            )
        data["from"], data["to"] = period.date_from.isoformat(), period.date_to.isoformat()
    elif not data.get("from"):
        data["from"] = today.replace(month=1, day=1).isoformat()
    elif not data.get("to"):
        data["to"] = today.isoformat()
    return data, notes


def _drill(board: Dashboard):
    """The claims list behind a number of this branch's dashboard: the officers' queue with the dashboard's
    filters and the row's own; "" for a row the filters already rule out (its cells are zero)."""
    f, branch = board.filters, board.branch
    assert branch is not None
    base = reverse("console:claims_queue")

    def drill(*, program: str = "", area: int | None = None, channel: str = "", sla: str = "") -> str:
        if sla:
            return f"{base}?{urlencode({'branch': branch.code, 'status': 'all', 'sla': sla})}"
        if (program and f.program and program != f.program) or (area and f.area_id and area != f.area_id):
            return ""
        if channel and f.channel and channel != f.channel:
            return ""
        query = {
            "branch": branch.code,
            # Every status: a JKP claim between two monthly payments is still approved, and its paid months
            # count in the figures (the list's paid period is reporting/lines.py's).
            "status": "all",
            "paid_from": f.date_from.isoformat(),
            "paid_to": f.date_to.isoformat(),
            "program": program or f.program,
            "area": area or f.area_id or "",
            "channel": channel or f.channel,
        }
        return f"{base}?{urlencode({k: v for k, v in query.items() if v})}"

    return drill


def _fill(board: Dashboard, *, tiles: bool) -> None:
    f = board.filters
    check_period(f.date_from, f.date_to)  # before the comparison periods are worked out from it
    period = headline.Period(f.date_from, f.date_to)
    board.periods = headline.comparisons(period)
    if board.branch:
        drill = _drill(board)
        board.tables = exports.branch_tables(branch_dashboard(board.branch, f), drill)
        board.report = claims_paid_report(board.branch, f.date_from, f.date_to)
        if tiles:
            figures = headline.branch_headline(board.branch, f)
            board.tiles = exports.headline_tiles(figures, headline.sla_risk(board.branch), drill)
    else:
        _fill_across_branches(board, tiles=tiles)
    if not board.tiles:
        return
    board.tables.insert(0, exports.headline_table(board.tiles, board.periods))
    if not board.tiles[0].value:
        board.notes.append(
            _("Tidak ada klaim dibayar pada periode ini (%(from)s – %(to)s).")
            % {"from": _long(f.date_from), "to": _long(f.date_to)}
        )


def _fill_across_branches(board: Dashboard, *, tiles: bool) -> None:
    f = board.filters
    heading = _("Kantor wilayah") if board.office == NATIONAL else _("Kantor cabang")

    def report_for(date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
        if board.office == NATIONAL:
            return national_report(date_from, date_to)
        return office_report(board.office, date_from, date_to)

    board.report = report_for(f.date_from, f.date_to)
    shown = _only_program(board.report, f.program)
    board.tables = exports.national_tables(shown, national_trend(f.date_from, f.date_to, f.program), heading)
    if board.office != NATIONAL:  # the trend across all branches would mislead in a regional view
        board.tables = board.tables[:1]
    if not tiles:
        return
    figures = headline.cross_branch_headline(
        lambda a, b: _only_program(report_for(a, b), f.program), headline.Period(f.date_from, f.date_to)
    )
    board.tiles = exports.headline_tiles(figures, None)


def _only_program(report: dict[str, Any], program: str) -> dict[str, Any]:
    if not program:
        return report
    shown = {**report, "rows": [r for r in report["rows"] if r["program"] == program]}
    shown["grand_total"] = {k: sum(r[k] for r in shown["rows"]) for k in ("cases", "amount")}
    return shown


@staff_required
def dashboard(request):
    board = _build(request)
    context = {
        "board": board,
        "query": board.query,
        "offices": offices() if request.user.is_admin_role else [],
        "branches": Branch.objects.all() if request.user.is_admin_role else [],
        "press": compose_press_summary(board.report, unit_name=board.press_unit) if board.report else "",
    }
    return render(request, "console/dashboard.html", context, status=400 if board.errors else 200)


# The SVG is an image document of its own: matplotlib styles it inline, it can run no script.
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"]})
@staff_required
def dashboard_chart(request, key: str):
    board = _build(request, tiles=False)
    table = next((t for t in board.tables if t.key == key and t.chart), None)
    if table is None:
        raise Http404
    response = HttpResponse(exports.chart_svg(table), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@staff_required
def dashboard_press(request):
    board = _build(request, tiles=False)
    if board.errors or board.report is None:
        return HttpResponse("\n".join(board.errors), status=400, content_type="text/plain; charset=utf-8")
    text = compose_press_summary(board.report, unit_name=board.press_unit)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@staff_required
def dashboard_export(request, fmt: str):
    if fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    board = _build(request)
    if board.errors:
        return HttpResponse("\n".join(board.errors), status=400, content_type="text/plain; charset=utf-8")
    f = board.filters
    identifiers = sees_identifiers(request.user) and board.branch is not None and fmt in ("csv", "xlsx")
    subject = f"{board.title}, {f.date_from} – {f.date_to}"
    kind = DownloadKind.CLAIMS_EXPORT if board.branch and fmt != "pdf" else DownloadKind.REPORT_EXPORT
    record_download(
        request.user, kind, subject, branch=board.branch, file_format=fmt, identifiers=identifiers
    )
    name = f"klaim-{board.branch.code if board.branch else board.office.replace(' ', '-').lower()}-{f.date_from}-{f.date_to}"
    if fmt == "csv":
        rows = (
            exports.claims_csv(exports.claims_for_export(board.branch, f), identifiers=identifiers)
            if board.branch
            else exports.tables_csv(board.tables)
        )
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            rows, content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        claims = exports.claims_for_export(board.branch, f) if board.branch else None
        response = HttpResponse(
            exports.xlsx(subject, board.tables, claims, identifiers=identifiers),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        response = HttpResponse(exports.pdf(*_pdf_html(request, board)), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _pdf_html(request, board: Dashboard) -> tuple[str, dict[str, exports.Table]]:
    """The PDF's HTML and the charts it names (drawn as images by exports.pdf only when the PDF is not cached)."""
    charts = exports.pdf_charts(board.tables)
    sources = {table.key: f"chart:{name}" for name, table in charts.items()}
    press = compose_press_summary(board.report, unit_name=board.press_unit) if board.report else ""
    html = render_to_string(
        "console/dashboard_pdf.html",
        {
            "board": board,
            "charts": sources,
            "press": press,
            "details": exports.PDF_DETAIL_TABLES,
            "xlsx_sheets": {key: exports.sheet_name(key) for key in exports.PDF_DETAIL_TABLES},
        },
        request=request,
    )
    return html, charts


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")
