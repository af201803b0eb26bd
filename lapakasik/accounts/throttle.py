"""The one guard against guessing: log-ins (portal and /admin/), the NIK/KPJ identity look-up, QR check-in,
walk-in and password reset all count their failures here. The one rate counter too (``over_rate``: requests
per fixed window, e.g. booking attempts when a day's quota opens, booking/rate.py).

Shared by every process: the counters live in the ``THROTTLE_CACHE`` cache, the database cache on the
embedded default (table created by ``migrate``) and Redis when ``REDIS_URL`` is set — never in one
process's memory, where two gunicorn workers would each give an attacker a fresh count (issue 18, 3).

Keyed so that an attacker cannot lock the real person out (issue 18, 2):

* per **account and source** (the account's name, NIK or booking code, and the client address, or the
  *recognised device* for an account that device has logged in to): ``LOGIN_ATTEMPTS_LIMIT`` failures, then
  a wait that doubles with each further failure (``LOGIN_LOCKOUT_SECONDS``, 2×, 4×, … up to
  ``LOGIN_LOCKOUT_MAX_SECONDS``). Failures from other addresses never lock this pair.
* per **source**, whatever account it tries (``LOGIN_SOURCE_ATTEMPTS_LIMIT``): one address spraying many
  accounts or booking codes waits too. A recognised device is exempt: it has logged in before.

Only a successful log-in clears a pair, and never the source's count: a success with one's own booking
code or account must not buy more guesses at someone else's (issue 18, 4). A check-in clears nothing.
The person can also clear every pair of an account through the e-mailed unlock link (``unlock_account``).

Each failure claims its own numbered slot with ``cache.add``, which is atomic on the database cache and on
Redis, so failures arriving at the same moment in two processes are each counted. Keys are salted hashes:
no NIK or username sits in the cache in clear.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.translation import gettext, ngettext

MAX_SLOTS = 10_000  # a bound on the slot search, far above any count the waits let through
RATE_CHUNK = 128  # slots of a rate window read at once (over_rate)


@dataclass(frozen=True)
class Attempt:
    """One try at something guessable: ``scope`` names the door (login, identify, checkin, reset)."""

    scope: str
    account: str
    source: str
    device: str = ""  # the recognised device's id when it has logged in to this account before

    @property
    def pair(self) -> str:
        side = f"device:{self.device}" if self.device else f"addr:{self.source}"
        return f"{self.scope}:pair:{_generation(self.scope, self.account)}:{self.account}:{side}"

    @property
    def counters(self) -> list[tuple[str, int]]:
        """The counters this attempt is judged by, each with its limit."""
        found = [(self.pair, settings.LOGIN_ATTEMPTS_LIMIT)]
        if not self.device:
            found.append((f"{self.scope}:source:{self.source}", settings.LOGIN_SOURCE_ATTEMPTS_LIMIT))
        return found


def per_account(scope: str, account: str) -> Attempt:
    """An attempt judged by the account alone, whatever its source: for what lands in the owner's inbox
    (password-reset mail), where requests spread over many addresses must still stop. The fixed ``device``
    leaves out the per-source counter (the callers count the source on an ordinary ``Attempt`` as well)."""
    return Attempt(scope, account, source="", device="any-source")


def _cache():
    return caches[settings.THROTTLE_CACHE]


def _key(name: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:throttle:{name}".encode()).hexdigest()[:40]
    return f"throttle:{digest}"


def _generation(scope: str, account: str) -> str:
    return _cache().get(_key(f"{scope}:generation:{account}"), "0")


def wait_seconds(attempt: Attempt, *, now: float | None = None) -> int:
    """How long this attempt must wait before it may be tried (0: now)."""
    now = time.time() if now is None else now
    untils = _cache().get_many([_key(f"{name}:until") for name, _limit in attempt.counters])
    return max([0, *(math.ceil(until - now) for until in untils.values())])


def failed(attempt: Attempt, *, now: float | None = None) -> int:
    """Count a failure on each of the attempt's counters; the wait it now faces (0: none yet)."""
    now = time.time() if now is None else now
    for name, limit in attempt.counters:
        count = _claim_slot(name, now)
        if count >= limit:
            wait = _lockout(count - limit)
            _cache().set(_key(f"{name}:until"), now + wait, timeout=wait)
    return wait_seconds(attempt, now=now)


def _lockout(beyond: int) -> int:
    base, cap = settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_LOCKOUT_MAX_SECONDS
    return min(cap, base * 2 ** min(beyond, 40))


def _claim_slot(name: str, now: float) -> int:
    """The number of this failure: the first free slot after the last one known, claimed atomically."""
    cache, hint_key = _cache(), _key(f"{name}:count")
    count = cache.get(hint_key, 0)
    # A slot lives as long as the window plus the longest wait it can lead to, so that the count keeps
    # doubling the wait for as long as failures keep coming and is forgotten a window after they stop.
    timeout = settings.LOGIN_ATTEMPTS_WINDOW_SECONDS + settings.LOGIN_LOCKOUT_MAX_SECONDS
    while count < MAX_SLOTS:
        count += 1
        if cache.add(_key(f"{name}:{count}"), now, timeout=timeout):
            break
    cache.set(hint_key, count, timeout=timeout)
    return count


