"""The one error a caller of ``rules`` has to handle for bad input."""

from __future__ import annotations


class RulesInputError(ValueError):
    """A case cannot be computed: ``field`` names the input at fault, with an Indonesian and English text.

    ``code`` is stable (``invalid``, ``required``, ``parameter_not_defined``…) so interfaces can map
    it; the CLI turns it into a JSON error and exit status 2, the API into a 422.
    """

    def __init__(self, field: str, message_id: str, message_en: str, code: str = "invalid") -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_id = message_id
        self.message_en = message_en
        self.code = code

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "code": self.code,
            "message_id": self.message_id,
            "message_en": self.message_en,
        }


def required(field: str, why_id: str, why_en: str) -> RulesInputError:
    return RulesInputError(field, f"Wajib diisi: {why_id}", f"Required: {why_en}", code="required")
