"""The branch head's dashboard, its charts, exports and press summary (console interface).

Branch staff see their own branch; admins pick a branch, a regional office or the whole country.
Every number comes from lapakasik.reporting; this module only reads the request and renders."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from csp.decorators import csp
from django import forms
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapakasik.accounts.access import branch_for, staff_required
from lapakasik.claims.models import Channel, Program
from lapakasik.lib.dates import today_at
from lapakasik.lib.errors import DomainError
from lapakasik.registry.models import Branch
from lapakasik.reporting import exports
from lapakasik.reporting.dashboard import Filters, branch_dashboard, national_trend
from lapakasik.reporting.press import compose_press_summary, press_name
from lapakasik.reporting.queries import claims_paid_report, national_report, office_report, offices
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


def _build(request) -> Dashboard:
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
    form = FilterForm(params, branch=branch)
    errors = [str(e) for errors in form.errors.values() for e in errors] if not form.is_valid() else []
    data = form.cleaned_data if not errors else {}
    filters = Filters(
        data.get("date_from") or today.replace(month=1, day=1),
        data.get("date_to") or today,
        program=data.get("program") or "",
        area_id=data.get("area"),
        channel=data.get("channel") or "",
    )
    board = Dashboard(branch, office, filters, form, errors)
    if not errors:
        try:
            _fill(board)
        except DomainError as error:
            board.errors.append(str(error.message))
    return board


def _fill(board: Dashboard) -> None:
    f = board.filters
    if board.branch:
        board.tables = exports.branch_tables(branch_dashboard(board.branch, f))
        board.report = claims_paid_report(board.branch, f.date_from, f.date_to)
        return
    if board.office == NATIONAL:
        board.report, heading = national_report(f.date_from, f.date_to), _("Kantor wilayah")
    else:
        board.report, heading = office_report(board.office, f.date_from, f.date_to), _("Kantor cabang")
    shown = board.report
    if f.program:
        shown = {**shown, "rows": [r for r in shown["rows"] if r["program"] == f.program]}
        shown["grand_total"] = {k: sum(r[k] for r in shown["rows"]) for k in ("cases", "amount")}
    board.tables = exports.national_tables(shown, national_trend(f.date_from, f.date_to, f.program), heading)
    if board.office != NATIONAL:  # the trend across all branches would mislead in a regional view
        board.tables = board.tables[:1]


@staff_required
def dashboard(request):
    board = _build(request)
    context = {
        "board": board,
        "query": request.GET.urlencode(),
        "offices": offices() if request.user.is_admin_role else [],
        "branches": Branch.objects.all() if request.user.is_admin_role else [],
        "press": compose_press_summary(board.report, unit_name=board.press_unit) if board.report else "",
    }
    return render(request, "console/dashboard.html", context, status=400 if board.errors else 200)


# The SVG is an image document of its own: matplotlib styles it inline, it can run no script.
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"]})
@staff_required
def dashboard_chart(request, key: str):
    board = _build(request)
    table = next((t for t in board.tables if t.key == key and t.chart), None)
    if table is None:
        raise Http404
    response = HttpResponse(exports.chart_svg(table), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@staff_required
def dashboard_press(request):
    board = _build(request)
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
        response = HttpResponse(exports.pdf(_pdf_html(request, board)), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _pdf_html(request, board: Dashboard) -> str:
    charts = {
        t.key: "data:image/svg+xml;base64," + base64.b64encode(exports.chart_svg(t)).decode()
        for t in board.tables
        if t.chart
    }
    press = compose_press_summary(board.report, unit_name=board.press_unit) if board.report else ""
    return render_to_string(
        "console/dashboard_pdf.html",
        {"board": board, "charts": charts, "press": press, "printed": dt.datetime.now(dt.UTC)},
        request=request,
    )
