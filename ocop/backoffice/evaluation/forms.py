"""Dossier forms: shape only (the services decide what is allowed). Form 01 and Form 02 are kept in the dossier as
JSON; these forms map their fields to and from that JSON, dropping empty values so an empty section stays empty
for `dossier_check`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.text import nfc
from ocop.evaluation.models import Dossier, Evidence

LEGAL_PAPERS = (
    ("business_registration", _("Giấy chứng nhận đăng ký kinh doanh / hợp tác xã")),
    ("food_safety", _("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")),
    ("quality_declaration", _("Bản tự công bố / công bố chất lượng sản phẩm")),
    ("trademark", _("Giấy chứng nhận đăng ký nhãn hiệu")),
    ("environment", _("Hồ sơ bảo vệ môi trường")),
    ("quality_test", _("Phiếu kiểm nghiệm chất lượng")),
)
GENDERS = (("", "—"), ("Nam", _("Nam")), ("Nữ", _("Nữ")), ("Khác", _("Khác")))


class RevisionForm(forms.Form):
    """Every write carries the revision the person saw: a stale one is a Conflict, not an overwrite."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DossierCreateForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Sản phẩm"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label=_("Loại hồ sơ"), choices=Dossier.Kind.choices, widget=forms.RadioSelect, initial=Dossier.Kind.FIRST
    )
    product_set = forms.ChoiceField(
        label=_("Bộ sản phẩm (phiếu đánh giá)"),
        required=False,
        help_text=_("Chỉ cần chọn khi sản phẩm chưa được xếp vào bộ sản phẩm."),
    )

    def __init__(self, *args, products, product_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product_set"].choices = [("", "—"), *[(c.code, f"{c.code}. {c.name}") for c in product_sets]]


class DossierFormsForm(RevisionForm):
    """Form 01 (registration) and Form 02 (self-assessment report) of Phụ lục III, 26/2026/QĐ-TTg."""

    # Form 01
    representative = forms.CharField(label=_("Người đại diện theo pháp luật"), max_length=255, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    samples = forms.IntegerField(label=_("Số lượng mẫu sản phẩm"), min_value=0, max_value=1000, required=False)
    attachments = forms.CharField(
        label=_("Tài liệu kèm theo"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Form 02, general information
    representative_gender = forms.ChoiceField(label=_("Giới tính người đại diện"), choices=GENDERS, required=False)
    representative_ethnicity = forms.CharField(label=_("Dân tộc người đại diện"), max_length=64, required=False)
    founded_year = forms.IntegerField(label=_("Năm thành lập"), min_value=1900, max_value=2100, required=False)
    workforce = forms.IntegerField(label=_("Số lao động"), min_value=0, required=False)
    legal_papers = forms.MultipleChoiceField(
        label=_("Giấy tờ pháp lý đã có"), choices=LEGAL_PAPERS, required=False, widget=forms.CheckboxSelectMultiple
    )
    legal_papers_other = forms.CharField(label=_("Giấy tờ khác"), max_length=500, required=False)
    history = forms.CharField(
        label=_("Lịch sử hình thành và tổ chức sản xuất"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    revenue = forms.IntegerField(label=_("Doanh thu năm gần nhất (đồng)"), min_value=0, required=False)
    output = forms.CharField(label=_("Sản lượng"), max_length=255, required=False)
    markets = forms.CharField(label=_("Thị trường tiêu thụ"), max_length=500, required=False)
    business_summary = forms.CharField(
        label=_("Kết quả thực hiện phương án kinh doanh"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan_ahead = forms.CharField(
        label=_("Kế hoạch tiếp theo"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    changes_since_recognition = forms.CharField(
        label=_("Thay đổi từ khi được công nhận (hồ sơ nâng hạng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FORM01 = ("representative", "position", "phone", "email", "address", "samples", "attachments")
    SECTIONS = {
        "general": ("representative_gender", "representative_ethnicity", "founded_year", "workforce"),
        "business_results": ("revenue", "output", "markets", "business_summary"),
    }

    GROUPS = (
        (_("Mẫu 01 — Phiếu đăng ký sản phẩm"), FORM01),
        (_("Mẫu 02 — Thông tin chung"), SECTIONS["general"]),
        (_("Mẫu 02 — Giấy tờ pháp lý"), ("legal_papers", "legal_papers_other")),
        (_("Mẫu 02 — Lịch sử và tổ chức sản xuất"), ("history",)),
        (_("Mẫu 02 — Kết quả phương án kinh doanh"), SECTIONS["business_results"]),
        (_("Mẫu 02 — Kế hoạch tiếp theo"), ("plan_ahead",)),
    )

    def groups(self, *, upgrade: bool) -> list[tuple]:
        """(legend, bound fields) per section of the forms, in the order of the printed forms."""
        groups = [(legend, [self[n] for n in names]) for legend, names in self.GROUPS]
        if upgrade:
            groups.append((_("Hồ sơ nâng hạng"), [self["changes_since_recognition"]]))
        return groups

    @classmethod
    def initial_for(cls, dossier: Dossier) -> dict:
        form02 = dossier.form02 or {}
        initial = {"revision": dossier.revision, "changes_since_recognition": dossier.changes_since_recognition}
        initial.update({k: v for k, v in (dossier.form01 or {}).items() if k in cls.FORM01})
        for section, names in cls.SECTIONS.items():
            values = form02.get(section) or {}
            if isinstance(values, dict):
                initial.update({k: values.get(k) for k in names if k in values})
        known = dict(LEGAL_PAPERS)
        papers = [p for p in form02.get("legal_papers") or [] if isinstance(p, str)]
        initial["legal_papers"] = [p for p in papers if p in known]
        initial["legal_papers_other"] = "; ".join(p for p in papers if p not in known)
        initial["history"] = form02.get("history", "")
        initial["plan_ahead"] = form02.get("plan_ahead", "")
        return initial

    def _clean_value(self, name):
        value = self.cleaned_data.get(name)
        return nfc(value).strip() if isinstance(value, str) else value

    def _values(self, names) -> dict:
        return {n: v for n in names if (v := self._clean_value(n)) not in (None, "")}

    def form01(self) -> dict:
        return self._values(self.FORM01)

    def form02(self) -> dict:
        papers = list(self.cleaned_data.get("legal_papers") or [])
        papers += [p.strip() for p in self._clean_value("legal_papers_other").split(";") if p.strip()]
        data = {section: self._values(names) for section, names in self.SECTIONS.items()}
        data.update(
            legal_papers=papers,
            history=self._clean_value("history"),
            plan_ahead=self._clean_value("plan_ahead"),
        )
        return {k: v for k, v in data.items() if v}


class EvidenceUploadForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại minh chứng"), choices=Evidence.Kind.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG, PNG; tối đa 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    issued_on = forms.DateField(
        label=_("Ngày cấp"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_on = forms.DateField(
        label=_("Ngày hết hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class EvidenceLinkForm(forms.Form):
    evidence = forms.ModelChoiceField(label=_("Minh chứng"), queryset=None)
    criterion = forms.ModelChoiceField(label=_("Tiêu chí"), queryset=None, required=False, empty_label=_("Cả hồ sơ"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, evidence, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence
        self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: f"{c.code} {c.text[:80]}"


class ReasonForm(RevisionForm):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class Form03Form(RevisionForm):
    """The commune's assessment (Phụ lục III Mẫu 03; 26/2026/QĐ-TTg Điều 7 khoản 2) and its proposal."""

    local_raw_materials = forms.CharField(
        label=_("Nguồn gốc sản phẩm và nguyên liệu tại địa phương"), widget=forms.Textarea(attrs={"rows": 3})
    )
    local_labour = forms.CharField(label=_("Sử dụng lao động địa phương"), widget=forms.Textarea(attrs={"rows": 2}))
    idea_origin = forms.CharField(label=_("Nguồn gốc ý tưởng sản phẩm"), widget=forms.Textarea(attrs={"rows": 2}))
    local_identity = forms.CharField(
        label=_("Tính đặc trưng, tri thức và văn hóa địa phương"), widget=forms.Textarea(attrs={"rows": 3})
    )
    proposal = forms.CharField(label=_("Đề xuất của xã"), widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = ("local_raw_materials", "local_labour", "idea_origin", "local_identity", "proposal")

    def form03(self) -> dict:
        return {n: nfc(self.cleaned_data[n]).strip() for n in self.FIELDS}


class AdvisoryReportForm(RevisionForm):
    findings = forms.CharField(label=_("Kết quả rà soát hồ sơ"), widget=forms.Textarea(attrs={"rows": 4}))
    site_survey = forms.CharField(
        label=_("Khảo sát thực tế tại cơ sở"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    extra_tests_requested = forms.CharField(
        label=_("Đề nghị kiểm nghiệm bổ sung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def report(self) -> dict:
        return {k: nfc(v).strip() for k, v in self.cleaned_data.items() if k != "revision"}


class CouncilForm(RevisionForm):
    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=None)

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils


class DossierFilterForm(forms.Form):
    todo = forms.BooleanField(label=_("Chỉ hồ sơ chờ tôi xử lý"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", "—"), *Dossier.Status.choices])
    round = forms.ChoiceField(label=_("Đợt đánh giá"), required=False)
    commune = forms.ChoiceField(label=_("Xã"), required=False)
    overdue = forms.BooleanField(label=_("Quá hạn"), required=False)

    def __init__(self, *args, rounds, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", "—"), *[(str(r.pk), str(r)) for r in rounds]]
        self.fields["commune"].choices = [("", "—"), *[(u.code, u.name) for u in communes]]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
