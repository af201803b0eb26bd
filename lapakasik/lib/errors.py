"""One error type for every refused action: a stable code plus a message in the user's language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Raised by actions; interfaces turn it into a form error, an API error or an exit status.

    `message` is a lazy translation (Bahasa Indonesia source, English translation), so the same
    error reads right in the portal, the console and the API.
    """

    def __init__(self, code: str, message: Any, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class DeferredMessageError(ValueError):
    """An error whose message is a msgid plus parameters, translated when shown (not when raised).

    Bulk paths store such messages and show them later in whichever language the reader uses.
    """

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def render(self) -> str:
        from django.utils.translation import gettext

        text = gettext(self.message)
        return text % self.params if self.params else text
