"""From registry facts to a rules case: eligibility, the itemized estimate and the documents checklist.

The law lives in ``lapakasik.rules``; this module only gathers the facts the rules ask for (dates of
employment, death, the recorded JHT balance); claims and rules share one reason vocabulary.
Interfaces call :func:`assess` and never build a rules case themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lapakasik.registry.models import Employment, Heir, Participant, Relationship
from lapakasik.rules.api import estimate, estimate_many
from lapakasik.rules.dates import age_on
from lapakasik.rules.documents import document_labels, required_documents
from lapakasik.rules.errors import RulesInputError

from .models import PROGRAM_STARTS, Claim, JhtBalance, Program, Reason

# JHT claim reasons are the rules' reasons (one vocabulary, lapakasik.rules.reasons); JKK and JP
# cases name a benefit or an event instead, mapped here.
# Claim reasons → the rules' JKK document checklists; an accident is first a temporary incapacity (STMB).
JKK_CHECKLISTS: dict[str, str] = {
    Reason.ACCIDENT: "stmb",
    Reason.OCCUPATIONAL_DISEASE: "stmb",
    Reason.ACCIDENT_DEATH: "death",
}
JP_EVENTS = {
    Reason.DEATH: "death",
    Reason.DISABILITY: "disability",
    Reason.OLD_AGE_LUMP_SUM: "old_age",
    Reason.OLD_AGE_PENSION: "old_age",
}
JP_START = dt.date(2015, 7, 1)
JKP_START = PROGRAM_STARTS[Program.JKP]
JKP_WINDOW_MONTHS = 24  # PP 37/2021 ps. 19: contributions counted within the 24 months before the PHK

# What can be claimed online, by who asks. JKK needs the accident report and wages the officer
# records at the branch; heirs claim what a death opens; JKP opens only on a PHK (PP 37/2021 ps. 19).
PARTICIPANT_CHOICES = [
    (Program.JHT, r)
    for r in (Reason.RESIGN, Reason.PHK, Reason.END_OF_CONTRACT, Reason.SELF_EMPLOYED_STOP, Reason.RETIREMENT_AGE,
              Reason.LEAVING_INDONESIA, Reason.DISABILITY, Reason.PARTIAL_10, Reason.PARTIAL_30)
] + [(Program.JKP, Reason.PHK)]  # fmt: skip
HEIR_CHOICES = [(Program.JKM, Reason.DEATH), (Program.JHT, Reason.DEATH), (Program.JP, Reason.DEATH)]


@dataclass
class Assessment:
    """What the rules say about one case today, ready for a page or an API answer."""

    program: str
    reason: str
    eligible: bool
    reasons: list[str]
    payable_from: dt.date | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    tax: int = 0
    net: int = 0
    documents: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    problem: str = ""  # the estimate could not be computed from what the registry holds
    estimate: bool = False
    notes: list[str] = field(default_factory=list)  # the rules' notes; at most one about uncertain rules
    schedule: list[dict[str, Any]] = field(default_factory=list)  # yearly scholarship payments (JKM)

    @property
    def monthly(self) -> bool:
        """Paid month by month (JKP's six payments), not at once."""
        return any(item["periodicity"] == "monthly" for item in self.items)

    @property
    def can_start(self) -> bool:
        # A missing registry fact (wage history) is the officer's to complete, not a reason to refuse.
        return self.eligible or bool(self.problem)


def _text(entry: dict[str, Any], key: str = "message") -> str:
    return entry[f"{key}_en"] if (get_language() or "id").startswith("en") else entry[f"{key}_id"]


def employment_span(participant: Participant) -> tuple[dt.date | None, dt.date | None]:
    """First start and latest end (None while any employment is still open)."""
    return span_of(participant.employments.values_list("start", "end"))


def span_of(spans: Iterable[tuple[dt.date, dt.date | None]]) -> tuple[dt.date | None, dt.date | None]:
    spans = list(spans)
    if not spans:
        return None, None
    start = min(s for s, _ in spans)
    ends = [e for _, e in spans]
    return start, (None if any(e is None for e in ends) else max(e for e in ends if e))


@dataclass(frozen=True)
class Job:
    """One employment as a JKP case reads it."""

    start: dt.date
    end: dt.date | None
    end_reason: str
    reported_wage: int | None


@dataclass(frozen=True)
class RegistryFacts:
    """What a case reads from the registry beyond the participant row, when it was loaded beforehand."""

    employment: tuple[dt.date | None, dt.date | None]
    jht_balance: int | None
    jobs: tuple[Job, ...] = ()


JOB_FIELDS = ("start", "end", "end_reason", "reported_wage")


def registry_facts_for(
    participant_ids: Collection[int], *, with_balance: Collection[int] = ()
) -> dict[int, RegistryFacts]:
    """The facts of many participants in two queries; balances only for ``with_balance`` (JHT cases)."""
    jobs: dict[int, list[Job]] = defaultdict(list)
    rows = Employment.objects.filter(participant_id__in=participant_ids).values_list(
        "participant_id", *JOB_FIELDS
    )
    for participant_id, *job in rows:
        jobs[participant_id].append(Job(*job))
    balances = dict(
        JhtBalance.objects.filter(participant_id__in=with_balance).values_list("participant_id", "amount")
    )
    return {
        pk: RegistryFacts(span_of((j.start, j.end) for j in jobs[pk]), balances.get(pk), tuple(jobs[pk]))
        for pk in participant_ids
    }


def _jobs_of(participant: Participant) -> tuple[Job, ...]:
    return tuple(Job(*row) for row in participant.employments.values_list(*JOB_FIELDS))


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def jkp_facts(jobs: Iterable[Job], birth_date: dt.date) -> dict[str, Any]:
    """The JKP case's registry facts: the PHK (the latest end of employment), the wage the employer last
    reported for that job, and the contribution months counted from the employment spans.

    The registry holds employment spans, not monthly contributions: a month inside a span counts as a month
    contributed [U: arrears are not seen]. An employment still open means no PHK yet (no termination date).
    Age at registration is the age when JKP began for the participant: the later of the first employment
    and JKP's own start (every worker already insured was enrolled on 2 Feb 2021).
    """
    jobs = list(jobs)
    if not jobs:
        return {}
    facts: dict[str, Any] = {
        "registered_age": age_on(birth_date, max(min(j.start for j in jobs), JKP_START)),
    }
    if any(j.end is None for j in jobs):
        return facts
    last = max(jobs, key=lambda j: (j.end, j.start))
    assert last.end is not None
    ended = _month_index(last.end)
    covered = {
        month
        for j in jobs
        for month in range(_month_index(j.start), _month_index(j.end or last.end) + 1)
        if ended - JKP_WINDOW_MONTHS < month <= ended
    }
    consecutive = 0
    while ended - consecutive in covered:
        consecutive += 1
    facts.update(
        termination_date=last.end,
        contribution_months_last_24=len(covered),
        consecutive_months=consecutive,
    )
    if last.end_reason:
        facts["reason"] = last.end_reason  # the registry's own reason: a resignation does not open JKP
    if last.reported_wage is not None:
        facts["monthly_wage"] = last.reported_wage
    return facts


def _months_between(start: dt.date, end: dt.date) -> int:
    return max((end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0), 0)


def build_case(
    participant: Participant,
    program: str,
    reason: str,
    *,
    on: dt.date,
    heir: Heir | None = None,
    facts: RegistryFacts | None = None,
    children: tuple[tuple[dt.date, str], ...] = (),
    wage: int | None = None,
) -> dict[str, Any]:
    """The rules case for this participant (and heir) on ``on``: only facts the registry holds, and the
    children an heir named on a JKM claim (birth date, school level) for the scholarship.

    Without ``facts`` the employments and the balance are read here; a bulk run passes them preloaded.
    ``wage`` is JKP's wage entered by an officer: used only where the registry holds none.
    """
    start, end = facts.employment if facts else employment_span(participant)
    death = participant.deceased_on
    spouse = None if heir is None else heir.relationship == Relationship.SPOUSE
    if program == Program.JHT:
        case: dict[str, Any] = {
            "program": "JHT",
            "reason": Reason(reason).value,
            "claim_date": on,
            "birth_date": participant.birth_date,
            "membership_start": start,
            "separation_date": death if reason == Reason.DEATH else end,
        }
        balance = facts.jht_balance if facts else _jht_balance(participant)
        if balance is not None:
            case["balance"] = balance
        if spouse is not None:
            case["heir_is_spouse"] = spouse
        return case
    months = _months_between(start, end or on) if start else 0
    if program == Program.JKM:
        return {
            "program": "JKM",
            "death_date": death,
            "contribution_months": months,
            "claim_date": on,
            "membership_active": end is None or (death is not None and end >= death),
            "heir_is_spouse": spouse,
            **({"children": [{"birth_date": b, "level": lv} for b, lv in children]} if children else {}),
        }
    if program == Program.JP:
        jp_months = _months_between(max(start, JP_START), end or on) if start else 0
        beneficiary: dict[str, str] = {
            Relationship.SPOUSE: "spouse",
            Relationship.CHILD: "child",
            Relationship.PARENT: "parent",
        }
        return {
            "program": "JP",
            "event": JP_EVENTS[Reason(reason)],
            "event_date": death or end or on,
            "contribution_months": min(jp_months, 600),
            "birth_date": participant.birth_date,
            "membership_start": max(start, JP_START) if start else None,
            "claim_date": on,
            "beneficiary": beneficiary.get(heir.relationship, "spouse") if heir else "spouse",
            "heir_is_spouse": spouse,
        }
    if program == Program.JKP:
        jobs = facts.jobs if facts else _jobs_of(participant)
        case = {"program": "JKP", "reason": Reason(reason).value, **jkp_facts(jobs, participant.birth_date)}
        if wage is not None and "monthly_wage" not in case:
            case["monthly_wage"] = wage
        return case
    raise ValueError(f"no online case for program {program}")


def _jht_balance(participant: Participant) -> int | None:
    balance = JhtBalance.objects.filter(participant=participant).first()
    return None if balance is None else balance.amount


Estimator = Callable[[dict[str, Any]], dict[str, Any]]


class RememberingEstimator:
    """``estimate`` remembering its answer (or its refusal) per exact case, for one bulk run.

    Safe because the rules are pure: the answer depends on the case alone (the claim date, which picks
    the dated parameters, is part of the case). Workers of one mass layoff often share start, end,
    reason and claim date, so a list of thousands asks far fewer distinct questions. Kept per run rather
    than process-wide so that edited parameter files are seen by the next run.

    :meth:`prime` answers many cases at once through ``rules.estimate_many`` (somewhat cheaper a case
    than one ``estimate`` each, see docs/rules.md); a case it did not see is still answered, by
    ``estimate``.
    """

    def __init__(self) -> None:
        self.answers: dict[frozenset[tuple[str, Any]], dict[str, Any] | RulesInputError] = {}

    def prime(self, cases: Iterable[dict[str, Any]]) -> None:
        todo: dict[frozenset[tuple[str, Any]], dict[str, Any]] = {}
        for case in cases:
            key = _memo_key(case)
            if key not in self.answers:
                todo.setdefault(key, case)
        if todo:
            self.answers.update(zip(todo, estimate_many(list(todo.values())), strict=True))

    def __call__(self, case: dict[str, Any]) -> dict[str, Any]:
        key = _memo_key(case)
        if key not in self.answers:
            try:
                self.answers[key] = estimate(case)
            except RulesInputError as error:
                self.answers[key] = error
        answer = self.answers[key]
        if isinstance(answer, RulesInputError):
            raise answer.with_traceback(None)
        return answer


def _memo_key(case: dict[str, Any]) -> frozenset[tuple[str, Any]]:
    """A case is flat (dates, ints, strings, booleans) but for a JKM case's children, a list of small dicts."""
    return frozenset(
        (k, tuple(tuple(sorted(c.items())) for c in v) if k == "children" else v) for k, v in case.items()
    )


def memoised_estimate() -> RememberingEstimator:
    """A fresh :class:`RememberingEstimator` for one bulk run."""
    return RememberingEstimator()


def rules_case(
    participant: Participant,
    program: str,
    reason: str,
    *,
    on: dt.date,
    heir: Heir | None = None,
    facts: RegistryFacts | None = None,
    children: tuple[tuple[dt.date, str], ...] = (),
    wage: int | None = None,
) -> dict[str, Any] | None:
    """The case :func:`assess` asks the rules for (None where it asks nothing: JKK, no online case)."""
    if program == Program.JKK:
        return None
    try:
        case = build_case(
            participant, program, reason, on=on, heir=heir, facts=facts, children=children, wage=wage
        )
    except ValueError:
        return None
    if program == Program.JKP and "termination_date" not in case:
        return None  # no PHK on record: assess asks nothing
    return _asked(case)


def _asked(case: dict[str, Any]) -> dict[str, Any]:
    asked = {k: v for k, v in case.items() if v is not None}
    if asked.get("program") == "JKP" and "monthly_wage" not in asked:
        # JKP's conditions do not read the wage: asked with none, a refusal stands (assess shows no amounts).
        asked["monthly_wage"] = 0
    return asked


def assess(
    participant: Participant,
    program: str,
    reason: str,
    *,
    on: dt.date,
    heir: Heir | None = None,
    facts: RegistryFacts | None = None,
    estimator: Estimator = estimate,
    children: tuple[tuple[dt.date, str], ...] = (),
    wage: int | None = None,
) -> Assessment:
    if program == Program.JKK:
        return _jkk_assessment(reason, on)
    case = build_case(
        participant, program, reason, on=on, heir=heir, facts=facts, children=children, wage=wage
    )
    if program == Program.JKP and "termination_date" not in case:
        return _jkp_unknown(case, on)
    wage_unknown = program == Program.JKP and "monthly_wage" not in case
    try:
        result = estimator(_asked(case))
        if wage_unknown:  # JKP's conditions decided; the amounts wait for the officer's wage
            if result["eligible"]:
                return _jkp_unknown(case, on)
            result = {**result, "items": [], "total": 0, "tax": 0, "net": 0}
    except RulesInputError as error:
        message = _registry_gap(program, error)
        return Assessment(
            program,
            reason,
            eligible=False,
            reasons=[],
            problem=message,
            documents=_checklist(program, case, on),
        )
    return Assessment(
        program,
        reason,
        eligible=result["eligible"],
        reasons=[_text(r) for r in result["reasons"]],
        payable_from=dt.date.fromisoformat(result["payable_from"]) if result["payable_from"] else None,
        items=[
            {
                "code": i["code"],
                "label": _text(i, "label"),
                "amount": i["amount"],
                "refs": [b["ref"] for b in i["basis"]],
                "periodicity": i["periodicity"],
            }
            for i in result["items"]
        ],
        total=result["total"],
        tax=result["tax"],
        net=result["net"],
        estimate=result["estimate"],
        documents=[(d["code"], _text(d, "label")) for d in result["documents"]],
        notes=[_text(n) for n in result["notes"]],
        schedule=[
            {
                "beneficiary": s["beneficiary"],
                "due_from": dt.date.fromisoformat(s["due_from"]),
                "level": s["level"],
                "amount": s["amount"],
            }
            for s in result.get("schedule", [])
        ],
    )


def _registry_gap(program: str, error: RulesInputError) -> str:
    """What the page says when a fact the registry lacks stops the estimate.

    Never a request to the claimant: the rules' own text ("Wajib diisi: riwayat upah bulanan") is written
    for the estimator's form. A JP wage history is the employer's monthly reports, which the officer reads;
    an heir could not give it anyway (issue 14).
    """
    if program == Program.JP and error.field == "wages":
        return str(
            _(
                "Riwayat upah bulanan peserta belum tercatat di sini; petugas mengambilnya dari laporan upah "
                "pemberi kerja. Anda tidak perlu menyerahkan riwayat upah."
            )
        )
    return error.message_en if (get_language() or "id").startswith("en") else error.message_id


def assessment_date(claim: Claim) -> dt.date:
    """The one date an open claim is assessed on, wherever it is shown, checked or decided.

    Once submitted, the day it was handed in (``submitted_on``, the branch's date); while it is a draft,
    today at its branch. Why that day: the right to a benefit and its amount follow from the facts and the
    law in force when the participant claimed, not from the day an officer happens to open the file (a
    parameter that changes while the claim waits in the queue must not change its estimate); and so the
    participant's page, the officer's page, the findings and the submission all show one estimate.
    """
    from lapakasik.lib.dates import today_at

    return claim.submitted_on or today_at(claim.branch.time_zone)


def assess_claim(claim: Claim, **kwargs: Any) -> Assessment:
    """:func:`assess` of a claim on its :func:`assessment_date`."""
    if claim.program == Program.JKM and "children" not in kwargs:
        kwargs["children"] = claim_children(claim)
    return assess(
        claim.participant,
        claim.program,
        claim.reason,
        on=assessment_date(claim),
        heir=claim.heir,
        wage=claim.officer_wage,
        **kwargs,
    )


def claim_children(claim: Claim) -> tuple[tuple[dt.date, str], ...]:
    """The children named on a claim, as the rules case takes them, eldest first."""
    return tuple(claim.children.order_by("birth_date", "id").values_list("birth_date", "level"))


def _jkk_assessment(reason: str, on: dt.date) -> Assessment:
    """JKK benefits follow from the accident report, the doctor and the bills, none of which the registry
    holds: the officer computes them. The checklist still tells what to collect."""
    problem = str(
        _(
            "Manfaat JKK dihitung petugas dari laporan kecelakaan kerja, keterangan dokter, dan bukti "
            "biaya; data kepesertaan tidak memuatnya."
        )
    )
    checklist = _checklist(Program.JKK, {"reason": JKK_CHECKLISTS.get(reason, "stmb")}, on)
    return Assessment(Program.JKK, reason, eligible=False, reasons=[], problem=problem, documents=checklist)


def _jkp_unknown(case: dict[str, Any], on: dt.date) -> Assessment:
    """The registry lacks the PHK or the reported wage: the officer checks them; the checklist still shows."""
    if "termination_date" not in case:
        problem = _("Data kepesertaan belum mencatat berakhirnya hubungan kerja (PHK); petugas memeriksanya.")
    else:
        problem = _(
            "Upah terakhir yang dilaporkan pemberi kerja belum tercatat; petugas menghitung manfaat JKP."
        )
    checklist = _checklist(Program.JKP, {"reason": Reason.PHK.value}, case.get("termination_date") or on)
    return Assessment(
        Program.JKP, Reason.PHK, eligible=False, reasons=[], problem=str(problem), documents=checklist
    )


def _checklist(program: str, case: dict[str, Any], on: dt.date) -> list[tuple[str, str]]:
    """The documents list alone, for a case whose amount cannot be computed from the registry."""
    reason = case.get("reason") or case.get("event") or "death"
    facts = {"heir_is_spouse": case["heir_is_spouse"]} if case.get("heir_is_spouse") is not None else {}
    try:
        documents = required_documents(program, reason, on, facts)
    except Exception:  # a checklist the law of that date does not define: nothing to list
        return []
    return [
        (d.code, d.label_en if (get_language() or "id").startswith("en") else d.label_id) for d in documents
    ]


def document_label(code: str) -> str:
    label = document_labels().get(code)
    if label is None:
        return code
    return label["en"] if (get_language() or "id").startswith("en") else label["id"]


def home_branch(participant: Participant):
    """The branch (and reporting area) serving the participant's home regency."""
    from lapakasik.lib.errors import DomainError
    from lapakasik.registry.models import ServiceArea

    area = (
        ServiceArea.objects.filter(regencies__code=participant.region.regency_code)
        .select_related("branch")
        .first()
    )
    if area is None:
        raise DomainError("no_branch", _("Belum ada kantor cabang yang melayani wilayah alamat Anda."))
    return area.branch, area
