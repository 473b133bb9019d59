"""Stamp forms: shape only; the services check the rules (quantity limits, certificate, access)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.certification.stamps.models import CounterfeitAlert


class StampOrderForm(forms.Form):
    product = forms.ModelChoiceField(queryset=None, label=_("Sản phẩm"))
    quantity = forms.IntegerField(label=_("Số lượng tem"))
    lot_code = forms.CharField(label=_("Mã lô (không bắt buộc)"), required=False, max_length=20)
    label_width_mm = forms.DecimalField(label=_("Chiều rộng tem (mm)"), initial=32, max_digits=5, decimal_places=1)
    label_height_mm = forms.DecimalField(label=_("Chiều cao tem (mm)"), initial=44, max_digits=5, decimal_places=1)
    margin_mm = forms.DecimalField(label=_("Lề trang (mm)"), initial=10, max_digits=5, decimal_places=1)
    bleed_mm = forms.DecimalField(label=_("Tràn lề (mm)"), initial=1.5, max_digits=4, decimal_places=1)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class StampVoidForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class AlertAcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú tiếp nhận"),
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        max_length=2000,
        required=False,
    )


class AlertResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Kết luận"), choices=[("", "—"), *CounterfeitAlert.Resolution.choices], required=False
    )
    note = forms.CharField(
        label=_("Ghi chú kết luận"),
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        max_length=2000,
        required=False,
    )
