"""A template for the outbox's own tests (registered by their conftest, never in the product's table)."""

from lapakasik.notify.templates import Rendered


def hello(context: dict, channel: str) -> Rendered:
    if channel == "email":
        return Rendered(
            subject="Salam", body=f"Halo {context['n']}", attachments=(("a.txt", b"isi", "text/plain"),)
        )
    return Rendered(body=f"Halo {context['n']} (singkat)", params={"n": context["n"]})


def broken(context: dict, channel: str) -> Rendered:
    raise KeyError("missing")
