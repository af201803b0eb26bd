"""Small builders shared by the intake tests: valid scans and a claim ready to submit."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg(name: str = "ktp.jpg", color: str = "red", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "paklaring.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def upload_checklist(claim, by, actions) -> None:
    """One distinct scan per checklist document (distinct pixels, so distinct hashes)."""
    from lapakasik.claims.cases import assess
    from lapakasik.lib.dates import today_at

    a = assess(claim.participant, claim.program, claim.reason, on=today_at("Asia/Jakarta"), heir=claim.heir)
    for i, (code, _label) in enumerate(a.documents):
        actions.add_document(claim, by=by, kind=code, upload=jpeg(color=(i * 20 % 256, 90, 30)))


def online_jht_draft(participant_user, branch):
    """The demo participant's online JHT resignation claim in draft at ``branch`` (its Madiun area): the
    starting point of most intake tests."""
    from lapakasik.claims import actions
    from lapakasik.registry.models import ServiceArea

    return actions.start_claim(
        participant=participant_user.participant,
        program="JHT",
        reason="resign",
        channel="online",
        by=participant_user,
        branch=branch,
        area=ServiceArea.objects.get(branch=branch, name="Madiun"),
    )
