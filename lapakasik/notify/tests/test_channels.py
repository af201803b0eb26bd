"""Which channels a participant's news goes to: e-mail as always, WhatsApp/SMS only with their consent."""

import pytest

from lapakasik.claims import lifecycle
from lapakasik.claims.models import Claim, ClaimAction
from lapakasik.notify import outbox
from lapakasik.notify.models import OutboxMessage
from lapakasik.privacy.actions import give_consent, withdraw_consent
from lapakasik.registry.models import ServiceArea


@pytest.fixture
def sri(participant, settings):
    settings.NOTIFY_SEND_ON_COMMIT = False
    return participant.participant


def _tell(sri, key):
    return outbox.tell(template="test.hello", context={"n": "Sri"}, key=key, email=sri.email, participant=sri)


def test_without_a_consent_the_news_goes_by_e_mail_only(sri):
    assert [m.channel for m in _tell(sri, "none")] == ["email"]


def test_each_chosen_channel_gets_its_own_message(sri, participant):
    give_consent(sri, "whatsapp", by=participant, how="portal")
    give_consent(sri, "sms", by=participant, how="portal")
    messages = _tell(sri, "all")
    assert [(m.channel, m.to) for m in messages] == [
        ("email", "sri.wahyuni@example.id"),
        ("whatsapp", "+6281234500001"),
        ("sms", "+6281234500001"),
    ]
    assert {m.idempotency_key for m in messages} == {"all:email", "all:whatsapp", "all:sms"}


def test_a_consent_without_a_usable_phone_number_falls_back_to_e_mail(sri, participant):
    give_consent(sri, "whatsapp", by=participant, how="portal")
    sri.phone = ""
    assert [m.channel for m in _tell(sri, "no-phone")] == ["email"]


def test_a_consent_withdrawn_before_sending_stops_the_message(sri, participant):
    give_consent(sri, "whatsapp", by=participant, how="portal")
    messages = _tell(sri, "withdrawn")
    withdraw_consent(sri, "whatsapp", by=participant, how="portal")
    outbox.send_pending()
    whatsapp = OutboxMessage.objects.get(pk=messages[1].pk)
    assert (whatsapp.status, whatsapp.last_error) == ("failed", "consent withdrawn")
    assert OutboxMessage.objects.get(pk=messages[0].pk).status == "sent"


def test_a_claim_status_change_is_queued_per_channel_in_the_participants_language(
    sri, participant, cso, madiun, settings, mailoutbox
):
    give_consent(sri, "whatsapp", by=participant, how="portal")
    area = ServiceArea.objects.get(branch=madiun, name="Madiun")
    claim = Claim.objects.create(
        participant=sri, program="JHT", reason="resign", channel="online", status="submitted",
        claimant=participant, branch=madiun, area=area,
    )  # fmt: skip
    lifecycle.move([claim], ClaimAction.VERIFICATION_STARTED, by=cso)
    messages = OutboxMessage.objects.filter(template="claims.status", context__number=claim.number)
    assert sorted(m.channel for m in messages) == ["email", "whatsapp"]
    assert {m.language for m in messages} == {"id"}
    assert messages[0].context == {
        "number": claim.number,
        "from": "submitted",
        "to": "in_verification",
        "note": "",
    }
    outbox.send_pending()
    (mail,) = [m for m in mailoutbox if claim.number in m.subject]
    assert "Sedang diverifikasi" in mail.body
    line = (settings.NOTIFY_FILE_DIR / "whatsapp.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert claim.number in line and "Lapak Asik: status klaim" in line


def test_a_claim_change_that_rolls_back_queues_nothing(sri, cso, madiun, participant):
    from django.db import transaction

    area = ServiceArea.objects.get(branch=madiun, name="Madiun")
    claim = Claim.objects.create(
        participant=sri, program="JHT", reason="resign", channel="online", status="submitted",
        claimant=participant, branch=madiun, area=area,
    )  # fmt: skip
    with pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.move([claim], ClaimAction.VERIFICATION_STARTED, by=cso)
        raise RuntimeError("a later step of the same action failed")
    assert not OutboxMessage.objects.filter(context__number=claim.number).exists()


def test_the_participant_chooses_whatsapp_on_the_account_page_and_sees_where_it_goes(
    client, participant, sri
):
    from django.urls import reverse

    client.force_login(participant)
    page = client.get(reverse("privacy_home")).text
    assert "0812****0001" in page and "+6281234500001" not in page
    client.post(reverse("privacy_consent"), {"purpose": "whatsapp", "give": "1"})
    assert outbox.consented_channels(sri) == ["whatsapp"]
    sri.phone = ""
    sri.save(update_fields=["phone"])
    assert "belum tercatat" in client.get(reverse("privacy_home")).text
