"""Short random codes people read aloud, type and print: claim numbers, booking codes, payment references."""

from __future__ import annotations

import secrets

# 32 symbols, without 0/O and 1/I, so a code read over the phone or from a printout is not misread.
UNAMBIGUOUS_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def random_code(length: int) -> str:
    """`length` symbols, 5 random bits each, from one call to the OS's random source."""
    bits = int.from_bytes(secrets.token_bytes((5 * length + 7) // 8))
    return "".join(UNAMBIGUOUS_ALPHABET[(bits >> (5 * i)) & 31] for i in range(length))
