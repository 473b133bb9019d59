from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"

# Replaced by the accounts views (lockout messages, audit, tokens) — see ocop/backoffice/accounts/views.py.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="backoffice/accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password-change"),
]
