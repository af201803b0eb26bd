import datetime as dt

import pytest
from django.core import mail

from lapakasik.claims.models import Claim, ClaimEvent, PayoutAccount
from lapakasik.lib.errors import DomainError
from lapakasik.payments import actions
from lapakasik.payments.models import Payment, PaymentBatch
from lapakasik.payments.queries import ready_claims
from lapakasik.payments.slips import slip_pdf

from .conftest import WEDNESDAY_MORNING, result_csv

BANK_DAY = "2026-11-26"


@pytest.fixture
def two_sent(approved_claim, sent_batch):
    """A sent batch of two lines: a taxed JHT lump sum and an untaxed one."""
    taxed, untaxed = approved_claim(gross=68_450_000), approved_claim(gross=20_000_000)
    batch = sent_batch()
    return batch, batch.payments.get(claim=taxed), batch.payments.get(claim=untaxed)


def _import(madiun, finance, content, name="hasil.csv", file_format="csv"):
    """The officer's upload, then what the worker runs for the task it queued."""
    queued = actions.import_bank_result(
        madiun, content=content, file_name=name, file_format=file_format, by=finance
    )
    return actions.run_result_import(queued.pk)


def test_a_confirmed_line_makes_the_claim_paid_on_the_bank_s_date(
    two_sent, madiun, finance, django_capture_on_commit_callbacks
):
    batch, taxed, untaxed = two_sent
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(
            madiun,
            finance,
            result_csv(
                (taxed.reference, "paid", taxed.net, BANK_DAY),
                (untaxed.reference, "paid", untaxed.net, BANK_DAY),
            ),
        )
    assert (result.paid_count, result.failed_count, result.flagged_count) == (2, 0, 0)
    claim = Claim.objects.get(pk=taxed.claim_id)
    assert (claim.status, claim.paid_on, claim.amount_paid) == ("paid", dt.date(2026, 11, 26), 68_450_000)
    assert ClaimEvent.objects.filter(claim=claim, action="paid", to_status="paid").exists()
    assert PaymentBatch.objects.get(pk=batch.pk).status == "reconciled"
    advice = [m for m in mail.outbox if claim.number in m.subject and "Rp922.500" in m.body]
    assert [m for m in mail.outbox if claim.number in m.subject and "Dibayar" in m.body]  # the status e-mail
    assert advice and "Rp922.500" in advice[0].body and "Rp67.527.500" in advice[0].body
    assert "0123456789012345" not in advice[0].body  # only the last four digits


def test_a_paid_claim_is_counted_in_the_report_rollups(two_sent, madiun, finance):
    from lapakasik.reporting.models import PaidDaily

    _, taxed, _ = two_sent
    _import(madiun, finance, result_csv((taxed.reference, "paid", taxed.net, BANK_DAY)))
    day = PaidDaily.objects.get(branch=madiun, paid_on=dt.date(2026, 11, 26), program="JHT")
    assert (day.cases, day.amount) == (1, 68_450_000)


def test_a_payment_with_tax_has_a_withholding_slip_and_one_without_has_none(two_sent, madiun, finance):
    _, taxed, untaxed = two_sent
    _import(
        madiun,
        finance,
        result_csv(
            (taxed.reference, "paid", taxed.net, BANK_DAY), (untaxed.reference, "paid", untaxed.net, BANK_DAY)
        ),
    )
    assert slip_pdf(Payment.objects.get(pk=taxed.pk)).startswith(b"%PDF")
    with pytest.raises(DomainError):
        slip_pdf(Payment.objects.get(pk=untaxed.pk))


def test_partial_failure_pays_one_line_and_returns_the_other_to_its_claim_with_the_reason(
    two_sent, madiun, finance, django_capture_on_commit_callbacks
):
    batch, taxed, untaxed = two_sent
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(
            madiun,
            finance,
            result_csv(
                (taxed.reference, "paid", taxed.net, BANK_DAY),
                (untaxed.reference, "failed", 0, BANK_DAY, "AC04", "Rekening ditutup"),
            ),
        )
    assert (result.paid_count, result.failed_count) == (1, 1)
    failed = Payment.objects.get(pk=untaxed.pk)
    assert (failed.status, failed.failure_reason) == ("failed", "Rekening ditutup")
    claim = Claim.objects.get(pk=untaxed.claim_id)
    assert claim.status == "approved"
    assert ClaimEvent.objects.get(claim=claim, action="payment_failed").note == "Rekening ditutup"
    assert any("Rekening ditutup" in m.body for m in mail.outbox)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "reconciled"


