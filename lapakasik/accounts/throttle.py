"""Counting failures where guessing is possible (logins, NIK/KPJ look-ups) and locking for a while.

Keys are hashed before they reach the cache so that no NIK or username sits in it in clear.
With REDIS_URL set the counters are shared by every web node.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{value}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def is_locked(scope: str, *values: str) -> bool:
    limit = settings.LOGIN_ATTEMPTS_LIMIT
    return any(cache.get(_key(scope, v), 0) >= limit for v in values if v)


def record_failure(scope: str, *values: str) -> None:
    for value in filter(None, values):
        key = _key(scope, value)
        # add() is atomic on every backend; incr() then counts within the same window.
        if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def clear(scope: str, *values: str) -> None:
    cache.delete_many([_key(scope, v) for v in values if v])


def client_address(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")
