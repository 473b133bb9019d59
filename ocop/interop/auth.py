"""API authentication: partner systems send `Authorization: Bearer <secret>`; the browser uses its
session (with CSRF checked on writes). Routers use `auth=api_auth`."""

from ninja.security import HttpBearer, django_auth

from ocop.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    """An ApiToken acts as its user: `request.user` and `request.auth` are both that user.
    Unknown, revoked or expired tokens authenticate nobody (→ 401)."""

    def authenticate(self, request, token: str):
        # The rate limiter may have looked the token up already (ocop.core.ratelimit): one lookup per request.
        if hasattr(request, "_ocop_bearer_user"):
            user = request._ocop_bearer_user
        else:
            user = api_token_authenticate(secret=token.strip())
        if user is None:
            return None
        # Services and access gates read request.user; a token request has no session, so set it here.
        request.user = user
        return user


api_auth = [BearerTokenAuth(), django_auth]
