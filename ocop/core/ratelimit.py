"""Rate limit for anonymous reads of public endpoints (DESIGN.md §6, §9).

Scans, verification pages and the open API are public: a scraper or a scripted flood from one address
must not starve consumers scanning stamps. Each client address gets `OCOP_PUBLIC_RATE_LIMIT`
requests ("N/seconds") per fixed window, counted in the cache (per process with the embedded default,
shared across nodes with Redis). Authenticated users and partner systems with a token are not limited
here; their tokens are revocable instead. `0` turns the limit off (benchmarks).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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
    if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PublicRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit, window = parse_rate(getattr(settings, "OCOP_PUBLIC_RATE_LIMIT", "0"))
        if limit and _is_limited_request(request):
            window_start = int(time.time()) // window
            key = f"ratelimit:{_client_key(request)}:{window_start}"
            cache.add(key, 0, timeout=window + 1)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr: start again
                cache.set(key, 1, timeout=window + 1)
                count = 1
            if count > limit:
                return self._refuse(request, retry_after=window - int(time.time()) % window)
        return self.get_response(request)

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
