from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: chữ hoa và chữ thường là khác nhau."),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ cơ quan quản lý OCOP."),
    }


class ApiTokenCreateForm(forms.Form):
    LIFETIMES = [
        ("30", _("30 ngày")),
        ("90", _("90 ngày")),
        ("365", _("1 năm")),
        ("", _("Không hết hạn")),
    ]

    name = forms.CharField(
        label=_("Tên token"),
        max_length=100,
        help_text=_("Ví dụ: tên hệ thống đối tác sẽ dùng token này."),
    )
    lifetime = forms.ChoiceField(label=_("Thời hạn"), choices=LIFETIMES, initial="90", required=False)

    def expires_at(self):
        days = self.cleaned_data.get("lifetime")
        return timezone.now() + timedelta(days=int(days)) if days else None
