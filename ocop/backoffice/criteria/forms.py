"""The criterion correction form: shape only (which field, a value of the right type, a reason). The service
`ocop.evaluation.services.criterion_correct` decides whether the value is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.evaluation.models import Criterion
from ocop.evaluation.services.criteria import CRITERION_FIELDS, OPTION_FIELDS

FIELD_LABELS = {
    "code": _("Mã tiêu chí"),
    "text": _("Nội dung"),
    "max_points": _("Điểm tối đa"),
    "scoring": _("Cách tính điểm"),
    "points": _("Điểm"),
    "min_star": _("Yêu cầu tối thiểu cho hạng sao"),
}


def target_choices(criterion: Criterion, options) -> list[tuple[str, str]]:
    """`criterion:<field>` and `option:<id>:<field>` choices, labelled with the current value."""
    choices = []
    for field in CRITERION_FIELDS:
        value = getattr(criterion, field)
        choices.append((f"criterion:{field}", f"{FIELD_LABELS[field]} — {_short(value)}"))
    for option in options:
        for field in OPTION_FIELDS:
            value = getattr(option, field)
            label = _("Phương án %(n)s") % {"n": option.position}
            choices.append((f"option:{option.pk}:{field}", f"{label}: {FIELD_LABELS[field]} — {_short(value)}"))
    return choices


def _short(value) -> str:
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


class CriterionCorrectForm(forms.Form):
    target = forms.ChoiceField(label=_("Trường cần đính chính"))
    new_value = forms.CharField(
        label=_("Giá trị mới"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Điểm và hạng sao là số nguyên; để trống để xoá điểm hoặc dấu sao của phương án."),
    )
    reason = forms.CharField(
        label=_("Lý do đính chính"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dẫn văn bản gốc, ví dụ: Đối chiếu bản ký 26/2026/QĐ-TTg, Phụ lục II."),
        error_messages={"required": _("Cần ghi lý do đính chính.")},
    )

    def __init__(self, *args, criterion: Criterion, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {str(o.pk): o for o in options}
        self.fields["target"].choices = target_choices(criterion, options)

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if not target:
            return data
        parts = target.split(":")
        option = self.options.get(parts[1]) if parts[0] == "option" else None
        field = parts[-1]
        kind = (OPTION_FIELDS if option is not None else CRITERION_FIELDS)[field]
        data["option"], data["field"] = option, field
        raw = (data.get("new_value") or "").strip()
        if kind in ("text", "scoring"):
            data["value"] = raw
        elif raw == "" and kind.endswith("_or_null"):
            data["value"] = None
        else:
            try:
                data["value"] = int(raw)
            except ValueError:
                self.add_error("new_value", _("Phải là số nguyên không âm."))
        return data
