"""Bank files, pure: the transfer file we send and the result files banks send back.

No Django, no database: rows in, bytes out; bytes in, rows (or per-line errors) out. The formats
are documented in docs/payments.md; change them there first.

Transfer file (Lapak Asik transfer CSV v1): UTF-8 without BOM, comma-separated, CRLF line ends,
header row, amounts in whole rupiah (digits only), dates YYYY-MM-DD. Each bank may rename or
reorder columns through a mapper in ``TRANSFER_MAPPERS`` (the per-bank hook); the content is the
same. The payment reference is in its own column and at the start of the remark, so that it comes
back in the bank's narrative (MT940 :86:) whatever the bank keeps.

Result CSV (Lapak Asik result CSV v1): header ``reference,status,amount,value_date,bank_reference,
reason_code,reason``; status ``paid`` or ``failed`` (``berhasil``/``gagal`` accepted).

MT940: parsed with the ``mt-940`` package. A debit whose narrative or customer reference carries
our reference is a transfer made; a credit carrying it is the bank returning it (failed), the
narrative after the reference being the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from lapakasik.lib.spreadsheets import CsvWriter

REFERENCE = re.compile(r"\bLA[2-9A-HJ-NP-Z]{10}\b")
REMARK_PREFIX = "LAPAKASIK"


@dataclass(frozen=True)
class TransferLine:
    reference: str
    bank_code: str  # Bank Indonesia clearing code ("002")
    account_number: str
    holder_name: str
    amount: int
    value_date: dt.date
    claim_number: str

    @property
    def remark(self) -> str:
        return f"{REMARK_PREFIX} {self.reference} {self.claim_number}"


Column = tuple[str, Callable[[TransferLine], str]]

STANDARD_COLUMNS: tuple[Column, ...] = (
    ("reference", lambda line: line.reference),
    ("bank_code", lambda line: line.bank_code),
    ("account_number", lambda line: line.account_number),
    ("holder_name", lambda line: line.holder_name),
    ("amount", lambda line: str(line.amount)),
    ("currency", lambda line: "IDR"),
    ("value_date", lambda line: line.value_date.isoformat()),
    ("remark", lambda line: line.remark),
)


@dataclass(frozen=True)
class TransferMapper:
    """How one bank wants the transfer file: its column names and order, its delimiter."""

    name: str
    columns: tuple[Column, ...] = STANDARD_COLUMNS
    delimiter: str = ","


def _renamed(names: dict[str, str], order: Sequence[str]) -> tuple[Column, ...]:
    standard = dict(STANDARD_COLUMNS)
    return tuple((names.get(key, key), standard[key]) for key in order)


# The per-bank hook. These layouts are illustrative stand-ins for each bank's host-to-host or
# bulk-upload template; replace a mapper when the bank's real specification is agreed.
TRANSFER_MAPPERS: dict[str, TransferMapper] = {
    "BRI": TransferMapper("BRI", _renamed(
        {"account_number": "NO_REKENING", "holder_name": "NAMA", "amount": "NOMINAL", "remark": "KETERANGAN",
         "reference": "REFERENSI", "value_date": "TANGGAL", "bank_code": "KODE_BANK", "currency": "MATA_UANG"},
        ["reference", "account_number", "holder_name", "amount", "currency", "value_date", "bank_code", "remark"],
    )),
    "BNI": TransferMapper("BNI", delimiter=";"),
    "MANDIRI": TransferMapper("MANDIRI", _renamed(
        {"account_number": "Account No", "holder_name": "Account Name", "amount": "Amount", "currency": "Currency",
         "remark": "Remark", "reference": "Customer Reference", "value_date": "Value Date", "bank_code": "Bank Code"},
        ["account_number", "holder_name", "currency", "amount", "remark", "reference", "value_date", "bank_code"],
    )),
    "BCA": TransferMapper("BCA", _renamed(
        {"remark": "berita", "reference": "referensi", "account_number": "rekening_tujuan", "holder_name": "nama",
         "amount": "jumlah"},
        ["account_number", "holder_name", "amount", "remark", "reference", "value_date", "bank_code", "currency"],
    )),
}  # fmt: skip
DEFAULT_MAPPER = TransferMapper("standard")


def mapper_for(bank: str) -> TransferMapper:
    return TRANSFER_MAPPERS.get(bank, DEFAULT_MAPPER)


def transfer_csv(lines: Iterable[TransferLine], *, bank: str) -> bytes:
    """The transfer file for one batch: deterministic, so a re-download is byte-identical."""
    mapper = mapper_for(bank)
    out = io.StringIO()
    writer = CsvWriter(out, delimiter=mapper.delimiter)  # formula-safe: holder names come from participants
    writer.writerow([name for name, _ in mapper.columns])
    for line in lines:
        writer.writerow([_clean(value(line)) for _, value in mapper.columns])
    return out.getvalue().encode("utf-8")


def _clean(text: str) -> str:
    """Bank upload tools choke on line breaks and control characters in names."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


