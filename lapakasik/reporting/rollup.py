"""Keeping the paid-claims rollups current. ONE entry point for every path that pays a claim.

Whoever turns claims into `paid` calls, in the same transaction as the status change::

    from lapakasik.reporting.rollup import record_paid
    record_paid(claims)          # Claim objects (or dicts) already carrying paid_on and amount_paid

The history importer does so after its bulk insert; the payments action (`lapakasik/payments/`)
must do so when the bank confirms a payment. Nothing else writes the rollup tables, except
`rebuild_rollups()` (`python -m lapakasik report rebuild-rollups`), which recomputes them from the
claims table, e.g. after a branch moves to another regional office.

`add_to_rollup(increments)` is the lower level: it takes pre-grouped increments (negative values
undo a payment). Writes are `INSERT … ON CONFLICT DO UPDATE SET cases = cases + EXCLUDED.cases`
(PostgreSQL and SQLite ≥ 3.24 share the syntax), so concurrent payments on the same day add up
instead of overwriting each other; keys are written in sorted order so two concurrent batches
cannot deadlock on each other's rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from lapakasik.registry.models import Branch

from .models import WAIT_BANDS

WAIT_COLUMNS = tuple(name for name, _, _ in WAIT_BANDS)
MEASURES = ("cases", "amount", "wait_cases", "wait_days", *WAIT_COLUMNS)


@dataclass(frozen=True, order=True)
class DailyKey:
    branch_id: int
    paid_on: dt.date
    area_id: int
    program: str
    channel: str
    reason: str


def wait_band(days: int) -> str:
    for name, low, high in WAIT_BANDS:
        if days >= low and (high is None or days <= high):
            return name
    return WAIT_COLUMNS[0]  # a payment dated before its submission counts as immediate


def increments_for(claims: Iterable[Any]) -> dict[DailyKey, dict[str, int]]:
    """Group paid claims (model instances or mappings) into per-day increments."""
    groups: dict[DailyKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for claim in claims:
        get: Any = claim.get if isinstance(claim, Mapping) else lambda name, c=claim: getattr(c, name)
        key = DailyKey(
            get("branch_id"),
            get("paid_on"),
            get("area_id"),
            str(get("program")),
            str(get("channel")),
            str(get("reason")),
        )
        group = groups[key]
        group["cases"] += 1
        group["amount"] += get("amount_paid") or 0
        submitted = get("submitted_on")
        if submitted is not None:
            days = (key.paid_on - submitted).days
            group["wait_cases"] += 1
            group["wait_days"] += days
            group[wait_band(days)] += 1
    return dict(groups)


def record_paid(claims: Iterable[Any], *, using: str = "default") -> int:
    """Add claims that just became paid to the rollups. Call inside the paying transaction."""
    return add_to_rollup(increments_for(claims), using=using)


def add_to_rollup(increments: Mapping[DailyKey, Mapping[str, int]], *, using: str = "default") -> int:
    """Add grouped increments to the three rollup tables; returns the number of day groups."""
    if not increments:
        return 0
    offices = dict(
        Branch.objects.using(using)
        .filter(id__in={key.branch_id for key in increments})
        .values_list("id", "regional_office")
    )
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    office: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for key, values in increments.items():
        month = key.paid_on.replace(day=1)
        for grain, start in (("D", key.paid_on), ("M", month)):
            _add(cells[(key.branch_id, grain, start, key.area_id, key.program)], values)
            _add(office[(grain, start, offices[key.branch_id], key.program)], values)
    daily_rows = [
        (*_daily_key_tuple(key), *(increments[key].get(m, 0) for m in MEASURES)) for key in sorted(increments)
    ]
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        _upsert(
            cursor,
            "reporting_paiddaily",
            ("branch_id", "paid_on", "area_id", "program", "channel", "reason"),
            MEASURES,
            daily_rows,
        )
        _upsert(
            cursor,
            "reporting_paidcell",
            ("branch_id", "grain", "period_start", "area_id", "program"),
            ("cases", "amount"),
            [(*k, *v) for k, v in sorted(cells.items())],
        )
        _upsert(
            cursor,
            "reporting_paidoffice",
            ("grain", "period_start", "regional_office", "program"),
            ("cases", "amount"),
            [(*k, *v) for k, v in sorted(office.items())],
        )
    return len(daily_rows)


def _add(total: list[int], values: Mapping[str, int]) -> None:
    total[0] += values.get("cases", 0)
    total[1] += values.get("amount", 0)


def _daily_key_tuple(key: DailyKey) -> tuple:
    return (key.branch_id, key.paid_on, key.area_id, key.program, key.channel, key.reason)


def _upsert(cursor, table: str, keys: tuple[str, ...], measures: tuple[str, ...], rows: list[tuple]) -> None:
    columns = (*keys, *measures)
    additions = ", ".join(f"{m} = {table}.{m} + EXCLUDED.{m}" for m in measures)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {additions}"
    )
    cursor.executemany(sql, rows)


# What the rollups count, as rows of (branch_id, paid_on, area_id, program, channel, reason, amount_paid,
# submitted_on): every paid claim once, except JKP paid through payments, which counts each monthly payment
# in the month the bank paid it (its waiting time with the first). A JKP claim paid without payment rows
# (imported history) counts once, as it was recorded. Constants only: no input reaches this text.
PAID_ROWS = """
    SELECT c.branch_id, c.paid_on, c.area_id, c.program, c.channel, c.reason, c.amount_paid, c.submitted_on
    FROM claims_claim c
    WHERE c.status = 'paid' AND (c.program <> 'JKP' OR NOT EXISTS (
        SELECT 1 FROM payments_payment p WHERE p.claim_id = c.id AND p.status = 'paid'))
    UNION ALL
    SELECT c.branch_id, p.paid_on, c.area_id, c.program, c.channel, c.reason, p.gross,
        CASE WHEN p.instalment = 1 THEN c.submitted_on END
    FROM payments_payment p JOIN claims_claim c ON c.id = p.claim_id
    WHERE p.status = 'paid' AND c.program = 'JKP'
