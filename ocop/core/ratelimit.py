"""Rate limit for anonymous reads of public endpoints (DESIGN.md §6, §9).

Scans, verification pages and the open API are public: a scraper or a scripted flood from one address
must not starve consumers scanning stamps. Each client address gets `OCOP_PUBLIC_RATE_LIMIT`
requests ("N/seconds") per fixed window, counted in the cache (per process with the embedded default,
shared across nodes with Redis). Authenticated users and partner systems with a valid token are not
limited here; their tokens are revocable instead. A request with an invalid token counts as anonymous (else
`Authorization: Bearer x` would switch the limit off). When the cache cannot count (Redis down), the limit fails
open with a logged warning: consumers keep scanning. `0` turns the limit off (benchmarks).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ocop.core.cache import CacheUnavailable

logger = logging.getLogger(__name__)
PUBLIC_PREFIXES = ("/s/", "/01/", "/verify/", "/api/v1/")


def parse_rate(text: str) -> tuple[int, int]:
    """ "600/60" → (600, 60); "0" or "" → (0, 0), meaning no limit."""
    text = (text or "").strip()
    if not text or text == "0":
        return 0, 0
    count, _sep, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def _client_key(request) -> str:
    # Behind one trusted reverse proxy the client is the address that proxy appended last.
    if getattr(settings, "OCOP_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def _is_limited_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not request.path.startswith(PUBLIC_PREFIXES):
        return False
    if _bearer_user(request) is not None:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _bearer_user(request):
    """The user of a valid API token in the request, or None; remembered on the request for the API's auth."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Bearer "):
        return None
    if not hasattr(request, "_ocop_bearer_user"):
        from ocop.accounts.services import api_token_authenticate

        request._ocop_bearer_user = api_token_authenticate(secret=header[7:].strip())
    return request._ocop_bearer_user


class PublicRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit, window = parse_rate(getattr(settings, "OCOP_PUBLIC_RATE_LIMIT", "0"))
        if limit and _is_limited_request(request):
            count = self._count(f"ratelimit:{_client_key(request)}:{int(time.time()) // window}", window)
            if count > limit:
                return self._refuse(request, retry_after=window - int(time.time()) % window)
        return self.get_response(request)

    @staticmethod
    def _count(key: str, window: int) -> int:
        """This client's requests in the window, this one included; 0 when the cache cannot count (fail open)."""
        try:
            cache.add(key, 0, timeout=window + 1)
            try:
                return cache.incr(key)
            except ValueError:  # evicted between add and incr: start again
                cache.set(key, 1, timeout=window + 1)
                return 1
        except (CacheUnavailable, OSError) as exc:
            logger.warning("rate limit not applied, the cache cannot count: %s", exc)
            return 0

    def _refuse(self, request, *, retry_after: int):
        message = _("Quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng thử lại sau %(seconds)s giây.") % {
            "seconds": retry_after
        }
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "rate_limited", "message": message, "fields": {}}, status=429)
        else:
            response = render(request, "errors/429.html", {"message": message}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
