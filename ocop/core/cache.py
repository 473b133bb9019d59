"""The shared cache (Redis in production) must never take a page down with it.

Everything the platform keeps in the cache can be recomputed: unit names, scan-page options, rate-limit counters,
worker heartbeats. So when Redis cannot be reached, `ResilientRedisCache` answers "not cached" (and stores
nothing), logs a warning at most once a minute, and the request goes on from the database. Short socket timeouts
(settings) keep a dead Redis from holding a web thread. `/api/v1/health` reports the outage (`cache_state`).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache unreachable (%s): %s; serving without it", operation, exc)


def _redis_errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import RedisError

    return (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _redis_errors() as exc:
            _warn("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _redis_errors() as exc:
            _warn("get_many", exc)
            return {}

    def set(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().set(key, value, timeout, version)
        except _redis_errors() as exc:
            _warn("set", exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _redis_errors() as exc:
            _warn("set_many", exc)
            return list(data)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _redis_errors() as exc:
            _warn("add", exc)
            return False

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _redis_errors() as exc:
            _warn("incr", exc)
            raise CacheUnavailable(str(exc)) from exc

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _redis_errors() as exc:
            _warn("delete", exc)
            return False

    def clear(self):
        try:
            return super().clear()
        except _redis_errors() as exc:
            _warn("clear", exc)
            return False

    def ping(self) -> bool:
        try:
            return bool(self._cache.get_client(write=True).ping())
        except _redis_errors():
            return False


class CacheUnavailable(Exception):
    """The cache could not count (e.g. a rate-limit counter): callers fail open."""


def cache_state() -> str:
    """ "ok", or "unreachable" when the shared cache does not answer; a per-process cache is always "ok"."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "ok"
    return "ok" if ping() else "unreachable"