def _count(name: str) -> int:
    """The slots claimed: from the hint (which two processes may have set out of order) to the first gap."""
    cache = _cache()
    count = cache.get(_key(f"{name}:count"), 0)
    while True:
        batch = [_key(f"{name}:{n}") for n in range(count + 1, count + 9)]
        found = cache.get_many(batch)
        count += next((i for i, key in enumerate(batch) if key not in found), len(batch))
        if len(found) < len(batch):
            return count


def failures(attempt: Attempt) -> int:
    """The failures counted on the attempt's own pair."""
    return _count(attempt.pair)


def succeeded(attempt: Attempt) -> None:
    """A correct log-in clears its own pair, never the source's count."""
    _clear(attempt.pair)


def _clear(name: str) -> None:
    cache, hint_key = _cache(), _key(f"{name}:count")
    count = _count(name)
    cache.delete_many([hint_key, _key(f"{name}:until"), *(_key(f"{name}:{n}") for n in range(1, count + 1))])


def unlock_account(scope: str, account: str) -> None:
    """Every pair of the account starts afresh (the e-mailed unlock link): a new generation in their keys."""
    timeout = settings.LOGIN_ATTEMPTS_WINDOW_SECONDS + settings.LOGIN_LOCKOUT_MAX_SECONDS
    _cache().set(_key(f"{scope}:generation:{account}"), secrets.token_hex(8), timeout=timeout)


def over_rate(key: str, limit: int, window_seconds: int, *, now: float | None = None) -> int:
    """Count one request on ``key`` in its fixed window; the seconds until that window ends when the window
    already holds ``limit`` requests (this one is then refused and not counted), else 0. A limit of 0 or
    less counts nothing and refuses nothing.

    Not a failure count: a rate. Each request claims one of the window's ``limit`` numbered slots with the
    atomic ``cache.add``, so requests at the same moment in two processes are each counted, and a refused
    request writes nothing: a flood costs reads, never a growing pile of rows. Slots are taken in order and
    never freed inside a window, so the first free one is found reading RATE_CHUNK slots at a time (one read
    up to that many requests). The slots carry the window's number and expire with it: the next window
    starts from zero by itself.
    """
    if limit <= 0:
        return 0
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    wait = max(1, math.ceil((window + 1) * window_seconds - now))
    cache, first = _cache(), 1
    if limit <= RATE_CHUNK and hasattr(cache, "add_first"):  # the database cache: one statement
        every = [_key(f"rate:{key}:{window}:{n}") for n in range(1, limit + 1)]
        taken = cache.add_first(every, now, timeout=wait + 5)
        if taken is not None:
            return 0 if taken else wait
    for _ in range(2 * limit + 2):  # each turn moves past at least one taken slot; a bound all the same
        slots = {
            _key(f"rate:{key}:{window}:{n}"): n for n in range(first, min(first + RATE_CHUNK, limit + 1))
        }
        if not slots:
            return wait
        taken = cache.get_many(list(slots))
        free = next((slot for slot in slots if slot not in taken), None)
        if free is None:
            first += RATE_CHUNK
        # A few seconds past the window's end: the database cache keeps expiry times to the second.
        elif cache.add(free, now, timeout=wait + 5):
            return 0
        else:
            first = slots[free]  # another process took it meanwhile: look again from there
    return wait


def client_address(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


def wait_text(seconds: int) -> str:
    """'3 menit' — how long to wait, rounded up to what a person reads."""
    if seconds < 60:
        return ngettext("%(n)d detik", "%(n)d detik", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours}


def locked_message(seconds: int) -> str:
    return gettext("Terlalu banyak percobaan yang gagal. Silakan coba lagi dalam %(wait)s.") % {
        "wait": wait_text(seconds)
    }


def rate_message(seconds: int) -> str:
    return gettext("Terlalu banyak permintaan dalam waktu singkat. Silakan coba lagi dalam %(wait)s.") % {
        "wait": wait_text(seconds)
    }


# A recognised device: a signed cookie, set after a successful log-in, naming the accounts that logged in
# from it. Its id replaces the address in the account's pair, so failures elsewhere (or from the same
# office network) never lock it, and its own failures count on their own.
DEVICE_COOKIE = "lapakasik_device"
DEVICE_SALT = "lapakasik.accounts.device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def read_device(request) -> tuple[str, list[int]]:
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
        return str(value["d"]), [int(pk) for pk in value["u"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "", []


def device_for(request, user_pk: int | None) -> str:
    """The recognised device's id when this device has logged in to this account before."""
    device, users = read_device(request)
    return device if user_pk is not None and user_pk in users else ""


def remember_device(request, response, user_pk: int) -> None:
    device, users = read_device(request)
    value = {"d": device or secrets.token_hex(16), "u": [user_pk, *(u for u in users if u != user_pk)][:5]}
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(value, salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
