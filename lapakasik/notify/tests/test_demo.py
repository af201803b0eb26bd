def test_the_demo_outbox_holds_whatsapp_messages_of_the_participant_who_chose_it(db):
    from lapakasik.notify.models import OutboxMessage
    from lapakasik.privacy.models import Consent

    consent = Consent.objects.get(participant__nik="3519111402900005", purpose="whatsapp", withdrawn_at=None)
    messages = OutboxMessage.objects.filter(channel="whatsapp", participant=consent.participant)
    assert messages.filter(template="claims.status").count() >= 1
    assert {m.to for m in messages} == {"+6281234500005"}
