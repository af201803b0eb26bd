"""The shared counters' database cache (THROTTLE_CACHE on the embedded default, accounts/throttle.py).

Django's ``DatabaseCache`` is correct but pays for it on every write: ``add`` (the throttle's and the booking
rate limit's one write, booking/rate.py) runs ``SELECT COUNT(*)`` over the whole table to decide whether
to cull, then a read of the key and an insert inside a transaction of their own — five round trips, one of
them a full scan of a table that holds thousands of rate slots at a quota opening (issue 19: profiled,
it was a quarter of the booking attempt's database time).

Here ``add`` is one statement on PostgreSQL and SQLite (``INSERT … ON CONFLICT DO UPDATE … WHERE expired
RETURNING``): a live key stays and the add answers False; an expired one is taken over, as Django's does.
Two processes adding the same key at once: the database's unique key decides, so exactly one gets True.
The row count for culling is read once every ``CULL_EVERY`` adds of a thread (Django keeps one cache object per
thread) instead of on each one, so the table may pass ``MAX_ENTRIES`` by at most that many rows per thread
before it is culled. Other
databases, ``set`` and ``touch`` keep Django's code.
"""

from __future__ import annotations

import base64
import datetime as dt
import pickle

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 64


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writes = 0  # Django makes one cache object per thread: no lock needed

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in ("postgresql", "sqlite"):
            return self._base_set("add", key, value, timeout)  # type: ignore[attr-defined]
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        tz = dt.UTC if settings.USE_TZ else None
        expires = dt.datetime.max if timeout is None else dt.datetime.fromtimestamp(timeout, tz=tz)
        expires = expires.replace(microsecond=0)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        adapt = connection.ops.adapt_datetimefield_value
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            if self._cull_due():
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (table name from settings)
                num = cursor.fetchone()[0]
                if num > self._max_entries:
                    self._cull(db, cursor, now, num)  # type: ignore[attr-defined]
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) "  # noqa: S608
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE "
                f"SET {quote('value')} = excluded.{quote('value')}, {quote('expires')} = excluded.{quote('expires')} "
                f"WHERE {table}.{quote('expires')} < %s RETURNING {quote('cache_key')}",
                [key, pickled, adapt(expires), adapt(now)],
            )
            return cursor.fetchone() is not None

    def _cull_due(self) -> bool:
        self._writes += 1
        return self._writes % CULL_EVERY == 1

    def add_first(self, keys: list[str], value, timeout=DEFAULT_TIMEOUT, version=None) -> bool | None:
        """Take the first of ``keys``, in their order, that holds no live value — one statement on PostgreSQL
        (issue 19: a booking attempt's rate slot was a read and then an add). True: taken. False: every key
        is live. None: another process took the chosen key meanwhile, or another database: read and
        ``add`` instead (accounts/throttle.py ``over_rate``)."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor != "postgresql":
            return None
        keys = [self.make_and_validate_key(key, version=version) for key in keys]
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        tz = dt.UTC if settings.USE_TZ else None
        expires = dt.datetime.max if timeout is None else dt.datetime.fromtimestamp(timeout, tz=tz)
        expires = expires.replace(microsecond=0)
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        adapt = connection.ops.adapt_datetimefield_value
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            if self._cull_due():
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (table name from settings)
                num = cursor.fetchone()[0]
                if num > self._max_entries:
                    self._cull(db, cursor, now, num)  # type: ignore[attr-defined]
            # Live is what Django's get() returns (expires >= now); an expired key is taken over, as add does.
            cursor.execute(
                f"WITH live AS (SELECT cache_key FROM {table} WHERE cache_key = ANY(%s) AND expires >= %s), "  # noqa: S608
                "pick AS (SELECT u.k FROM unnest(%s::text[]) WITH ORDINALITY AS u(k, n) "
                "WHERE u.k NOT IN (SELECT cache_key FROM live) ORDER BY u.n LIMIT 1), "
                f"taken AS (INSERT INTO {table} (cache_key, value, expires) SELECT k, %s, %s FROM pick "
                "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires "
                f"WHERE {table}.expires < %s RETURNING cache_key) "
                "SELECT (SELECT count(*) FROM pick), (SELECT count(*) FROM taken)",
                [keys, adapt(now), keys, pickled, adapt(expires), adapt(now)],
            )
            picked, taken = cursor.fetchone()
        if taken:
            return True
        return False if not picked else None
