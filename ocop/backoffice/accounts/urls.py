from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import is_officer
from ocop.backoffice.accounts import views
from ocop.backoffice.navigation import NavItem, register_nav_item

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("password/done/", views.password_change_done, name="password-change-done"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("password/reset/complete/", views.password_reset_complete, name="password-reset-complete"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]

register_nav_item(
    NavItem(
        url_name="bo:accounts:token-list",
        label=_("Token API"),
        hint=_("Khóa truy cập cho hệ thống đối tác"),
        visible=is_officer,  # the same gate as the pages: ensure_can_manage_api_tokens
        order=900,
    )
)
