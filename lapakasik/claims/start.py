"""What a program's start page says (issue 14, GOV.UK's "start page"): who can claim, what to prepare, how long
it takes, and whether it can be claimed here at all.

Nothing here is written twice: the documents are the rules' checklists (``rules/params/documents.yaml``), the
time is the service level (``rules/params/service.yaml`` through ``sla.allowed_working_days``), and what may be
claimed online is ``cases.PARTICIPANT_CHOICES`` / ``cases.HEIR_CHOICES``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lapakasik.rules.documents import required_documents

from .cases import HEIR_CHOICES, JKK_CHECKLISTS, JP_EVENTS, PARTICIPANT_CHOICES
from .models import Program, Reason
from .sla import allowed_working_days

CLAIM_FORM = "claim_form_materai"
SLUGS = {program.value.lower(): program for program in Program}

# Who may claim, in the words of DOMAIN.md §2 (a start page's first paragraph, not law: the rules decide).
WHO = {
    Program.JHT: _(
        "Peserta yang berhenti bekerja (mengundurkan diri, PHK, kontrak berakhir), mencapai usia pensiun, "
        "cacat total tetap, atau meninggalkan Indonesia untuk selamanya; peserta aktif untuk klaim sebagian "
        "10% atau 30% (perumahan) setelah 10 tahun kepesertaan; ahli waris bila peserta meninggal dunia."
    ),
    Program.JKM: _(
        "Ahli waris (suami atau istri, anak, orang tua) peserta yang meninggal dunia bukan karena kecelakaan "
        "kerja selama masih menjadi peserta. Anak peserta dapat menerima beasiswa setiap tahun."
    ),
    Program.JP: _(
        "Ahli waris peserta yang meninggal dunia (janda atau duda, anak, orang tua). Pensiun hari tua dan "
        "cacat total tetap diajukan di kantor cabang."
    ),
    Program.JKK: _(
        "Peserta yang mengalami kecelakaan kerja atau penyakit akibat kerja, atau ahli warisnya. Klaim "
        "diajukan melalui pemberi kerja atau di kantor cabang, dengan laporan kecelakaan kerja."
    ),
    Program.JKP: _(
        "Pekerja yang terkena PHK (bukan mengundurkan diri atau kontrak berakhir) dengan masa iur yang "
        "cukup, dan terdaftar di SIAPKerja."
    ),
}


@dataclass(frozen=True)
class Route:
    """One way of claiming a program: its reason, whether it is online, and its documents in order."""

    reason: str
    label: str
    online: bool
    by_heir: bool
    documents: list[tuple[str, str]]


@dataclass(frozen=True)
class StartPage:
    program: str
    name: str
    who: str
    routes: list[Route]
    working_days: int | None
    needs_claim_form: bool

    @property
    def online(self) -> bool:
        return any(route.online for route in self.routes)

    @property
    def choice(self) -> str:
        """The ``choice`` the "Mulai klaim" button carries when the program has one online route."""
        online = [route for route in self.routes if route.online]
        return f"{self.program}:{online[0].reason}" if len(online) == 1 else ""


def _reasons(program: str) -> list[tuple[str, str, bool, bool]]:
    """(reason, checklist name, online, by heir) in the order the page lists them."""
    by_heir: dict[tuple[str, str], bool] = {**dict.fromkeys(PARTICIPANT_CHOICES, False)}
    by_heir.update(dict.fromkeys(HEIR_CHOICES, True))
    if program == Program.JKK:
        shown = [(r, c) for r, c in JKK_CHECKLISTS.items() if r != Reason.OCCUPATIONAL_DISEASE]  # same list
        return [(r, c, False, r == Reason.ACCIDENT_DEATH) for r, c in shown]
    if program == Program.JP:
        pairs = [(r, e) for r, e in JP_EVENTS.items() if r != Reason.OLD_AGE_PENSION]
        return [(r, e, (program, r) in by_heir, r == Reason.DEATH) for r, e in pairs]
    listed = [r for p, r in PARTICIPANT_CHOICES + HEIR_CHOICES if p == program]
    return [(r, r, True, by_heir[(program, r)]) for r in listed]


def _documents(program: str, checklist: str, on: dt.date) -> list[tuple[str, str]]:
    english = (get_language() or "id").startswith("en")
    return [
        (d.code, d.label_en if english else d.label_id) for d in required_documents(program, checklist, on)
    ]


def start_page(program: str, on: dt.date) -> StartPage:
    routes = [
        Route(reason, str(Reason(reason).label), online, heir, _documents(program, checklist, on))
        for reason, checklist, online, heir in _reasons(program)
    ]
    return StartPage(
        program=program,
        name=str(Program(program).label),
        who=str(WHO[Program(program)]),
        routes=routes,
        working_days=allowed_working_days(program, on),
        needs_claim_form=any(code == CLAIM_FORM for route in routes for code, _label in route.documents),
    )
