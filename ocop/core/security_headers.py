"""Security headers on every response: Content-Security-Policy, Referrer-Policy, Permissions-Policy.

The policy allows only this site's own files: scripts (htmx and the other vendored files, the API docs' bundle)
without 'unsafe-inline' or 'unsafe-eval', so an injected <script> or onclick= never runs. Style attributes are
allowed (progress bars and analytics bars set their width inline; a style attribute cannot run code), style
elements are not. Frames of this site elsewhere are refused (clickjacking), and so are plugins.
"""

from django.conf import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Features no page of the platform uses; the scan page reads QR codes through the phone's own camera app.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "OCOP_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