"""
CLAIM_ROWS = """
    SELECT c.branch_id, c.paid_on, c.area_id, c.program, c.channel, c.reason, c.amount_paid, c.submitted_on
    FROM claims_claim c WHERE c.status = 'paid'
"""


def instalment_paid(payment: Any, claim: Any) -> dict[str, Any]:
    """One JKP monthly payment as the rollups count it: a case in the month the bank paid it, its gross;
    the waiting time (submission to payment) is the first month's only."""
    return {
        "branch_id": claim.branch_id,
        "paid_on": payment.paid_on,
        "area_id": claim.area_id,
        "program": claim.program,
        "channel": claim.channel,
        "reason": claim.reason,
        "amount_paid": payment.gross,
        "submitted_on": claim.submitted_on if payment.instalment == 1 else None,
    }


def rebuild_rollups(*, using: str = "default", instalments: bool = True) -> None:
    """Recompute every rollup from the paid claims and JKP's paid monthly payments, set-based, in one
    transaction. ``instalments=False`` reads the claims alone (the first fill, before payments existed)."""
    vendor = connections[using].vendor
    if vendor == "postgresql":
        wait, month = "(c.paid_on - c.submitted_on)", "date_trunc('month', {col})::date"
    else:
        wait, month = (
            "CAST(julianday(c.paid_on) - julianday(c.submitted_on) AS INTEGER)",
            "date({col}, 'start of month')",
        )
    bands = ", ".join(
        f"SUM(CASE WHEN {wait} >= {low}{'' if high is None else f' AND {wait} <= {high}'} THEN 1 ELSE 0 END)"
        if low
        else f"SUM(CASE WHEN {wait} <= {high} THEN 1 ELSE 0 END)"
        for _name, low, high in WAIT_BANDS
    )
    # Only constants and the vendor's date expressions are interpolated below, never input.
    statements = [
        "DELETE FROM reporting_paiddaily",
        "DELETE FROM reporting_paidcell",
        "DELETE FROM reporting_paidoffice",
        f"""INSERT INTO reporting_paiddaily (branch_id, paid_on, area_id, program, channel, reason,
              {", ".join(MEASURES)})
            SELECT c.branch_id, c.paid_on, c.area_id, c.program, c.channel, c.reason, COUNT(*),
              SUM(c.amount_paid), COUNT(c.submitted_on), COALESCE(SUM({wait}), 0), {bands}
            FROM ({PAID_ROWS if instalments else CLAIM_ROWS}) c
            GROUP BY c.branch_id, c.paid_on, c.area_id, c.program, c.channel, c.reason""",  # noqa: S608
        """INSERT INTO reporting_paidcell (branch_id, grain, period_start, area_id, program, cases, amount)
            SELECT branch_id, 'D', paid_on, area_id, program, SUM(cases), SUM(amount) FROM reporting_paiddaily
            GROUP BY branch_id, paid_on, area_id, program""",
        f"""INSERT INTO reporting_paidcell (branch_id, grain, period_start, area_id, program, cases, amount)
            SELECT branch_id, 'M', {month.format(col="period_start")}, area_id, program, SUM(cases), SUM(amount)
            FROM reporting_paidcell WHERE grain = 'D'
            GROUP BY branch_id, {month.format(col="period_start")}, area_id, program""",  # noqa: S608
        """INSERT INTO reporting_paidoffice (grain, period_start, regional_office, program, cases, amount)
            SELECT p.grain, p.period_start, b.regional_office, p.program, SUM(p.cases), SUM(p.amount)
            FROM reporting_paidcell p JOIN registry_branch b ON b.id = p.branch_id
            GROUP BY p.grain, p.period_start, b.regional_office, p.program""",
    ]
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
