"""Back-office account pages: login/logout, password change and reset, API tokens.

Authentication reuses Django's views (well-trodden security code) with our templates and forms;
login audit events are written by ocop.accounts.auth_events for every login path.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ocop.accounts.access import ensure_can_manage_api_tokens
from ocop.accounts.models import ApiToken
from ocop.accounts.services import api_token_create, api_token_revoke
from ocop.backoffice.accounts.forms import ApiTokenCreateForm, LoginForm
from ocop.core.audit import audit_record
from ocop.core.errors import DomainError
from ocop.core.errors import PermissionDenied as DomainPermissionDenied

TEMPLATES = "backoffice/accounts/"


class LoginView(auth_views.LoginView):
    template_name = TEMPLATES + "login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # Warn before the lockout (django-axes) so that it never comes as a surprise.
        username = form.data.get("username", "")
        if username:
            failures = AxesProxyHandler.get_failures(self.request, {"username": username})
            remaining = settings.AXES_FAILURE_LIMIT - failures
            if 0 < remaining <= 2:
                form.add_error(
                    None,
                    ngettext(
                        "Còn %(n)s lần thử nữa trước khi đăng nhập bị tạm khóa.",
                        "Còn %(n)s lần thử nữa trước khi đăng nhập bị tạm khóa.",
                        remaining,
                    )
                    % {"n": remaining},
                )
        return super().form_invalid(form)


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = TEMPLATES + "password_change_form.html"
    success_url = reverse_lazy("bo:accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action="auth.password_change", actor=self.request.user, target=self.request.user, request=self.request
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = TEMPLATES + "password_reset_confirm.html"
    success_url = reverse_lazy("bo:accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they own the mailbox is no longer locked out for the earlier failures.
        axes_reset(username=form.user.get_username())
        audit_record(action="auth.password_reset", actor=form.user, target=form.user, request=self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = TEMPLATES + "password_reset_form.html"
    email_template_name = TEMPLATES + "password_reset_email.txt"
    subject_template_name = TEMPLATES + "password_reset_subject.txt"
    success_url = reverse_lazy("bo:accounts:password-reset-done")

    def form_valid(self, form):
        # The link is built from the configured public address, never from the request's Host header
        # (a forged Host would otherwise send users a reset link to someone else's site).
        self.extra_email_context = {"public_url": settings.PUBLIC_URL}
        return super().form_valid(form)


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name=TEMPLATES + "password_change_done.html")
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name=TEMPLATES + "password_reset_done.html")
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name=TEMPLATES + "password_reset_complete.html"
)


def _ensure_token_access(request):
    try:
        ensure_can_manage_api_tokens(request.user)
    except DomainPermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc


@login_required
def token_list(request):
    _ensure_token_access(request)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, TEMPLATES + "token_list.html", {"tokens": tokens})


@never_cache
@login_required
def token_create(request):
    """GET shows the form; a valid POST shows the secret once, in this response only (never stored)."""
    _ensure_token_access(request)
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at(), request=request
            )
        except DomainError as exc:
            for field, errors in exc.as_dict()["fields"].items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.fields:
                form.add_error(None, str(exc.message))
        else:
            return render(request, TEMPLATES + "token_created.html", {"token": token, "secret": secret})
    return render(request, TEMPLATES + "token_create.html", {"form": form})


@require_POST
@login_required
def token_revoke(request, token_id: int):
    _ensure_token_access(request)
    # Another user's token is "not found", so token ids cannot be probed.
    token = get_object_or_404(ApiToken, pk=token_id, **({} if request.user.is_superuser else {"user": request.user}))
    api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("Đã thu hồi token “%(name)s”.") % {"name": token.name})
    return redirect("bo:accounts:token-list")