# ── results ───────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ResultLine:
    line: int
    reference: str
    outcome: str  # "paid" | "failed"
    amount: int
    value_date: dt.date
    bank_reference: str = ""
    reason_code: str = ""
    reason: str = ""


@dataclass(frozen=True)
class LineError:
    line: int
    message: str  # a catalogue message when ``params`` are given (translate, then fill in)
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self, translate: Callable[[str], str] = str) -> str:
        return translate(self.message) % self.params if self.params else self.message


@dataclass(frozen=True)
class ParsedResult:
    lines: tuple[ResultLine, ...]
    errors: tuple[LineError, ...] = field(default=())


RESULT_COLUMNS = ("reference", "status", "amount", "value_date", "bank_reference", "reason_code", "reason")
OUTCOMES = {"paid": "paid", "berhasil": "paid", "sukses": "paid", "failed": "failed", "gagal": "failed"}


def parse_result_csv(content: bytes) -> ParsedResult:
    """Every bad line is reported (line number, what is wrong); the caller imports nothing then."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedResult((), (LineError(0, "file is not UTF-8 text"),))
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in RESULT_COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        return ParsedResult((), (LineError(1, f"missing columns: {', '.join(missing)}"),))
    lines: list[ResultLine] = []
    errors: list[LineError] = []
    for number, row in enumerate(reader, start=2):
        try:
            lines.append(_result_row(number, row))
        except ValueError as error:
            errors.append(LineError(number, str(error)))
    if not lines and not errors:
        return ParsedResult((), (LineError(2, "the file has a header but no result lines"),))
    return ParsedResult(tuple(lines), tuple(errors))


def _result_row(number: int, row: dict[str, str]) -> ResultLine:
    reference = (row.get("reference") or "").strip().upper()
    if not reference:
        raise ValueError("reference is empty")
    outcome = OUTCOMES.get((row.get("status") or "").strip().lower())
    if outcome is None:
        raise ValueError(f"status {row.get('status')!r} is not paid or failed")
    return ResultLine(
        line=number,
        reference=reference,
        outcome=outcome,
        amount=_whole_rupiah(row.get("amount") or ""),
        value_date=_iso_date(row.get("value_date") or ""),
        bank_reference=(row.get("bank_reference") or "").strip(),
        reason_code=(row.get("reason_code") or "").strip(),
        reason=(row.get("reason") or "").strip(),
    )


def _whole_rupiah(text: str) -> int:
    text = text.strip()
    if not text.isdigit():
        raise ValueError(f"amount {text!r} is not whole rupiah (digits only)")
    return int(text)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"date {text!r} is not YYYY-MM-DD")


def parse_mt940(content: bytes) -> ParsedResult:
    """Statement entries that carry one of our references; other entries are not ours and are skipped."""
    import mt940

    problem = _not_a_statement(content)
    if problem:
        return ParsedResult((), (LineError(0, f"not an MT940 statement: {problem}"),))
    try:
        transactions = mt940.parse(content.decode("utf-8", errors="replace"))
    except Exception as error:  # the parser raises bare exceptions on malformed statements
        return ParsedResult((), (LineError(0, f"not a readable MT940 statement: {error}"),))
    lines: list[ResultLine] = []
    errors: list[LineError] = []
    for number, transaction in enumerate(transactions, start=1):
        data = transaction.data
        narrative = " ".join(
            str(data.get(k) or "") for k in ("customer_reference", "transaction_details", "extra_details")
        )
        match = REFERENCE.search(narrative.upper())
        if not match:
            continue
        try:
            lines.append(_mt940_line(number, match.group(0), data))
        except ValueError as error:
            errors.append(LineError(number, str(error)))
    return ParsedResult(tuple(lines), tuple(errors))


# The fields every MT940 statement carries (SWIFT MT940: transaction reference, account, opening and
# closing balance). The parser itself reads any bytes as a statement with no entries ("0 lines imported").
MT940_REQUIRED_TAGS = {
    ":20:": "transaction reference (:20:)",
    ":25:": "account (:25:)",
    ":60": "opening balance (:60F:/:60M:)",
    ":62": "closing balance (:62F:/:62M:)",
}


def _not_a_statement(content: bytes) -> str:
    if b"\0" in content:
        return "the file is binary, not text"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    if any(not (ch.isprintable() or ch in "\r\n\t") for ch in text):
        return "the file holds control characters, not statement text"
    tags = {line[:4] for line in text.splitlines()}
    missing = [
        label for tag, label in MT940_REQUIRED_TAGS.items() if not any(t.startswith(tag) for t in tags)
    ]
    return ", ".join(f"no {label}" for label in missing)


def _mt940_line(number: int, reference: str, data: dict) -> ResultLine:
    amount = data["amount"]
    if str(getattr(amount, "currency", "IDR")) != "IDR":
        raise ValueError(f"entry {number} is not in IDR")
    try:
        value = Decimal(amount.amount)
    except (InvalidOperation, AttributeError):
        raise ValueError(f"entry {number} has no readable amount")
    if value != value.to_integral_value():
        raise ValueError(f"entry {number} amount {value} is not whole rupiah")
    details = str(data.get("transaction_details") or "")
    returned = value > 0  # a credit back to our account: the bank returned the transfer
    reason = details.split(reference, 1)[-1].strip() if returned else ""
    return ResultLine(
        line=number,
        reference=reference,
        outcome="failed" if returned else "paid",
        amount=abs(int(value)),
        value_date=dt.date(data["date"].year, data["date"].month, data["date"].day),
        bank_reference=str(data.get("bank_reference") or ""),
        reason_code="RETUR" if returned else "",
        reason=reason,
    )


def fold_returns(lines: Sequence[ResultLine]) -> tuple[ResultLine, ...]:
    """In a statement a returned transfer shows twice: the debit, then the credit back. Keep the return.

    A second debit for the same reference stays in, so the importer flags it as a duplicate.
    """
    returned = {line.reference for line in lines if line.outcome == "failed"}
    kept: list[ResultLine] = []
    dropped: set[str] = set()
    for line in lines:
        if line.outcome == "paid" and line.reference in returned and line.reference not in dropped:
            dropped.add(line.reference)  # the one debit the return cancels
            continue
        kept.append(line)
    return tuple(kept)


def _(text: str) -> str:
    """Marks a message for the catalogue (xgettext reads ``_``); the Django caller translates it."""
    return text


FUTURE_DATE = _("baris %(line)s: tanggal bank %(date)s belum terjadi (hari ini %(today)s)")


def future_dates(lines: Iterable[ResultLine], today: dt.date) -> tuple[LineError, ...]:
    """A bank cannot have paid on a day that has not come yet: such a line is a typo or another file.
    ``today`` is the branch's date (its time zone), given by the caller."""
    return tuple(
        LineError(line.line, FUTURE_DATE, {"line": line.line, "date": line.value_date, "today": today})
        for line in lines
        if line.value_date > today
    )


def latest_indonesian_date() -> dt.date:
    """Today in Indonesia's easternmost zone (WIT): no branch's today is later, so a bank date after it
    has not come anywhere yet, whatever the server's own zone."""
    return dt.datetime.now(ZoneInfo("Asia/Jayapura")).date()


def parse_result(content: bytes, file_format: str, *, today: dt.date | None = None) -> ParsedResult:
    """Every problem of the file at once: unreadable lines and bank dates that have not come yet."""
    if file_format == "mt940":
        parsed = parse_mt940(content)
        parsed = ParsedResult(fold_returns(parsed.lines), parsed.errors)
    else:
        parsed = parse_result_csv(content)
    future = future_dates(parsed.lines, today or latest_indonesian_date())
    return ParsedResult(parsed.lines, tuple(sorted(parsed.errors + future, key=lambda e: e.line)))
