"""Council forms: shape only; the services decide (ocop.evaluation.services, ocop.certification)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ocop.evaluation.models import CouncilMember


class CouncilCreateForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Đợt đánh giá"), queryset=None)
    name = forms.CharField(label=_("Tên hội đồng"), max_length=255)
    min_fraction = forms.ChoiceField(
        label=_("Số thành viên tối thiểu nộp phiếu"),
        choices=[("1/2", _("Một nửa")), ("2/3", _("Hai phần ba")), ("3/4", _("Ba phần tư")), ("1/1", _("Tất cả"))],
        initial="2/3",
    )
    chair_required = forms.BooleanField(label=_("Chủ tịch phải nộp phiếu"), required=False, initial=True)

    def __init__(self, *args, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của thành viên"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"), choices=CouncilMember.Role.choices, initial=CouncilMember.Role.MEMBER)
    organisation = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=255, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Không có tài khoản với tên đăng nhập này."))
        self.cleaned_data["user"] = user
        return username


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Xung đột lợi ích với hồ sơ này"),
        choices=[("no", _("Không có xung đột lợi ích")), ("yes", _("Có xung đột lợi ích (không chấm hồ sơ này)"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloseForm(forms.Form):
    accept_spread = forms.BooleanField(label=_("Hội đồng đã thảo luận và chấp nhận chênh lệch điểm"), required=False)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=255)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"}))
    signer_name = forms.CharField(label=_("Người ký"), max_length=255)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=255)
    dossiers = forms.MultipleChoiceField(
        label=_("Hồ sơ được công nhận"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, dossier_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].choices = dossier_choices


class CentralProposalForm(forms.Form):
    """The province proposes a ≥ 90-point product to the central round with the provincial chair's approval of
    the council's result (26/2026/QĐ-TTg Điều 7 khoản 3)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    approval_ref = forms.CharField(label=_("Số quyết định phê duyệt kết quả của Chủ tịch UBND tỉnh"), max_length=255)


class CentralStepForm(forms.Form):
    """One central step on a dossier (receive with a council, open scoring, return to the province)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    council = forms.ModelChoiceField(label=_("Hội đồng cấp trung ương"), queryset=None, required=False)
    reason = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
