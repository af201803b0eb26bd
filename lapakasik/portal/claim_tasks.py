"""The draft claim as a task list (GOV.UK's "complete multiple tasks" pattern): each task's status is derived
from what the claim stores, so progress survives a closed browser, another phone or a week's pause — nothing
lives in the session.

Identity and the choice are done once the draft exists (the draft is made from them); documents are done when
every checklist item has a file; the bank account when one is saved; "check answers and submit" cannot start
before those two are done. A JKM claim has one more, optional task: the deceased's children, whose
scholarship the claim then carries (an heir without school-age children leaves it, and may still submit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lapakasik.claims.cases import Assessment
from lapakasik.claims.models import Claim, ClaimAction, ClaimDocument, PayoutAccount, Program

NOT_STARTED, IN_PROGRESS, DONE, CANNOT_START = "not_started", "in_progress", "done", "cannot_start"


def status_label(status: str) -> str:
    return {
        NOT_STARTED: _("Belum dimulai"),
        IN_PROGRESS: _("Sedang dikerjakan"),
        DONE: pgettext("task", "Selesai"),
        CANNOT_START: _("Tidak bisa dimulai"),
    }[status]


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    hint: str
    status: str
    url: str
    optional: bool = False

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def linked(self) -> bool:
        """A task that cannot start yet is not a link (it would lead nowhere useful)."""
        return self.status != CANNOT_START


def checklist(assessment: Assessment, documents: list[ClaimDocument]):
    """(code, label, that kind's uploaded documents) per checklist item, in the checklist's order."""
    return [(code, label, [d for d in documents if d.kind == code]) for code, label in assessment.documents]


def tasks_for(
    claim: Claim, assessment: Assessment, documents: list[ClaimDocument], account: PayoutAccount | None
) -> list[Task]:
    items = checklist(assessment, documents)
    uploaded = sum(1 for _c, _l, docs in items if docs)
    docs_status = DONE if uploaded == len(items) else (IN_PROGRESS if uploaded else NOT_STARTED)
    account_status = DONE if account else NOT_STARTED
    ready = docs_status == DONE and account_status == DONE
    n = claim.number
    return [
        Task("identity", _("Data diri"), _("Dicocokkan dengan data kepesertaan"), DONE, _url("identity", n)),
        Task(
            "choice",
            _("Program, alasan, dan kelayakan"),
            f"{claim.get_program_display()} — {claim.get_reason_display()}",
            DONE,
            _url("choice", n),
        ),
        *_children_task(claim),
        Task(
            "documents",
            _("Dokumen"),
            _("%(done)s dari %(all)s dokumen diunggah") % {"done": uploaded, "all": len(items)},
            docs_status,
            reverse("claims_upload", args=[n]),
        ),
        Task(
            "account",
            _("Rekening bank"),
            _("Atas nama Anda sendiri"),
            account_status,
            reverse("claims_account", args=[n]),
        ),
        Task(
            "check",
            _("Periksa jawaban dan ajukan"),
            _("Setelah dokumen dan rekening selesai"),
            NOT_STARTED if ready else CANNOT_START,
            _url("check", n),
        ),
    ]


def _children_task(claim: Claim) -> list[Task]:
    if claim.program != Program.JKM:
        return []
    saved = claim.events.filter(action=ClaimAction.CHILDREN_SAVED).exists()
    return [
        Task(
            "children",
            _("Anak dan beasiswa (jika ada)"),
            _("Nama, tanggal lahir, dan jenjang sekolah anak almarhum/almarhumah"),
            DONE if saved else NOT_STARTED,
            reverse("claims_children", args=[claim.number]),
            optional=True,
        )
    ]


def ready_to_check(tasks: list[Task]) -> bool:
    """Every task before "check answers" done, or optional."""
    return all(t.done or t.optional for t in tasks[:-1])


def _url(task: str, number: str) -> str:
    return reverse(f"claims_task_{task}", args=[number])


def from_check(request) -> bool:
    """Came from "Periksa jawaban Anda" by an "Ubah" link: go back there after saving, not to the list."""
    return (request.POST.get("dari") or request.GET.get("dari")) == "periksa"
