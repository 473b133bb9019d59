"""Back-office registry forms: they validate shape only; the registry services own the rules."""

from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ocop.geo.models import AdminUnit
from ocop.geo.selectors import province_list, unit_list
from ocop.registry.importing.mapping import FIELDS, LABELS
from ocop.registry.models import ProductCategory, Subject

ALL = [("", _("Tất cả"))]
CERTIFICATE_CHOICES = [
    ("", _("Tất cả")),
    ("valid", _("Còn hiệu lực")),
    ("expired", _("Hết hiệu lực")),
    ("none", _("Chưa có")),
]
STAR_CHOICES = [("", _("Tất cả")), ("3", "3★"), ("4", "4★"), ("5", "5★")]


def _province_choices(empty_label):
    return [("", empty_label), *[(p.code, p.full_name) for p in province_list()]]


def commune_choices(province_code: str, empty_label):
    if not province_code:
        return [("", empty_label)]
    communes = unit_list(level=AdminUnit.Level.COMMUNE, parent_code=province_code)
    return [("", empty_label), *[(c.code, c.full_name) for c in communes]]


class SubjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Tỉnh / thành phố"), required=False)
    commune = forms.ChoiceField(label=_("Xã / phường"), required=False)
    legal_form = forms.ChoiceField(label=_("Loại hình"), required=False, choices=ALL + Subject.LegalForm.choices)
    status = forms.ChoiceField(
        label=_("Trạng thái xác minh"), required=False, choices=ALL + Subject.Verification.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = _province_choices(_("Tất cả"))
        self.fields["commune"].choices = commune_choices(self.data.get("province", ""), _("Tất cả"))

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "province": data["province"],
            "commune": data["commune"],
            "legal_form": data["legal_form"],
            "verification_status": data["status"],
        }


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        help_text=_("Tên sản phẩm, chủ thể, mã số thuế hoặc mã OCOP"),
    )
    province = forms.ChoiceField(label=_("Tỉnh / thành phố"), required=False)
    category = forms.ChoiceField(label=_("Nhóm sản phẩm"), required=False)
    stars = forms.ChoiceField(label=_("Hạng sao"), required=False, choices=STAR_CHOICES)
    certificate = forms.ChoiceField(label=_("Giấy chứng nhận"), required=False, choices=CERTIFICATE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = _province_choices(_("Tất cả"))
        groups = ProductCategory.objects.filter(
            version__is_current=True,
            level__in=[ProductCategory.Level.INDUSTRY, ProductCategory.Level.GROUP],
        ).order_by("position")
        self.fields["category"].choices = ALL + [(str(c.pk), str(c)) for c in groups]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class VerificationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        widget=forms.RadioSelect,
        choices=[
            (Subject.Verification.VERIFIED, _("Phê duyệt")),
            (Subject.Verification.RETURNED, _("Trả lại để bổ sung")),
            (Subject.Verification.REJECTED, _("Từ chối")),
        ],
    )
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi trả lại hoặc từ chối."),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách (CSV hoặc XLSX)"))
    as_of = forms.DateField(
        label=_("Thời điểm của danh sách"),
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        help_text=_("Ngày công bố danh sách (dd/mm/yyyy), để đối chiếu đơn vị hành chính cũ. Có thể bỏ trống."),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )


class ImportMappingForm(forms.Form):
    """One select per known field: which file column holds it ("" = ignore the field)."""

    def __init__(self, *args, headers: list[str], detected: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— Bỏ qua —")), *[(h, h) for h in headers if h]]
        for field in FIELDS:
            index = detected.get(field)
            self.fields[field] = forms.ChoiceField(
                label=LABELS[field],
                required=False,
                choices=choices,
                initial=headers[index] if index is not None and index < len(headers) else "",
            )

    def mapping(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(field, "") for field in FIELDS} if self.is_valid() else {}


class SubjectApplicationForm(forms.Form):
    """The subject part of a producer's application (also used to fix a returned one)."""

    legal_form = forms.ChoiceField(label=_("Loại hình"), choices=Subject.LegalForm.choices)
    name = forms.CharField(label=_("Tên chủ thể"), max_length=255)
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=14,
        required=False,
        help_text=_("10 chữ số, hoặc 13 chữ số dạng 0123456789-001. Hộ sản xuất chưa có thì bỏ trống."),
    )
    address_line = forms.CharField(label=_("Địa chỉ (số nhà, thôn, ấp)"), max_length=255)
    province = forms.ChoiceField(label=_("Tỉnh / thành phố"))
    commune = forms.ChoiceField(label=_("Xã / phường"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get(self.add_prefix("province")) if self.is_bound else self.initial.get("province")
        self.fields["province"].choices = _province_choices(_("— Chọn tỉnh / thành phố —"))
        self.fields["commune"].choices = commune_choices(province or "", _("— Chọn xã / phường —"))
        self.fields["province"].widget.attrs.update(
            {"hx-get": reverse_lazy("bo:registry:commune-options"), "hx-target": "#id_commune", "hx-trigger": "change"}
        )

    def subject_values(self) -> dict:
        data = self.cleaned_data
        commune = AdminUnit.objects.get(code=data["commune"], level=AdminUnit.Level.COMMUNE, valid_until__isnull=True)
        return {
            "legal_form": data["legal_form"],
            "name": data["name"],
            "tax_code": data["tax_code"],
            "address_line": data["address_line"],
            "commune": commune,
        }


class RegistrationForm(SubjectApplicationForm):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên người đại diện"), max_length=150)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    field_order = ["username", "full_name", "phone", "email", "password1", "password2"]

    ACCOUNT_FIELDS = ("username", "full_name", "phone", "email", "password1", "password2")

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def subject_fields(self):
        return [self[name] for name in self.fields if name not in self.ACCOUNT_FIELDS]

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
