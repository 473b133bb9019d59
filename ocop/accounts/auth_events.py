"""Audit events for logins, failed logins and logouts.

These hang on Django's auth signals rather than on the back-office views because logins happen on
several paths (back office, Django admin, API session) and every one must be recorded. The handlers
only record; they never decide anything.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from ocop.core.audit import audit_record

# Django's `credentials` already masks the password, but we keep only the username anyway: nothing else
# the user typed belongs in the audit log.
_USERNAME_MAX = 150


def on_logged_in(sender, request, user, **kwargs):
    audit_record(action="auth.login", actor=user, target=user, data={"username": user.get_username()}, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")[:_USERNAME_MAX]
    data = {"username": username}
    if getattr(request, "axes_locked_out", False):
        data["locked_out"] = True
    audit_record(action="auth.login_failed", data=data, request=request)


def on_logged_out(sender, request, user, **kwargs):
    if user is None:  # logging out an already anonymous session
        return
    audit_record(action="auth.logout", actor=user, target=user, data={"username": user.get_username()}, request=request)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="ocop.accounts.audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="ocop.accounts.audit.login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="ocop.accounts.audit.logout")