def test_a_failed_claim_is_paid_in_a_later_batch_once_the_account_is_changed(
    two_sent, madiun, finance, checker, sent_batch
):
    _, _, untaxed = two_sent
    _import(
        madiun, finance, result_csv((untaxed.reference, "failed", 0, BANK_DAY, "AC04", "Rekening ditutup"))
    )
    assert not ready_claims(madiun).filter(pk=untaxed.claim_id).exists()  # the same closed account would fail
    # An officer records the new account: the claim goes back to verification until another person re-checks it.
    from lapakasik.accounts.models import User
    from lapakasik.claims import actions as claim_actions

    cso, supervisor = User.objects.get(username="cso"), User.objects.get(username="supervisor")
    claim = Claim.objects.get(pk=untaxed.claim_id)
    name = claim.participant.full_name
    claim_actions.save_payout_account(
        claim, by=cso, bank_code="BRI", account_number="9988776655", holder_name=name
    )
    assert PayoutAccount.objects.get(claim=claim).status == "recheck"
    assert not ready_claims(madiun).filter(pk=claim.pk).exists()
    failing = claim.findings.filter(level="fail").values_list("code", flat=True)
    claim_actions.verify_claim(claim, by=cso, overrides=dict.fromkeys(failing, "Diperiksa di loket"))
    claim_actions.approve_claim(claim, by=supervisor)
    assert ready_claims(madiun).filter(pk=claim.pk).exists()
    later = actions.prepare_batch(madiun, "BRI", by=finance, now=WEDNESDAY_MORNING.replace(day=27))
    actions.approve_batch(later, by=checker)
    actions.mark_batch_sent(later, by=finance)
    again = later.payments.get()
    assert again.claim_id == untaxed.claim_id and again.account_number == "9988776655"
    _import(
        madiun, finance, result_csv((again.reference, "paid", again.net, "2026-11-27")), name="hasil2.csv"
    )
    assert Claim.objects.get(pk=untaxed.claim_id).paid_on == dt.date(2026, 11, 27)


def test_a_duplicate_result_line_is_flagged_and_applied_once(two_sent, madiun, finance):
    _, taxed, _ = two_sent
    row = (taxed.reference, "paid", taxed.net, BANK_DAY)
    result = _import(madiun, finance, result_csv(row, row))
    assert (result.paid_count, result.flagged_count) == (1, 1)
    assert result.issues.get().kind == "duplicate"
    assert ClaimEvent.objects.filter(claim_id=taxed.claim_id, action="paid").count() == 1


def test_a_result_for_an_already_settled_payment_in_a_later_file_is_flagged(two_sent, madiun, finance):
    _, taxed, _ = two_sent
    _import(madiun, finance, result_csv((taxed.reference, "paid", taxed.net, BANK_DAY)))
    later = _import(
        madiun, finance, result_csv((taxed.reference, "failed", 0, BANK_DAY, "X", "?")), name="b.csv"
    )
    assert later.issues.get().kind == "conflict"
    assert Claim.objects.get(pk=taxed.claim_id).status == "paid"


def test_an_unknown_reference_is_flagged_never_silently_accepted(two_sent, madiun, finance):
    result = _import(madiun, finance, result_csv(("LA99999999ZZ", "paid", 1_000, BANK_DAY)))
    issue = result.issues.get()
    assert (issue.kind, issue.reference, issue.payment) == ("unknown", "LA99999999ZZ", None)


def test_an_amount_mismatch_is_flagged_and_the_payment_stays_sent(two_sent, madiun, finance):
    batch, taxed, _ = two_sent
    result = _import(madiun, finance, result_csv((taxed.reference, "paid", taxed.gross, BANK_DAY)))
    issue = result.issues.get()
    assert (issue.kind, issue.amount, issue.expected_amount) == ("amount_mismatch", 68_450_000, 67_527_500)
    assert Payment.objects.get(pk=taxed.pk).status == "sent"
    assert Claim.objects.get(pk=taxed.claim_id).status == "approved"
    assert PaymentBatch.objects.get(pk=batch.pk).status == "sent"


def test_the_same_file_is_not_imported_twice(two_sent, madiun, finance):
    _, taxed, _ = two_sent
    content = result_csv((taxed.reference, "paid", taxed.net, BANK_DAY))
    _import(madiun, finance, content)
    with pytest.raises(DomainError) as refused:
        _import(madiun, finance, content, name="again.csv")
    assert refused.value.code == "file_already_imported"


def test_a_malformed_file_changes_nothing(two_sent, madiun, finance):
    _, taxed, untaxed = two_sent
    content = result_csv((taxed.reference, "paid", taxed.net, BANK_DAY)) + b"LA1,paid,12.5,2026-11-26\r\n"
    with pytest.raises(DomainError) as refused:
        _import(madiun, finance, content)
    assert refused.value.code == "bad_result_file"
    assert Payment.objects.get(pk=taxed.pk).status == "sent"


def test_an_mt940_statement_pays_and_fails_lines_by_their_reference(two_sent, madiun, finance):
    _, taxed, untaxed = two_sent
    statement = f""":20:STMT20261126
:25:0011223344
:28C:00001/001
:60F:C261125IDR100000000,00
:61:2611261126D{taxed.net},00NTRFNONREF//BRI0001
:86:LAPAKASIK {taxed.reference}
:61:2611261126D{untaxed.net},00NTRFNONREF//BRI0002
:86:LAPAKASIK {untaxed.reference}
:61:2611261126C{untaxed.net},00NRTRNONREF
:86:RETUR {untaxed.reference} REKENING TIDAK DITEMUKAN
:62F:C261126IDR32472500,00
-
"""
    result = _import(madiun, finance, statement.encode(), name="mt940.sta", file_format="mt940")
    assert (result.paid_count, result.failed_count, result.flagged_count) == (1, 1, 0)
    assert Payment.objects.get(pk=untaxed.pk).failure_reason == "REKENING TIDAK DITEMUKAN"
    assert Claim.objects.get(pk=taxed.claim_id).paid_on == dt.date(2026, 11, 26)
