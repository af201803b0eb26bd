"""No untranslated word and no raw code on any console page, in either language (issue 13).

Every staff role crawls the console (tests/crawl.py) from its start pages and the detail pages of a busy
day — a claim in each open status, a session, payment batches, a bank result, a collective list, a
complaint, a data request, a breach — once in Indonesian and once in English. The visible text of each page
(no script or style; with the placeholders, titles and labels a person reads) must hold none of the other
language's interface words and no raw code: a snake_case token (``batch_opened``), a dotted code
(``jkm.lump_sum``), a lifecycle status or a reason code, an ISO date in prose.

The word lists are curated, not a dictionary: words that only the other language's interface uses. What is
allowed on purpose is listed below with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from lapakasik.payments.tests.conftest import WEDNESDAY_MORNING

from . import test_safe_forms
from .crawl import crawl
from .test_safe_forms import START, _claims_in_each_open_status

busy_day = test_safe_forms.busy_day  # the fixture, shared

ROLES = ["cso", "supervisor", "kepalacabang", "keuangan", "admin"]

# English interface words that an Indonesian page must not show. Not here: words both languages write
# the same way or that Indonesian has borrowed (Status, Data, Program, Total, Filter, Normal, Audit) and the
# months spelt alike in both (April, September, November).
_ENGLISH = """
Officer Officers Weekday Opens Closes Submit Submitted Approve Approved Reject Rejected Search Showing Cancel
Cancelled Save Amount Date Branch Claim Claims Session Sessions Batch Batches Payment Payments Verify Verified
Send Sent Next Previous Back Edit Delete Download Upload Print Filters Sort Page Pages Seats Seat
Templates Template Reason Reasons Programs Name Number Opened Closed Open Close Paid Failed Pending
Received Returned Documents Document Decision Findings Finding Override Passed Found Yes None From Until
Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
June July August October December Days days Hours Minutes Week Month Year the and of for with
"""
ENGLISH = _ENGLISH.split()
# Indonesian interface words that an English page must not show.
_INDONESIAN = """
Simpan Setujui Tolak Batal Batalkan Cari Menampilkan Klaim Sesi Cabang Tanggal Jumlah Petugas Kirim Terkirim
Dibayar Ditolak Disetujui Diajukan Dibatalkan Verifikasi Terverifikasi Dokumen Kurang Alasan Keputusan
Temuan Berkas Unduh Unggah Cetak Hapus Ubah Tambah Halaman Berikutnya Sebelumnya Kembali Kembalikan Hari
Minggu Bulan Tahun Senin Selasa Rabu Kamis Jumat Sabtu Januari Februari Maret Mei Juni Juli Agustus Oktober
Desember Kursi Templat Pembayaran Bayar Hasil Catatan Belum Sudah Tidak Ada Dari Sampai Dan Yang
Untuk Dengan atau dan yang untuk dengan dari pada belum sudah tidak Antrean Persetujuan Dasbor Unduhan Laporan
Pengaduan Keberatan Permintaan Insiden Kuasa Daftar Baris Pemegang Daring Luring Peserta Ahli Waris Pemberi
Rekening Rekonsiliasi Bukti Potong Pajak Bersih Kotor Perkiraan Kalender Kapasitas Rencana Panggil Selesai Mulai
Hadir Menunggu Menit Jam Layanan Pemeriksa Pembuat Tampilan Berisiko Terlambat Buka Tutup Pilih
"""
INDONESIAN = _INDONESIAN.split()

# Allowed on purpose, with why:
ALLOWED = {
    # proper names of demo places, people and employers (data, not interface): the branch is "Madiun",
    # the office's full name is Indonesian in both languages ("Kantor Cabang Madiun").
    "Kantor Cabang",
    # an employer's legal name ("PT Demo Sinar Madiun") and the programs' legal names stay Indonesian in
    # English, with the abbreviation beside them: Jaminan Hari Tua (JHT) is a name, not a sentence.
    "Jaminan Hari Tua",
    "Jaminan Kematian",
    "Jaminan Kecelakaan Kerja",
    "Jaminan Pensiun",
    "Jaminan Kehilangan Pekerjaan",
    "Hari Tua",
    # "batch" is the word Indonesian payment offices use for a transfer batch (the Indonesian interface says
    # "Batch dibuka", "batch pembayaran" throughout, 23 texts); replacing the loanword is a wording decision
    # for the office, not a missing translation.
    "Batch",
    # the test personas' names (booking/tests/conftest.py make_claimant, payments' make_approved_claim)
    "Peserta Uji",
}
# What people typed is shown as they typed it: the busy day's complaint, data request and breach, and the
# bank's own reason text in its result file.
TYPED = {
    "complaint": "Klaim saya belum juga diproses.",
    "correction": "Nama ibu salah",
    "incident": "Laptop hilang",
    "incident_text": "Berisi daftar klaim",
    "bank_reason": "Rekening ditutup",
}
ALLOWED |= set(TYPED.values())

# snake_case (``batch_opened``, ``in_verification``) and dotted codes (``jkm.lump_sum``, ``jht.balance``)
CODE = re.compile(r"\b(?:[a-z]+\.)?[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b(?:jht|jkk|jkm|jp|jkp)\.[a-z]+\b")
ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")


# Elements whose words are deliberately in one language whatever the page's (still checked for raw codes):
KEPT_AS_WRITTEN = {
    # A claim's findings are stored in the office language when they are computed (claims/checks.py runs
    # under translation.override(LANGUAGE_CODE)), and an override is recorded against the finding's text:
    # showing them in English needs findings stored as a code with parameters — a redesign, left for later.
    "findings",  # the claim page's list; "findings-<seat>" on the session page, "findings-<number>" on the
    "failing-findings",  # supervisor's list, and the failed ones in the claim's decision panel
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TextParser(HTMLParser):
    """The text a person reads: element text outside script/style, and the words of placeholder, title,
    aria-label, alt and a submit input's value. Each chunk says whether its words count: not inside an
    element marked ``lang`` for another language (the press summary is Indonesian by design) nor inside
    one of KEPT_AS_WRITTEN."""

    SKIP = {"script", "style", "template"}
    READ_ATTRS = ("placeholder", "title", "aria-label", "alt")

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.chunks: list[tuple[str, bool]] = []
        self._skip = 0
        self._stack: list[tuple[str, bool]] = []  # open elements: (tag, words of the other language allowed)

    @property
    def _kept(self) -> bool:
        return any(kept for _tag, kept in self._stack)

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
            return
        a = {k: v or "" for k, v in attrs}
        testid = a.get("data-testid", "")
        kept = a.get("lang", self.language)[:2] != self.language
        kept = kept or testid in KEPT_AS_WRITTEN or testid.split("-", 1)[0] in KEPT_AS_WRITTEN
        self.chunks += [(a[name], self._kept or kept) for name in self.READ_ATTRS if a.get(name)]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.chunks.append((a["value"], self._kept or kept))
        if tag not in VOID:
            self._stack.append((tag, kept))

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
            return
        for i in range(len(self._stack) - 1, -1, -1):  # close up to the matching open tag (HTML's leniency)
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append((" ".join(data.split()), self._kept))


def visible_text(html: str, language: str = "id") -> list[tuple[str, bool]]:
    parser = TextParser(language)
    parser.feed(html)
    return parser.chunks


def _words(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")


OTHER_LANGUAGE = {"id": _words(ENGLISH), "en": _words(INDONESIAN)}


def offending(chunks: list[tuple[str, bool]], language: str) -> list[str]:
    """The tokens of the other language and the raw codes in a page's text chunks, with their context."""
    found = []
    for chunk, kept in chunks:
        text = chunk
        for allowed in ALLOWED:
            text = text.replace(allowed, " ")
        checks = [(CODE, "code")] if kept else [(OTHER_LANGUAGE[language], "word"), (CODE, "code")]
        for pattern, kind in checks:
            for match in pattern.finditer(text):
                found.append(f"{kind} {match.group(0)!r} in {chunk[:100]!r}")
        for match in ISO_DATE.finditer(text):
            found.append(f"ISO date {match.group(0)!r} in {chunk[:100]!r}")
    return found


