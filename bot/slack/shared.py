"""Small shared state for every Recap process of a deployment: TTL'd JSON values and "blocked until" times.

Two backends behind one interface:

* ``memory://`` — a dict in this process (the embedded single-process default);
* ``redis://…`` / ``rediss://…`` — Redis, shared by every web and worker process on any machine. The
  connection is the one of the rate limiter's ``limits`` storage (:mod:`bot.slack.ratelimit`), so a
  deployment opens one pool.

Used for the rate limiter's ``Retry-After`` blocks and for people looked up with ``users.info`` (names
for the reader, guest/external facts for access checks), so one lookup serves every worker.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from typing import Any, Protocol

MAX_MEMORY_ENTRIES = 50_000  # memory backend: the oldest entries are dropped past it

# Raise a key's "until" time (a float of Unix seconds) only upward, with a matching expiry.
_RAISE_UNTIL = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
"""


class SharedStore(Protocol):
    """TTL'd JSON values and monotone "until" times, shared as widely as the backend reaches."""

    def get_json(self, key: str) -> Any | None:
        """The value stored under ``key``, or None when absent or expired."""
        ...

    def set_json(self, key: str, value: Any, *, ttl: float) -> None:
        """Store ``value`` (JSON-serialisable) for ``ttl`` seconds."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key`` (no error when absent)."""
        ...

    def raise_until(self, key: str, until: float) -> None:
        """Set ``key`` to ``until`` (Unix seconds) unless it already holds a later time; it expires then."""
        ...

    def until(self, key: str) -> float:
        """The time stored by :meth:`raise_until` (Unix seconds), 0.0 when none is in force."""
        ...


class MemoryStore:
    """:class:`SharedStore` in this process only (thread-safe, bounded, expiring)."""

    def __init__(self, *, clock: Any = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def _get(self, key: str) -> Any | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            if hit[0] <= self._clock():
                del self._items[key]
                return None
            return hit[1]

    def _set(self, key: str, value: Any, expires: float) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (expires, value)
            while len(self._items) > MAX_MEMORY_ENTRIES:
                self._items.popitem(last=False)

    def get_json(self, key: str) -> Any | None:
        """See :meth:`SharedStore.get_json`."""
        return self._get(key)

    def set_json(self, key: str, value: Any, *, ttl: float) -> None:
        """See :meth:`SharedStore.set_json` (the value is copied through JSON, as Redis would)."""
        self._set(key, json.loads(json.dumps(value)), self._clock() + ttl)

    def delete(self, key: str) -> None:
        """See :meth:`SharedStore.delete`."""
        with self._lock:
            self._items.pop(key, None)

    def raise_until(self, key: str, until: float) -> None:
        """See :meth:`SharedStore.raise_until`."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] > self._clock() and float(hit[1]) >= until:
                return
        self._set(key, until, until)

    def until(self, key: str) -> float:
        """See :meth:`SharedStore.until`."""
        value = self._get(key)
        return float(value) if value is not None else 0.0


class RedisStore:
    """:class:`SharedStore` on Redis (``redis-py`` client), shared by every process that reaches it.

    Args:
        connection: a ``redis.Redis`` client (e.g. ``limits``' ``RedisStorage.get_connection()``).
        prefix: prepended to every key (``recap:``).
    """

    def __init__(self, connection: Any, *, prefix: str = "recap:") -> None:
        self._redis = connection
        self._prefix = prefix
        self._raise = connection.register_script(_RAISE_UNTIL)

    def get_json(self, key: str) -> Any | None:
        """See :meth:`SharedStore.get_json`."""
        raw = self._redis.get(self._prefix + key)
        return json.loads(raw) if raw is not None else None

    def set_json(self, key: str, value: Any, *, ttl: float) -> None:
        """See :meth:`SharedStore.set_json`."""
        self._redis.set(self._prefix + key, json.dumps(value), px=max(1, int(ttl * 1000)))

    def delete(self, key: str) -> None:
        """See :meth:`SharedStore.delete`."""
        self._redis.delete(self._prefix + key)

    def raise_until(self, key: str, until: float) -> None:
        """See :meth:`SharedStore.raise_until` (atomic: a Lua script)."""
        ttl_ms = max(1, int((until - time.time()) * 1000))
        self._raise(keys=[self._prefix + key], args=[repr(until), ttl_ms])

    def until(self, key: str) -> float:
        """See :meth:`SharedStore.until`."""
        raw = self._redis.get(self._prefix + key)
        return float(raw) if raw is not None else 0.0
