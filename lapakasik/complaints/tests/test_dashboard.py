"""The branch dashboard's complaint figures: open, overdue, filed and closed in the period by category."""

from __future__ import annotations

import datetime as dt

from lapakasik.complaints import actions
from lapakasik.complaints.queries import figures


def _service(participant, madiun, category="service"):
    return actions.file_complaint(
        by=participant, kind="complaint", category=category, subject="service", branch=madiun,
        text="Antrean loket terlalu panjang.",
    )  # fmt: skip


def test_the_figures_count_by_category_and_the_overdue(participant, madiun, cso, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 2, 3, tzinfo=dt.UTC), tick=False)
    late = _service(participant, madiun)
    closed = _service(participant, madiun, "personal_data")
    actions.close(closed, by=cso, reason="Dijawab lewat telepon")
    time_machine.move_to(dt.datetime(2026, 12, 3, 3, tzinfo=dt.UTC), tick=False)
    _service(participant, madiun)
    november = figures(madiun, dt.date(2026, 11, 1), dt.date(2026, 11, 30), today=dt.date(2026, 12, 3))
    assert (november["open"], november["waiting"], november["overdue"]) == (2, 2, 1)
    rows = {r["category"]: (r["filed"], r["closed"]) for r in november["by_category"]}
    assert rows["service"] == (1, 0) and rows["personal_data"] == (1, 1)
    assert (november["filed"], november["closed"]) == (2, 1)
    assert late.due_on < dt.date(2026, 12, 3)


def test_the_dashboard_shows_them(client, branch_head, participant, madiun):
    _service(participant, madiun)
    client.force_login(branch_head)
    page = client.get("/console/dashboard/").content.decode()
    assert "Pengaduan dan keberatan menurut kategori" in page and "1 menunggu jawaban" in page
