"""Reading a mass-termination list (CSV or XLSX) into rows. Pure: no database, no request.

The list comes from a company's HR office, usually out of Excel, so the reader expects Excel's
habits: a BOM, semicolons (Indonesian Excel's list separator), NIKs turned into numbers
(`3.519e+15`, or 15 significant digits with the last one zeroed), dates as serial numbers, merged
cells, blank rows and extra columns. Every problem becomes a message about one row and one column,
stored as an untranslated Indonesian msgid plus parameters so it is shown in the reader's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from lapakasik.lib.errors import DeferredMessageError
from lapakasik.lib.identifiers import check_kpj, check_nik, normalize_digits
from lapakasik.lib.spreadsheets import CsvWriter, safe_cell, xlsx_workbook

from .files import UnsafeArchive, check_archive

MAX_ROWS = 100_000
MAX_LIST_BYTES = 40 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's Indonesian header, also the label in messages
    aliases: tuple[str, ...]
    optional: bool = False  # a list without it is read as before (Program: every row JHT)


COLUMNS = (
    Column("nik", N_("NIK"), ("nik", "noktp", "nomorindukkependudukan")),
    Column("kpj", N_("No. KPJ"), ("kpj", "nokpj", "nomorkpj", "nomorpeserta")),
    Column("full_name", N_("Nama Lengkap"), ("namalengkap", "nama", "name", "fullname", "namapekerja")),
    Column("birth_date", N_("Tanggal Lahir"), ("tanggallahir", "tgllahir", "birthdate", "dateofbirth")),
    Column("termination_date", N_("Tanggal Berhenti Bekerja"),
           ("tanggalberhentibekerja", "tanggalberhenti", "tglberhenti", "tanggalphk", "terminationdate")),
    Column("reason", N_("Alasan Berhenti"), ("alasanberhenti", "alasan", "reason", "alasanklaim")),
    Column("bank", N_("Nama Bank"), ("namabank", "bank")),
    Column("account_number", N_("Nomor Rekening"),
           ("nomorrekening", "norekening", "rekening", "norek", "accountnumber")),
    Column("holder_name", N_("Nama Pemilik Rekening"),
           ("namapemilikrekening", "pemilikrekening", "atasnama", "accountholder")),
    Column("program", N_("Program"), ("program", "programklaim", "jenisklaim", "klaim"), optional=True),
)  # fmt: skip
# The programs a collective list may claim: JHT (the default) and JKP for workers laid off (PHK).
PROGRAMS = {
    "JHT": ("jht", "jaminanharitua"),
    "JKP": ("jkp", "jaminankehilanganpekerjaan"),
}
PROGRAM_BY_ALIAS = {alias: code for code, aliases in PROGRAMS.items() for alias in aliases}
# "row" for problems of the row as a whole (e.g. a duplicate), "file" for the list as a whole.
LABELS = {**{c.key: c.header for c in COLUMNS}, "row": N_("Baris"), "documents": N_("Dokumen")}

REASONS = {
    "phk": ("phk", "pemutusanhubungankerja", "dipecat", "termination", "layoff", "dismissal"),
    "resign": ("resign", "mengundurkandiri", "pengunduurandiri", "pengundurandiri", "undurdiri", "resignation"),
    "end_of_contract": ("endofcontract", "kontrakberakhir", "habiskontrak", "akhirkontrak", "pkwt",
                        "pkwtberakhir", "berakhirkontrak", "selesaikontrak", "contractend"),
}  # fmt: skip
REASON_BY_ALIAS = {alias: code for code, aliases in REASONS.items() for alias in aliases}

MONTHS = {
    1: ("januari", "jan", "january"), 2: ("februari", "feb", "pebruari", "peb", "february"),
    3: ("maret", "mar", "march"), 4: ("april", "apr"), 5: ("mei", "may"), 6: ("juni", "jun", "june"),
    7: ("juli", "jul", "july"), 8: ("agustus", "agu", "agt", "ags", "aug", "august"),
    9: ("september", "sep", "sept"), 10: ("oktober", "okt", "oct", "october"),
    11: ("november", "nov", "nop", "nopember"), 12: ("desember", "des", "dec", "december"),
}  # fmt: skip
MONTH_BY_NAME = {name: number for number, names in MONTHS.items() for name in names}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, including its phantom 29 Feb 1900

_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_NAMED = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{2,4})$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)[.,]0+$")


@dataclass(frozen=True)
class Issue:
    """One problem with one cell: column key, Indonesian msgid, parameters."""

    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> list:
        return [self.column, self.message, self.params]

    @classmethod
    def from_json(cls, raw: list) -> Issue:
        return cls(raw[0], raw[1], raw[2] if len(raw) > 2 else {})

    def render(self) -> str:
        text = gettext(self.message)
        text = text % self.params if self.params else text
        # "subject": what the message is about when the message cannot name it (a file in the ZIP).
        return f"{self.params['subject']}: {text}" if "subject" in self.params else text

    def column_label(self) -> str:
        return gettext(LABELS.get(self.column, self.column))


@dataclass
class ParsedRow:
    line: int
    cells: dict[str, str]  # the cells as the user typed them (text), for the error report
    nik: str = ""
    kpj: str = ""
    full_name: str = ""
    birth_date: dt.date | None = None
    termination_date: dt.date | None = None
    reason: str = ""
    program: str = "JHT"
    bank: str = ""
    account_number: str = ""
    holder_name: str = ""
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def fail(self, column: str, message: str, **params: Any) -> None:
        self.errors.append(Issue(column, message, params))

    def warn(self, column: str, message: str, **params: Any) -> None:
        self.warnings.append(Issue(column, message, params))

    def fingerprint(self) -> str:
        """The row after normalisation: two files that say the same thing have the same fingerprints."""
        values = [
            self.nik,
            self.kpj,
            self.full_name.upper(),
            str(self.birth_date or ""),
            str(self.termination_date or ""),
            self.reason,
            self.bank,
            self.account_number,
            self.holder_name.upper(),
        ]
        if self.program != "JHT":  # a JHT row hashes as it did before lists had a Program column
            values.append(self.program)
        if self.errors:  # an unreadable cell is kept as typed, so a corrected file hashes differently
            values += [self.cells.get(c.key, "") for c in COLUMNS]
        return "\x1f".join(values)


class ListFileError(DeferredMessageError):
    """The file as a whole cannot be read. `message` is a msgid, `params` its parameters."""


@dataclass
class Table:
    """A header mapped onto our columns, and the data rows as (line number, raw cells)."""

    positions: dict[str, int]
    extra_columns: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    merged_lines: dict[int, str] = field(default_factory=dict)  # line → a merged range covering it
    estimated_rows: int = 0  # for the progress bar before the rows are counted


# --- reading ------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Table:
    if len(data) > MAX_LIST_BYTES:
        raise ListFileError(N_("Berkas terlalu besar (lebih dari %(mb)d MB)."), mb=MAX_LIST_BYTES // 2**20)
    if not data.strip():
        raise ListFileError(N_("Berkas kosong."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ListFileError(
            N_("Berkas Excel tidak dapat dibaca; simpan sebagai .xlsx (Excel 2007 atau lebih baru).")
        )
    return _read_csv(data)


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ListFileError(
            N_("Berkas berenkode UTF-16 ('Unicode Text'). Di Excel pilih Simpan Sebagai → 'CSV UTF-8'.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ListFileError(
            N_(
                "Berkas bukan teks UTF-8 (byte ke-%(pos)d tidak dapat dibaca). Di Excel pilih Simpan Sebagai → "
                "'CSV UTF-8 (Comma delimited)', atau unggah berkas .xlsx."
            ),
            pos=error.start + 1,
        )


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ListFileError(N_("Berkas kosong."))
    except csv.Error:
        raise ListFileError(N_("Baris judul kolom tidak dapat dibaca."))
    positions, extra = _map_header(header)
    return Table(positions, extra, _csv_rows(reader), estimated_rows=max(text.count("\n") - 1, 1))


def _csv_rows(reader) -> Iterator[tuple[int, list[Any]]]:
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise ListFileError(
            N_("Baris %(line)d tidak dapat dibaca: %(detail)s"), line=reader.line_num, detail=str(error)
        )


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported here: loading it costs ~0.2 s and CSV lists do not need it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive, max_total=MAX_XLSX_UNCOMPRESSED, max_entries=10_000)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnsafeArchive as error:
        raise ListFileError(N_("Berkas Excel ditolak: %(detail)s"), detail=error.render())
    except Exception:  # openpyxl raises many types for a damaged file
        raise ListFileError(N_("Berkas Excel rusak atau bukan .xlsx."))
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ListFileError(N_("Lembar kerja pertama kosong."))
    positions, extra = _map_header(["" if h is None else str(h) for h in header])
    merged = _merged_lines(archive, getattr(sheet, "_worksheet_path", "xl/worksheets/sheet1.xml"))
    estimate = max((sheet.max_row or 2) - 1, 1)
    return Table(positions, extra, ((i, list(r)) for i, r in enumerate(rows, start=2)), merged, estimate)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_lines(archive: zipfile.ZipFile, path: str) -> dict[int, str]:
    """openpyxl's streaming reader drops merged ranges; they sit at the end of the sheet's XML."""
    lines: dict[int, str] = {}
    tail = b""
    with archive.open(path.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            buffer = tail + chunk
            for match in _MERGE.finditer(buffer):
                c1, r1, c2, r2 = (g.decode() for g in match.groups())
                for line in range(max(int(r1), 2), int(r2) + 1):
                    lines.setdefault(line, f"{c1}{r1}:{c2}{r2}")
            tail = buffer[-200:]
    return lines


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    by_alias = {alias: c.key for c in COLUMNS for alias in c.aliases}
    positions: dict[str, int] = {}
    extra: list[str] = []
    for index, name in enumerate(header):
        key = by_alias.get(_key(name))
        if key and key not in positions:
            positions[key] = index
        elif name.strip():
            extra.append(name.strip())
    missing = [c.header for c in COLUMNS if c.key not in positions and not c.optional]
    if missing:
        raise ListFileError(
            N_("Kolom wajib tidak ditemukan: %(columns)s. Gunakan templat dari halaman unggah."),
            columns=", ".join(missing),
        )
    return positions, extra


# --- rows -----------------------------------------------------------------------------------


def parse_rows(table: Table) -> Iterator[ParsedRow]:
    """Every non-empty data row, parsed; messages stay Indonesian msgids whatever the active language."""
    count = 0
    with translation.override("id"):
        for line, raw in table.rows:
            values = {c.key: _cell(raw, table.positions[c.key]) for c in COLUMNS if c.key in table.positions}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ListFileError(
                    N_("Daftar berisi lebih dari %(max)s baris; bagi menjadi beberapa berkas."),
                    max=f"{MAX_ROWS:,}".replace(",", "."),
                )
            row = parse_row(line, values)
            if line in table.merged_lines:
                row.fail(
                    "row",
                    N_(
                        "Baris ini berada dalam sel gabungan (merged cells) %(range)s; isi setiap "
                        "baris secara terpisah."
                    ),
                    range=table.merged_lines[line],
                )
            yield row


def _cell(raw: list[Any], index: int) -> Any:
    return raw[index] if index < len(raw) else None


def as_text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_row(line: int, values: dict[str, Any]) -> ParsedRow:
    row = ParsedRow(line=line, cells={key: as_text(value) for key, value in values.items()})
    row.nik = _nik(row, values["nik"])
    row.kpj = _kpj(row, values["kpj"])
    row.full_name = _required_text(row, "full_name", values["full_name"])
    row.birth_date = parse_date(row, "birth_date", values["birth_date"])
    row.termination_date = parse_date(row, "termination_date", values["termination_date"])
    row.reason = _reason(row, values["reason"])
    row.program = _program(row, values.get("program"))
    row.bank = _bank(row, values["bank"])
    row.account_number = _account(row, values["account_number"])
    row.holder_name = _required_text(row, "holder_name", values["holder_name"])
    if (
        row.nik
        and row.birth_date
        and _nik_birth(row.nik) != (row.birth_date.day, row.birth_date.month, row.birth_date.year % 100)
    ):
        row.fail("birth_date", N_("Tanggal lahir pada NIK tidak sama dengan tanggal lahir yang diisi."))
    return row


@lru_cache(maxsize=4096)
def _region_errors(prefix: str) -> tuple[str, ...]:
    # lokal's look-ups cost ~40 µs each; a list has a few hundred districts, not 10,000.
    with translation.override("id"):
        return tuple(check_nik(prefix + "0101900001").errors)


def _nik_birth(nik: str) -> tuple[int, int, int]:
    day = int(nik[6:8])
    return (day - 40 if day > 40 else day, int(nik[8:10]), int(nik[10:12]))


def _nik_structure(row: ParsedRow, nik: str) -> bool:
    """check_nik's rules (lib/identifiers.py), with its region look-ups cached per district."""
    errors = _region_errors(nik[:6])
    for message in errors:
        row.fail("nik", message)
    if errors:
        return False
    day, month, year = _nik_birth(nik)
    if not any(_is_date(century + year, month, day) for century in (1900, 2000)):
        row.fail("nik", N_("Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang sah."))
        return False
    if nik[12:] == "0000":
        row.fail("nik", N_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))
        return False
    return True


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _nik(row: ParsedRow, value: Any) -> str:
    explain = N_(
        "Excel menyimpan NIK sebagai angka dan hanya menyimpan 15 digit, sehingga NIK berubah "
        "(tertulis %(value)s). Format kolom NIK sebagai Teks, ketik ulang NIK, lalu unggah lagi."
    )
    if isinstance(value, float) and not value.is_integer():
        row.fail("nik", explain, value=as_text(value))
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
        if len(text) != 16 or text.endswith("0"):  # a 16th digit typed into Excel always becomes 0
            row.fail("nik", explain, value=text)
            return ""
        row.warn("nik", N_("NIK tersimpan sebagai angka; format kolom NIK sebagai Teks agar aman."))
        return text
    text = as_text(value)
    if _SCIENTIFIC.match(text):
        row.fail("nik", explain, value=text)
        return ""
    if whole := _WHOLE_FLOAT.match(text):
        text = whole.group(1)
    digits = text if text.isdigit() else normalize_digits(text)
    if not digits:
        row.fail("nik", N_("NIK wajib diisi."))
    elif not digits.isdigit():
        row.fail("nik", N_("NIK hanya boleh berisi angka (tertulis %(value)s)."), value=text)
    elif len(digits) != 16:
        row.fail(
            "nik",
            N_(
                "NIK harus 16 digit; yang tertulis %(n)d digit. Jika NIK diketik di Excel tanpa "
                "format Teks, digit di depan atau di belakang bisa hilang."
            ),
            n=len(digits),
        )
    else:
        return digits if _nik_structure(row, digits) else ""
    return ""