def test_the_checker_finds_what_issue_13_reported():
    page = (
        "<main><h1>Templat sesi</h1><th>Officer</th><td>Weekday</td><td>batch_opened</td>"
        "<p>Temuan: jkm.lump_sum sejak 2020-07-23</p><script>var x = 'Officer_id';</script>"
        '<input placeholder="Search"></main>'
    )
    found = offending(visible_text(page), "id")
    assert [f.split(" in ")[0] for f in found] == [
        "word 'Officer'",
        "word 'Weekday'",
        "code 'batch_opened'",
        "code 'jkm.lump_sum'",
        "ISO date '2020-07-23'",
        "word 'Search'",
    ]
    english = (
        '<p>Simpan perubahan</p><p lang="id">Klaim dibayar</p><ul data-testid="findings"><li>Tidak ada</ul>'
    )
    assert offending(visible_text(english, "en"), "en") == ["word 'Simpan' in 'Simpan perubahan'"]
    assert not offending(visible_text("<p>Jaminan Hari Tua (JHT), Kantor Cabang Madiun</p>", "en"), "en")
    assert offending(
        visible_text('<p lang="id">status in_verification</p>', "en"), "en"
    )  # codes count everywhere


@pytest.fixture
def busier_day(busy_day, madiun, participant, employer_rep, branch_head, django_capture_on_commit_callbacks):
    """The busy Wednesday of test_safe_forms, with a complaint, a data request, a breach, a collective list
    and a bank result beside it."""
    from lapakasik.accounts.models import User
    from lapakasik.collective.actions import upload_list
    from lapakasik.collective.demo import sample_rows
    from lapakasik.collective.models import Mandate
    from lapakasik.collective.tests.conftest import documents_for, list_file
    from lapakasik.complaints import actions as complaints
    from lapakasik.complaints.tests.conftest import claim_of
    from lapakasik.payments import actions as payments
    from lapakasik.payments.tests.conftest import make_approved_claim, result_csv
    from lapakasik.privacy import actions as privacy

    with time_machine.travel(WEDNESDAY_MORNING, tick=True), django_capture_on_commit_callbacks(execute=True):
        complaint = complaints.file_complaint(
            by=participant, kind="complaint", category="claim_delay", subject="claim",
            claim=claim_of(participant), text=TYPED["complaint"],
        )  # fmt: skip
        data_request = privacy.request_correction(
            participant.participant, by=participant, text=TYPED["correction"]
        )
        privacy.record_incident(
            by=branch_head, branch=madiun, title=TYPED["incident"], description=TYPED["incident_text"],
            affected_count=120,
        )  # fmt: skip
        finance, checker = User.objects.get(username="keuangan"), User.objects.get(username="keuangan2")
        make_approved_claim(madiun, gross=9_000_000, bank="BCA")
        make_approved_claim(madiun, gross=8_000_000, bank="BCA")
        batch = payments.prepare_batch(madiun, "BCA", by=finance)
        payments.approve_batch(batch, by=checker)
        payments.mark_batch_sent(batch, by=finance)
        first, second, *_rest = batch.payments.order_by("id")
        content = result_csv(
            (first.reference, "paid", first.net, "2026-11-25"),
            (second.reference, "failed", 0, "2026-11-25", "AC04", TYPED["bank_reason"]),
            ("LA0000000001", "paid", 1_000, "2026-11-25"),
        )
        queued = payments.import_bank_result(
            madiun, content=content, file_name="hasil.csv", file_format="csv", by=finance
        )
        result = payments.run_result_import(queued.pk)
    # The demo's mandate runs from the day the demo was loaded, after this Wednesday: it began earlier here.
    Mandate.objects.filter(representative=employer_rep, status="approved").update(
        valid_from=WEDNESDAY_MORNING.date() - dt.timedelta(days=30)
    )
    rows = sample_rows()
    with django_capture_on_commit_callbacks(execute=True):
        mass_list, _ = upload_list(
            by=employer_rep, list_file=list_file(rows), documents_file=documents_for(rows)
        )
    mass_list.refresh_from_db()
    return {
        **busy_day,
        "complaint": complaint,
        "data_request": data_request,
        "mass_list": mass_list,
        "sent": batch,
        "result": result,
    }


