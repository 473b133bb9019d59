"""Back-office forms for lots and trace events: shape only; the services decide what is valid."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.traceability.models import Lot, TraceEvent
from ocop.traceability.rules import VN_TZ

STEP_CHOICES = [
    ("commissioning", _("Khởi tạo lô / sản xuất")),
    ("packing", _("Đóng gói")),
    ("shipping", _("Xuất hàng")),
    ("receiving", _("Nhận hàng")),
    ("inspecting", _("Kiểm tra")),
    ("transforming", _("Chế biến")),
]


class LotForm(forms.Form):
    lot_code = forms.CharField(label=_("Mã lô"), max_length=20)
    produced_on = forms.DateField(label=_("Ngày sản xuất"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Hạn sử dụng"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    quantity = forms.DecimalField(label=_("Số lượng"), max_digits=14, decimal_places=3, min_value=0)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=Lot.Unit.choices)
    origin_commune_codes = forms.CharField(
        label=_("Mã xã vùng nguyên liệu"),
        required=False,
        help_text=_("Mã xã (5 chữ số) có hiệu lực vào ngày sản xuất, cách nhau bởi dấu phẩy."),
    )

    def clean_origin_commune_codes(self):
        raw = self.cleaned_data.get("origin_commune_codes") or ""
        return [code.strip() for code in raw.replace(";", ",").split(",") if code.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class TraceEventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Loại sự kiện"), choices=TraceEvent.Type.choices)
    biz_step = forms.ChoiceField(label=_("Bước"), choices=STEP_CHOICES)
    event_time = forms.DateTimeField(
        label=_("Thời điểm"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    read_point_commune = forms.CharField(label=_("Mã xã nơi diễn ra"), max_length=5, required=False)
    quantity = forms.DecimalField(label=_("Số lượng"), max_digits=14, decimal_places=3, min_value=0, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultipleImageField(
        label=_("Ảnh minh chứng"),
        required=False,
        help_text=_("Tối đa 5 ảnh JPEG, PNG hoặc WebP, mỗi ảnh dưới 5 MB."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_event_time(self):
        # A datetime-local value has no offset: it is Vietnam time, whatever the server's zone.
        value = self.cleaned_data["event_time"]
        return value.replace(tzinfo=VN_TZ) if value.tzinfo is None else value.astimezone(datetime.UTC)
