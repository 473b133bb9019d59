"""Back-office account pages: login, lockout, logout, password change/reset, API tokens, navigation,
and the permission matrix over the personas for every page added here."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ocop.accounts.models import ApiToken
from ocop.accounts.services import api_token_create
from ocop.accounts.tests.factories import PASSWORD, UserFactory
from ocop.core.models import AuditEvent

LOGIN = reverse("bo:accounts:login")
LOGOUT = reverse("bo:accounts:logout")
PASSWORD_CHANGE = reverse("bo:accounts:password-change")
PASSWORD_RESET = reverse("bo:accounts:password-reset")
TOKENS = reverse("bo:accounts:token-list")
TOKEN_CREATE = reverse("bo:accounts:token-create")

OFFICERS = ["central_officer", "province_officer_a", "province_officer_b", "commune_officer_a", "superuser"]
NON_OFFICERS = ["producer", "council_member_a"]


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


# ---------------------------------------------------------------------------------------------- login


def test_login_page_renders_in_vietnamese_with_reset_link(anon_client, db):
    response = anon_client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Đăng nhập" in content
    assert reverse("bo:accounts:password-reset") in content


def test_login_success_redirects_home_and_is_audited(anon_client, province_officer_a):
    response = login(anon_client, "province-a")
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:home")
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == province_officer_a
    assert event.ip_address == "127.0.0.1"


def test_login_honours_a_safe_next_and_ignores_an_external_one(anon_client, province_officer_a):
    response = anon_client.post(LOGIN + f"?next={TOKENS}", {"username": "province-a", "password": PASSWORD})
    assert response["Location"] == TOKENS
    client = Client()
    response = client.post(LOGIN + "?next=https://evil.example/", {"username": "province-a", "password": PASSWORD})
    assert response["Location"] == reverse("bo:home")


def test_login_failure_shows_message_and_audits_username_without_password(anon_client, province_officer_a):
    response = login(anon_client, "province-a", "sai-mat-khau-123")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.data["username"] == "province-a"
    assert event.actor is None
    assert "sai-mat-khau-123" not in str(event.data)


def test_lockout_after_five_failures_with_clear_message(anon_client, province_officer_a):
    # given four failures: still the normal form, with a warning once the lockout is near
    for attempt in range(1, 5):
        response = login(anon_client, "province-a", "wrong")
        assert response.status_code == 200
        warned = "trước khi đăng nhập bị tạm khóa" in response.content.decode()
        assert warned == (attempt >= 3)
    assert "Còn 1 lần thử nữa" in response.content.decode()
    # when the fifth fails
    response = login(anon_client, "province-a", "wrong")
    # then the account is locked with a message saying how long to wait
    assert response.status_code == 429
    content = response.content.decode()
    assert "Đăng nhập bị tạm khóa" in content
    assert "5 lần" in content
    assert "30 phút" in content
    assert 'class="alert alert-error"' in content
    assert reverse("bo:accounts:password-reset") in content
    # and even the right password is refused while locked
    response = login(anon_client, "province-a")
    assert response.status_code == 429
    assert "_auth_user_id" not in anon_client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 6
    assert AuditEvent.objects.filter(action="auth.login_failed", data__locked_out=True).exists()


def test_lockout_page_is_translated_to_english(anon_client, province_officer_a):
    for _ in range(5):
        response = anon_client.post(LOGIN, {"username": "province-a", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "30 minutes" in response.content.decode()


def test_lockout_is_per_username_so_other_accounts_can_still_log_in(anon_client, province_officer_a, central_officer):
    for _ in range(5):
        login(anon_client, "province-a", "wrong")
    assert login(anon_client, "central").status_code == 302


def test_logout_is_post_only_and_audited(client_for, province_officer_a):
    client = client_for(province_officer_a)
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.logout", actor=province_officer_a).exists()


def test_signed_in_user_visiting_login_goes_home(client_for, producer):
    response = client_for(producer).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:home")


# ------------------------------------------------------------------------------------------- passwords


def test_password_change(client_for, province_officer_a):
    client = client_for(province_officer_a)
    assert client.get(PASSWORD_CHANGE).status_code == 200
    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": "Lam-Dong-2026!x", "new_password2": "Lam-Dong-2026!x"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:accounts:password-change-done")
    province_officer_a.refresh_from_db()
    assert province_officer_a.check_password("Lam-Dong-2026!x")
    assert AuditEvent.objects.filter(action="auth.password_change", actor=province_officer_a).exists()
    assert client.get(reverse("bo:accounts:password-change-done")).status_code == 200


def test_password_change_with_wrong_old_password_shows_error(client_for, province_officer_a):
    response = client_for(province_officer_a).post(
        PASSWORD_CHANGE,
        {"old_password": "nope", "new_password1": "Lam-Dong-2026!x", "new_password2": "Lam-Dong-2026!x"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_password_reset_sends_email_with_public_link_and_unlocks(anon_client, province_officer_a, settings):
    settings.PUBLIC_URL = "https://ocop.example.vn"
    for _ in range(5):
        login(anon_client, "province-a", "wrong")
    # when the user asks for a reset (a forged Host header must not leak into the link)
    response = anon_client.post(PASSWORD_RESET, {"email": province_officer_a.email}, HTTP_HOST="evil.example")
    assert response.status_code in (302, 400)  # 400 only if the forged host is refused outright
    response = anon_client.post(PASSWORD_RESET, {"email": province_officer_a.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:accounts:password-reset-done")
    message = mail.outbox[-1]
    assert message.to == [province_officer_a.email]
    assert "Đặt lại mật khẩu" in message.subject
    link = re.search(r"https://ocop\.example\.vn(/bo/accounts/password/reset/\S+/)", message.body)
    assert link, message.body
    assert "evil.example" not in "".join(m.body for m in mail.outbox)
    # then following the link sets a new password
    response = anon_client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = anon_client.post(form_url, {"new_password1": "Moi-Moi-2026!x", "new_password2": "Moi-Moi-2026!x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:accounts:password-reset-complete")
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=province_officer_a).exists()
    # and the lockout from the earlier failures is lifted
    assert login(Client(), "province-a", "Moi-Moi-2026!x").status_code == 302


def test_password_reset_for_unknown_email_looks_the_same(anon_client, db):
    response = anon_client.post(PASSWORD_RESET, {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:accounts:password-reset-done")
    assert mail.outbox == []


def test_password_reset_with_bad_link_explains(anon_client, db):
    response = anon_client.get(reverse("bo:accounts:password-reset-confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("url_name", ["password-reset", "password-reset-done", "password-reset-complete", "login"])
def test_public_auth_pages_render_for_anonymous(anon_client, url_name, db):
    assert anon_client.get(reverse(f"bo:accounts:{url_name}")).status_code == 200


# ------------------------------------------------------------------------------------------ API tokens


def test_token_creation_shows_secret_once_and_stores_only_its_hash(client_for, province_officer_a):
    client = client_for(province_officer_a)
    response = client.post(TOKEN_CREATE, {"name": "Sàn Postmart", "lifetime": "90"})
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "") or "no-cache" in response.get("Cache-Control", "")
    secret = re.search(r'data-testid="token-secret">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=province_officer_a)
    assert token.expires_at is not None
    assert token.prefix == secret[:8] and token.key_hash != secret
    # the list shows the prefix, never the secret
    listing = client.get(TOKENS).content.decode()
    assert "Sàn Postmart" in listing and token.prefix in listing
    assert secret not in listing
    # and the secret works on the API
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json()["username"] == "province-a"


def test_token_create_without_name_shows_error(client_for, central_officer):
    response = client_for(central_officer).post(TOKEN_CREATE, {"name": "  ", "lifetime": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_revoke_then_api_is_401(client_for, province_officer_a):
    token, secret = api_token_create(actor=province_officer_a, name="x")
    client = client_for(province_officer_a)
    response = client.post(reverse("bo:accounts:token-revoke", args=[token.pk]), follow=True)
    assert response.status_code == 200
    assert "Đã thu hồi" in response.content.decode()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_token_revoke_is_post_only(client_for, province_officer_a):
    token, _ = api_token_create(actor=province_officer_a, name="x")
    assert client_for(province_officer_a).get(reverse("bo:accounts:token-revoke", args=[token.pk])).status_code == 405


def test_officer_cannot_revoke_someone_elses_token(client_for, province_officer_a, province_officer_b):
    token, _ = api_token_create(actor=province_officer_b, name="x")
    response = client_for(province_officer_a).post(reverse("bo:accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_list_shows_only_own_tokens(client_for, province_officer_a, province_officer_b):
    api_token_create(actor=province_officer_b, name="Của tỉnh B")
    assert "Của tỉnh B" not in client_for(province_officer_a).get(TOKENS).content.decode()


# ---------------------------------------------------------------------------------- permission matrix

PROTECTED_GETS = [TOKENS, TOKEN_CREATE, PASSWORD_CHANGE, reverse("bo:accounts:password-change-done")]


@pytest.mark.parametrize("url", PROTECTED_GETS)
def test_anonymous_is_sent_to_login(anon_client, url, db):
    response = anon_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


@pytest.mark.parametrize("url", [TOKEN_CREATE, reverse("bo:accounts:token-revoke", args=[1]), LOGOUT])
def test_anonymous_posts_do_nothing(anon_client, url, db):
    response = anon_client.post(url, {"name": "x"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", NON_OFFICERS)
@pytest.mark.parametrize("url", [TOKENS, TOKEN_CREATE])
def test_non_officers_get_403_on_token_pages(persona, url, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403
    assert client.post(TOKEN_CREATE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", NON_OFFICERS)
def test_non_officers_cannot_revoke(persona, request, client_for, province_officer_a):
    token, _ = api_token_create(actor=province_officer_a, name="x")
    response = client_for(request.getfixturevalue(persona)).post(reverse("bo:accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", OFFICERS)
@pytest.mark.parametrize("url", [TOKENS, TOKEN_CREATE])
def test_officers_may_use_token_pages(persona, url, request, client_for):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 200


@pytest.mark.parametrize("persona", [*OFFICERS, *NON_OFFICERS])
def test_everyone_signed_in_may_change_password(persona, request, client_for):
    assert client_for(request.getfixturevalue(persona)).get(PASSWORD_CHANGE).status_code == 200


# ---------------------------------------------------------------------------------------- navigation


def test_home_lists_roles_with_units_and_token_link_for_officers(client_for, province_officer_a, province_a):
    content = client_for(province_officer_a).get(reverse("bo:home")).content.decode()
    assert f"Cán bộ cấp tỉnh — {province_a.full_name}" in content
    assert TOKENS in content


@pytest.mark.parametrize("persona", NON_OFFICERS)
def test_home_hides_token_link_from_non_officers(persona, request, client_for):
    content = client_for(request.getfixturevalue(persona)).get(reverse("bo:home")).content.decode()
    assert TOKENS not in content


def test_home_shows_council_member_role_with_province(client_for, council_member_a, province_a):
    content = client_for(council_member_a).get(reverse("bo:home")).content.decode()
    assert f"Thành viên hội đồng — {province_a.full_name}" in content


def test_user_without_roles_sees_the_no_role_hint(client_for, db):
    content = client_for(UserFactory()).get(reverse("bo:home")).content.decode()
    assert "chưa được giao vai trò" in content


def test_register_nav_item_adds_and_replaces_by_url_name():
    from ocop.backoffice import navigation
    from ocop.backoffice.navigation import NAV_ITEMS, NavItem, register_nav_item

    before = list(NAV_ITEMS)
    try:
        register_nav_item(NavItem("bo:home", "A", "", navigation._always))
        register_nav_item(NavItem("bo:home", "B", "", navigation._always, order=1))
        matching = [i for i in NAV_ITEMS if i.url_name == "bo:home"]
        assert [i.label for i in matching] == ["B"]
    finally:
        NAV_ITEMS[:] = before


@pytest.mark.django_db
def test_login_page_links_producers_to_self_registration(anon_client):
    html = anon_client.get("/bo/accounts/login/").content.decode()
    assert 'href="/bo/register/"' in html