def _start_pages(world, madiun) -> list[str]:
    return [
        *START,
        "/console/pengaduan/",
        "/console/data-pribadi/insiden/",
        "/console/data-pribadi/permintaan/",
        *_claims_in_each_open_status(madiun),
        reverse("console:booking_session", args=[world["session"].pk]),
        reverse("console:payments:batch", args=[world["prepared"].number]),
        reverse("console:payments:batch", args=[world["approved"].number]),
        reverse("console:payments:batch", args=[world["sent"].number]),
        reverse("console:payments:result", args=[world["result"].pk]),
        reverse("console:kolektif_list", args=[world["mass_list"].pk]),
        reverse("console:complaint", args=[world["complaint"].number]),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("username", ROLES)
def test_no_console_page_shows_the_other_language_or_a_raw_code(
    client, busier_day, madiun, username, language
):
    from lapakasik.accounts.models import User

    client.cookies["django_language"] = language
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(minutes=5), tick=True):
        client.force_login(User.objects.get(username=username))
        result = crawl(client, _start_pages(busier_day, madiun), per_view=2)
    findings = [
        f"{url}: {finding}"
        for url, html in result.pages.items()
        for finding in offending(visible_text(html, language), language)
    ]
    assert len(result.pages) >= 10
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(sorted(set(findings)))