def _kpj(row: ParsedRow, value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = as_text(value)
        if len(text) < 11:
            row.fail(
                "kpj",
                N_(
                    "Nomor KPJ tersimpan sebagai angka sehingga angka 0 di depan hilang (tertulis "
                    "%(value)s). Format kolom sebagai Teks lalu ketik ulang."
                ),
                value=text,
            )
            return ""
    text = as_text(value)
    if not text:
        row.fail("kpj", N_("Nomor KPJ wajib diisi."))
        return ""
    if text.isdigit() and len(text) == 11:
        return text
    errors = check_kpj(text)
    for message in errors:
        row.fail("kpj", message)
    return "" if errors else normalize_digits(text)


def _required_text(row: ParsedRow, column: str, value: Any) -> str:
    text = " ".join(as_text(value).split())
    if not text:
        row.fail(column, N_("Wajib diisi."))
    elif len(text) > 150:
        row.fail(column, N_("Terlalu panjang (paling banyak 150 huruf)."))
        return ""
    return text


def parse_date(row: ParsedRow, column: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    try:
        if not text:
            row.fail(column, N_("Tanggal wajib diisi."))
            return None
        day = read_date(text)
    except NoSuchDate:
        row.fail(
            column, N_("Tanggal %(value)s tidak ada di kalender; periksa hari dan bulannya."), value=text
        )
        return None
    except ValueError:
        row.fail(
            column,
            N_(
                "Tanggal %(value)s tidak dapat dibaca. Tulis HH/BB/TTTT (misalnya 05/07/2020), "
                "TTTT-BB-HH, atau '5 Juli 2020'."
            ),
            value=text,
        )
        return None
    if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
        row.fail(column, N_("Tanggal %(value)s di luar rentang yang masuk akal."), value=text)
        return None
    return day


def read_date(text: str) -> dt.date:
    """The Indonesian ways of writing a date (always day before month), ISO, or an Excel serial."""
    text = text.strip()
    if text.isdigit() and len(text) <= 5:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _calendar_date(year, month, day)
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return _calendar_date(_four_digit_year(year), month, day)
    if match := _NAMED.match(text):
        named = MONTH_BY_NAME.get(match.group(2).lower())
        if named is None:
            raise ValueError(text)
        return _calendar_date(_four_digit_year(int(match.group(3))), named, int(match.group(1)))
    raise ValueError(text)


class NoSuchDate(ValueError):
    """Written the right way, but not a day of the calendar (31/02/1985)."""


def _calendar_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDate(f"{day}/{month}/{year}") from None


def _four_digit_year(year: int) -> int:
    # "05/07/20" could be 1920 or 2020 for a birth date: refuse rather than guess.
    if year < 1000:
        raise ValueError(year)
    return year


def _reason(row: ParsedRow, value: Any) -> str:
    text = as_text(value)
    code = REASON_BY_ALIAS.get(_key(text))
    if code is None:
        row.fail(
            "reason",
            N_("Alasan '%(value)s' tidak dikenal; isi PHK, Mengundurkan diri, atau Kontrak berakhir."),
            value=text or "-",
        )
        return ""
    return code


def _program(row: ParsedRow, value: Any) -> str:
    text = as_text(value)
    if not text:
        return "JHT"
    code = PROGRAM_BY_ALIAS.get(_key(text))
    if code is None:
        row.fail(
            "program",
            N_(
                "Program '%(value)s' tidak dapat diklaim lewat daftar kolektif; isi JHT atau JKP (kosong: JHT)."
            ),
            value=text,
        )
        return "JHT"
    return code


def _bank(row: ParsedRow, value: Any) -> str:
    text = re.sub(r"^(?:PT\.?\s+)?BANK\s+", "", " ".join(as_text(value).upper().split()))
    if not text:
        row.fail("bank", N_("Nama bank wajib diisi."))
    elif len(text) > 20:
        row.fail("bank", N_("Tulis nama singkat bank, misalnya BRI, BNI, MANDIRI, BCA, BSI, BTN."))
        return ""
    return text


def _account(row: ParsedRow, value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel drops leading zeros from a number, and many banks' account numbers start with 0: a
        # number here cannot be told from a truncated one, and the money would go to another account.
        row.fail(
            "account_number",
            N_(
                "Nomor rekening tersimpan sebagai angka sehingga angka 0 di depan bisa "
                "hilang (tertulis %(value)s). Format kolom sebagai Teks lalu ketik ulang."
            ),
            value=as_text(value),
        )
        return ""
    text = as_text(value)
    text = text if text.isdigit() else normalize_digits(text)
    if not text:
        row.fail("account_number", N_("Nomor rekening wajib diisi."))
    elif not text.isdigit() or not 6 <= len(text) <= 20:
        row.fail(
            "account_number",
            N_("Nomor rekening harus 6–20 angka (tertulis %(value)s)."),
            value=as_text(value),
        )
        return ""
    return text


# --- writing (template and error report) ----------------------------------------------------


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """Semicolon-separated with a BOM: what Indonesian-locale Excel opens into columns directly."""
    out = io.StringIO()
    writer = CsvWriter(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(header: list[str], rows: Iterable[list[Any]], *, sheet: str = "Daftar") -> bytes:
    """Every cell written as text (never a formula); NIK, KPJ and account columns formatted as text."""
    out = io.BytesIO()
    book = xlsx_workbook(out)
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "num_format": "@"})
    page = book.add_worksheet(sheet)
    for col, name in enumerate(header):
        page.write_string(0, col, str(safe_cell(name)), bold)
        page.set_column(col, col, max(12, len(name) + 2), text)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            page.write_string(r, col, str(safe_cell("" if value is None else str(value))), text)
    page.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def template_header() -> list[str]:
    """Always the Indonesian headers: the list is the same document whatever the reader's language."""
    return [c.header for c in COLUMNS]


def template_example() -> list[str]:
    return [
        "3519081204900001",
        "19000000001",
        "Contoh Nama Pekerja",
        "12/04/1990",
        "30/09/2026",
        "PHK",
        "BRI",
        "001201000123456",
        "Contoh Nama Pekerja",
        "JHT",
    ]
