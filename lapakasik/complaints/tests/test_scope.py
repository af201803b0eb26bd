"""Who sees and acts on a complaint: the branch's staff, the person who filed it, nobody else."""

from __future__ import annotations

import pytest
from django.http import Http404

from lapakasik.complaints import actions
from lapakasik.complaints.queries import complaints_visible_to, get_complaint_for, queue
from lapakasik.lib.errors import DomainError

from .conftest import claim_of


@pytest.fixture
def complaint(participant):
    return actions.file_complaint(
        by=participant, kind="complaint", category="claim_delay", subject="claim",
        claim=claim_of(participant), text="Sudah lama tidak ada kabar tentang klaim saya.",
    )  # fmt: skip


def test_another_branch_does_not_find_it(complaint, outsider):
    with pytest.raises(Http404):
        get_complaint_for(outsider, complaint.number)
    with pytest.raises(DomainError) as refused:
        actions.triage(complaint, by=outsider)
    assert refused.value.status == 403


def test_the_branch_and_the_person_find_it(complaint, cso, participant, heir, employer_rep):
    assert get_complaint_for(cso, complaint.number) == complaint
    assert get_complaint_for(participant, complaint.number) == complaint
    for other in (heir, employer_rep):
        assert not complaints_visible_to(other).exists()


def test_an_employer_representative_sees_only_what_they_filed(employer_rep, participant, madiun):
    actions.file_complaint(
        by=employer_rep, kind="complaint", category="service", subject="service", branch=madiun,
        text="Loket kolektif tutup lebih awal.",
    )  # fmt: skip
    actions.file_complaint(
        by=participant, kind="complaint", category="service", subject="service", branch=madiun,
        text="Antrean terlalu panjang di loket.",
    )  # fmt: skip
    assert [c.filed_by for c in complaints_visible_to(employer_rep)] == [employer_rep]


def test_the_queue_puts_overdue_first(participant, madiun, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 11, 2, 3, tzinfo=dt.UTC), tick=False)
    old = actions.file_complaint(
        by=participant, kind="complaint", category="service", subject="service", branch=madiun,
        text="Petugas tidak menjawab telepon.",
    )  # fmt: skip
    time_machine.move_to(dt.datetime(2026, 12, 3, 3, tzinfo=dt.UTC), tick=False)
    new = actions.file_complaint(
        by=participant, kind="complaint", category="claim_delay", subject="claim", claim=claim_of(participant),
        text="Klaim saya belum juga diproses.",
    )  # fmt: skip
    rows = list(queue(madiun, today=dt.date(2026, 12, 3)).filter(pk__in=[old.pk, new.pk]))
    assert rows == [old, new] and rows[0].overdue == 1 and rows[1].overdue == 0
