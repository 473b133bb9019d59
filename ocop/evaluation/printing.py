"""Printed documents of the evaluation (26/2026/QĐ-TTg Điều 6, Phụ lục III): Form 01 registration, Form 02
self-assessment report, Form 03 commune report, one member's score sheet and the council's minutes (biên bản).

They are Vietnamese legal documents whatever the UI language, so their labels are not translated. A4 portrait,
the vendored DejaVu fonts (ocop.core.pdf), dates dd/mm/yyyy, decimals with a comma ("75,50"). Long texts wrap
(platypus Paragraph) and tables split across pages with their header row repeated.

Form data is read tolerantly from the dossier's JSON (keys not filled fall back to the registry's subject and
product, or to "…" to be completed by hand):

- form01: {"representative": {"name", "position", "phone"} | str, "contact": {"address", "phone", "email"},
  "product_name", "group", "subgroup", "attachments": [str | {"title"}], "samples": int | str}
- form02: {"general": {...}, "legal_papers": [...], "history": ..., "business_results": {...}, "plan_ahead": ...}
- form03: workflow.FORM03_FIELDS, from the dossier, else from the event that forwarded it to the province.
"""

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ocop.core.pdf import BOLD, REGULAR, register_fonts, vn_date
from ocop.geo.selectors import unit_current_name

PAGE_W, PAGE_H = A4
MARGINS = {"leftMargin": 25 * mm, "rightMargin": 15 * mm, "topMargin": 18 * mm, "bottomMargin": 18 * mm}
BODY_W = PAGE_W - MARGINS["leftMargin"] - MARGINS["rightMargin"]
GRID = colors.Color(0.55, 0.55, 0.6)
SHADE = colors.Color(0.92, 0.93, 0.95)
PART_SHADE = colors.Color(0.85, 0.88, 0.93)
BLANK = "…"

KIND_LABELS = (("first", "Đánh giá lần đầu"), ("upgrade", "Nâng hạng sao"), ("reevaluation", "Đánh giá lại"))
FORM03_LABELS = (
    ("local_raw_materials", "Nguồn gốc sản phẩm và nguyên liệu tại địa phương"),
    ("local_labour", "Sử dụng lao động địa phương"),
    ("idea_origin", "Nguồn gốc ý tưởng sản phẩm"),
    ("local_identity", "Tính địa phương, tri thức và giá trị văn hóa bản địa"),
)
GENERAL_LABELS = {
    "representative_name": "Người đại diện",
    "representative_position": "Chức vụ",
    "representative_gender": "Giới tính người đại diện",
    "representative_ethnicity": "Dân tộc người đại diện",
    "representative_birth_year": "Năm sinh người đại diện",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "website": "Trang thông tin điện tử",
    "founded_year": "Năm thành lập",
    "workforce_total": "Tổng số lao động",
    "workforce_women": "Lao động nữ",
    "workforce_ethnic_minority": "Lao động dân tộc thiểu số",
    "charter_capital": "Vốn điều lệ (đồng)",
}
BUSINESS_LABELS = {
    "revenue": "Doanh thu (đồng)",
    "profit": "Lợi nhuận (đồng)",
    "output": "Sản lượng",
    "capacity": "Công suất",
    "markets": "Thị trường tiêu thụ",
    "export": "Xuất khẩu",
    "employees": "Số lao động",
    "average_income": "Thu nhập bình quân (đồng/người/tháng)",
}
ROLE_ORDER = {"chair": 0, "member": 1, "secretary": 2, "advisory": 3}


# --- formatting ---------------------------------------------------------------------------------------------


def vn_number(value, places: int | None = None) -> str:
    """Vietnamese number: "." groups thousands, "," marks decimals (75.5 → "75,50" with places=2)."""
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if places is None:
        places = 0 if isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral()) else 2
    text = f"{Decimal(str(value)):,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _local_date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return vn_date(value)


def _plain(value) -> str:
    """Any JSON value as printable text (lists one per line, dicts as "key: value" lines, numbers Vietnamese)."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return vn_number(value)
    if isinstance(value, list):
        return "\n".join(f"- {_plain(v)}" for v in value if _plain(v))
    if isinstance(value, dict):
        if set(value) & {"title", "name"}:
            main = value.get("title") or value.get("name")
            extra = [f"{k}: {_plain(v)}" for k, v in value.items() if k not in ("title", "name") and _plain(v)]
            return f"{main}" + (f" ({'; '.join(extra)})" if extra else "")
        return "\n".join(f"{k}: {_plain(v)}" for k, v in value.items() if _plain(v))
    return str(value)


# --- styles and building blocks -----------------------------------------------------------------------------

_STYLES: dict[str, ParagraphStyle] = {}


def _styles() -> dict[str, ParagraphStyle]:
    if not _STYLES:
        register_fonts()
        base = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14, alignment=TA_LEFT)
        _STYLES.update(
            body=base,
            center=ParagraphStyle("center", parent=base, alignment=TA_CENTER),
            right=ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
            bold_center=ParagraphStyle("bold_center", parent=base, fontName=BOLD, alignment=TA_CENTER),
            head=ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=9.5, leading=12.5, alignment=TA_CENTER),
            head_plain=ParagraphStyle("head_plain", parent=base, fontSize=9.5, leading=12.5, alignment=TA_CENTER),
            title=ParagraphStyle(
                "title", parent=base, fontName=BOLD, fontSize=13.5, leading=18, alignment=TA_CENTER, spaceAfter=2
            ),
            subtitle=ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER, spaceAfter=8),
            heading=ParagraphStyle("heading", parent=base, fontName=BOLD, spaceBefore=8, spaceAfter=3),
            form=ParagraphStyle("form", parent=base, fontName=BOLD, fontSize=9.5, alignment=TA_RIGHT),
            cell=ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5),
            cell_bold=ParagraphStyle("cell_bold", parent=base, fontName=BOLD, fontSize=9, leading=11.5),
            cell_center=ParagraphStyle("cell_center", parent=base, fontSize=9, leading=11.5, alignment=TA_CENTER),
            cell_right=ParagraphStyle("cell_right", parent=base, fontSize=9, leading=11.5, alignment=TA_RIGHT),
            cell_bold_right=ParagraphStyle(
                "cell_bold_right", parent=base, fontName=BOLD, fontSize=9, leading=11.5, alignment=TA_RIGHT
            ),
            small=ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        )
    return _STYLES


def _p(text, style: str = "body", *, bold: bool = False) -> Paragraph:
    """A wrapping paragraph; text is escaped, newlines become line breaks."""
    markup = escape(str(text if text is not None else "")).replace("\n", "<br/>")
    if bold:
        markup = f"<b>{markup}</b>"
    return Paragraph(markup, _styles()[style])


def _field(label: str, value, style: str = "body") -> Paragraph:
    text = _plain(value) or BLANK
    markup = f"{escape(label)}: <b>{escape(text).replace(chr(10), '<br/>')}</b>" if label else escape(text)
    return Paragraph(markup, _styles()[style])


def _header(left: list[str], form_label: str = "") -> list:
    """Issuing body on the left, the national motto on the right (Nghị định 30/2020/NĐ-CP layout)."""
    story = [_p(form_label, "form"), Spacer(1, 3)] if form_label else []
    left_cell = [_p(line, "head" if i == 0 else "head_plain") for i, line in enumerate(left)]
    right_cell = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "head"),
        _p("Độc lập - Tự do - Hạnh phúc", "head"),
        _p("―――――――――――", "head_plain"),
    ]
    table = Table([[left_cell, right_cell]], colWidths=[BODY_W * 0.42, BODY_W * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [*story, table, Spacer(1, 10)]


def _place_date(place: str, value) -> str:
    if value is None:
        return f"{place}, ngày …… tháng …… năm ……"
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return f"{place}, ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def _signatures(blocks: list[tuple[str, str, str]], *, date_line: str = "") -> KeepTogether:
    """Signature blocks side by side: (title, hint, name); the date line sits above the rightmost block. A single
    block sits on the right half, as on administrative documents."""
    if len(blocks) == 1:
        blocks = [("", "", ""), *blocks]
    width = BODY_W / len(blocks)
    row_date = ["" for _ in blocks]
    if date_line:
        row_date[-1] = _p(date_line, "center")
    cells = []
    for title, hint, name in blocks:
        cells.append(
            [
                _p(title, "bold_center"),
                _p(hint, "center") if hint else Spacer(1, 1),
                Spacer(1, 52),
                _p(name or "", "bold_center"),
            ]
        )
    table = Table([row_date, cells], colWidths=[width] * len(blocks))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 14), table])


def _grid(rows: list[list], widths: list[float], *, header_rows: int = 1, extra: list | None = None) -> Table:
    # splitInRow: a row taller than what is left of the page (a long criterion) continues on the next page.
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT", splitInRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def _info_table(pairs: list[tuple[str, object]]) -> Table:
    """Two columns, label | value, for general information."""
    rows = [[_p(label, "cell"), _p(_plain(value) or BLANK, "cell_bold")] for label, value in pairs]
    return _grid(rows, [BODY_W * 0.36, BODY_W * 0.64], header_rows=0)


def _build(story: list, *, title: str, footer: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.4))
        canvas.drawString(MARGINS["leftMargin"], 10 * mm, footer[:140])
        canvas.drawRightString(PAGE_W - MARGINS["rightMargin"], 10 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="OCOP", **MARGINS)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


# --- reads --------------------------------------------------------------------------------------------------


def _short_place(full_name: str) -> str:
    """ "Xã Tân Phú" → "Tân Phú" for the place-and-date line."""
    for prefix in ("Thành phố ", "Thị trấn ", "Phường ", "Đặc khu ", "Xã ", "Tỉnh "):
        if full_name.startswith(prefix):
            return full_name[len(prefix) :]
    return full_name or BLANK


def _classification(dossier) -> tuple[str, str, str]:
    """(group, subgroup, product set) of Annex I for the dossier's product, from form01 when given."""
    from ocop.registry.models import ProductCategory

    form = dossier.form01 or {}
    product_set = dossier.criteria_sheet.product_set
    group, subgroup = form.get("group") or "", form.get("subgroup") or ""
    category = dossier.product.category
    chain = []
    node = category
    while node is not None and len(chain) < 5:
        chain.append(node)
        node = node.parent
    path = product_set.classification_code or ""
    if path and not (group and subgroup):
        codes = [path.rsplit(".", i)[0] for i in range(path.count("."), -1, -1)]
        found = {
            c.level: c
            for c in ProductCategory.objects.filter(version=product_set.version_id, code__in=codes).exclude(
                level="product_set"
            )
        }
        chain.extend(found.values())
    by_level = {c.level: c for c in chain}
    if not group and "group" in by_level:
        group = f"{by_level['group'].code} {by_level['group'].name}"
    if not subgroup and "subgroup" in by_level:
        subgroup = f"{by_level['subgroup'].code} {by_level['subgroup'].name}"
    return group, subgroup, f"{product_set.code}. {product_set.name}"


def _criteria(sheet):
    from ocop.evaluation.models import Criterion

    return list(
        Criterion.objects.filter(sheet=sheet)
        .select_related("section__part")
        .prefetch_related("options")
        .order_by("section__part__position", "section__position", "position")
    )


def _chosen_text(criterion, chosen) -> str:
    options = list(criterion.options.all())
    if chosen is None:
        return "Chưa chấm"
    if criterion.scoring == "no_options_printed":
        return "Có" if chosen else "Không"
    if criterion.scoring == "sum_of_selected":
        picks = [chosen] if isinstance(chosen, int) else list(chosen)
        texts, pool = [], list(options)
        for points in picks:
            match = next((o for o in pool if o.points == points), None)
            if match is not None:
                pool.remove(match)
                texts.append(match.text)
        return "\n".join(f"- {t}" for t in texts) or "Không chọn nội dung nào"
    match = next((o for o in options if o.points == chosen), None)
    return match.text if match else BLANK


def _points(chosen) -> int:
    if chosen is None:
        return 0
    return chosen if isinstance(chosen, int) else sum(chosen)


def _criteria_table(sheet, answers: dict) -> tuple[Table, dict[str, int], int]:
    """The sheet criterion by criterion with the chosen option and points; part subtotal rows. Returns the
    table, the subtotals per part code and the total."""
    answers = {str(k): v for k, v in (answers or {}).items()}
    widths = [13 * mm, BODY_W * 0.36, 0, 15 * mm, 14 * mm]
    widths[2] = BODY_W - sum(widths)
    rows = [[_p(h, "cell_bold") for h in ("Mã", "Tiêu chí", "Phương án được chọn", "Tối đa", "Điểm")]]
    extra: list = []
    subtotals: dict[str, int] = {}
    part = section = None
    criteria = _criteria(sheet)

    def close_part():
        if part is not None:
            index = len(rows)
            rows.append(
                [
                    _p(f"Cộng phần {part.code}", "cell_bold"),
                    "",
                    "",
                    _p(vn_number(part.max_points), "cell_bold_right"),
                    _p(vn_number(subtotals.get(part.code, 0)), "cell_bold_right"),
                ]
            )
            extra.extend([("SPAN", (0, index), (2, index)), ("BACKGROUND", (0, index), (-1, index), SHADE)])

    for criterion in criteria:
        if criterion.section.part_id != getattr(part, "pk", None):
            close_part()
            part = criterion.section.part
            index = len(rows)
            rows.append(
                [_p(f"PHẦN {part.code}. {part.name} (tối đa {vn_number(part.max_points)} điểm)", "cell_bold")]
                + [""] * 4
            )
            extra.extend([("SPAN", (0, index), (-1, index)), ("BACKGROUND", (0, index), (-1, index), PART_SHADE)])
            section = None
        if criterion.section_id != getattr(section, "pk", None):
            section = criterion.section
            index = len(rows)
            rows.append(
                [
                    _p(f"{section.code}. {section.name}", "cell_bold"),
                    "",
                    "",
                    _p(vn_number(section.max_points), "cell_bold_right"),
                    "",
                ]
            )
            extra.append(("SPAN", (0, index), (2, index)))
        chosen = answers.get(str(criterion.pk))
        points = _points(chosen)
        subtotals[part.code] = subtotals.get(part.code, 0) + points
        rows.append(
            [
                _p(criterion.code, "cell"),
                _p(criterion.text, "cell"),
                _p(_chosen_text(criterion, chosen), "cell"),
                _p(vn_number(criterion.max_points), "cell_right"),
                _p(vn_number(points) if chosen is not None else "—", "cell_right"),
            ]
        )
    close_part()
    total = sum(subtotals.values())
    index = len(rows)
    rows.append(
        [
            _p("TỔNG ĐIỂM", "cell_bold"),
            "",
            "",
            _p(vn_number(sheet.max_points), "cell_bold_right"),
            _p(vn_number(total), "cell_bold_right"),
        ]
    )
    extra.extend([("SPAN", (0, index), (2, index)), ("BACKGROUND", (0, index), (-1, index), PART_SHADE)])
    return _grid(rows, widths, extra=extra), subtotals, total


def _subject_address(subject) -> str:
    if subject.address_line:
        return subject.address_line
    parts = [
        unit_current_name("commune", subject.current_commune_code),
        unit_current_name("province", subject.province_code),
    ]
    return ", ".join(p for p in parts if p)


def _star_text(star) -> str:
    return f"{star} sao" if star else "Không đạt hạng sao"


# --- Form 01 ------------------------------------------------------------------------------------------------


def form01_pdf(dossier) -> bytes:
    """Phụ lục III Mẫu 01: the subject's registration of the product for evaluation."""
    subject, product = dossier.subject, dossier.product
    form = dossier.form01 or {}
    representative = form.get("representative") or {}
    if isinstance(representative, str):
        representative = {"name": representative}
    contact = form.get("contact") or {}
    commune = unit_current_name("commune", dossier.commune_code)
    group, subgroup, product_set = _classification(dossier)
    story = _header([subject.name.upper()], "Mẫu số 01")
    story += [
        _p("PHIẾU ĐĂNG KÝ SẢN PHẨM THAM GIA ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP", "title"),
        _p(f"Kính gửi: Ủy ban nhân dân {commune or BLANK}", "subtitle"),
        _p("1. Thông tin chủ thể", "heading"),
        _info_table(
            [
                ("Tên chủ thể", subject.name),
                ("Loại hình", subject.get_legal_form_display()),
                ("Mã số thuế", subject.tax_code),
                ("Người đại diện theo pháp luật", representative.get("name") or subject.legal_representative),
                ("Chức vụ", representative.get("position")),
                ("Địa chỉ liên hệ", contact.get("address") or _subject_address(subject)),
                ("Điện thoại", contact.get("phone") or representative.get("phone") or subject.phone),
                ("Thư điện tử", contact.get("email") or subject.email),
            ]
        ),
        _p("2. Sản phẩm đăng ký", "heading"),
        _info_table(
            [
                ("Tên sản phẩm", form.get("product_name") or product.name),
                ("Mã sản phẩm", product.ocop_code),
                ("Nhóm sản phẩm (Phụ lục I)", group),
                ("Phân nhóm", subgroup),
                ("Bộ sản phẩm (phiếu đánh giá)", product_set),
            ]
        ),
        _p("3. Loại hồ sơ", "heading"),
        _p(
            "    ".join(f"{'☒' if dossier.kind == code else '☐'} {label}" for code, label in KIND_LABELS),
            "body",
        ),
    ]
    if dossier.kind != "first" and dossier.prior_certificate_star:
        story.append(
            _p(
                f"Sản phẩm đã được công nhận {dossier.prior_certificate_star} sao, giấy chứng nhận có hiệu lực "
                f"đến ngày {vn_date(dossier.prior_certificate_valid_until)}.",
                "body",
            )
        )
    attachments = form.get("attachments")
    if not attachments:
        attachments = [link.evidence.title for link in dossier.evidence_links.select_related("evidence")]
    story += [
        _p("4. Hồ sơ kèm theo", "heading"),
        _p(_plain(attachments) or "- Báo cáo tự đánh giá sản phẩm (Mẫu số 02)", "body"),
        _p("5. Mẫu sản phẩm", "heading"),
        _field("Số lượng mẫu gửi kèm", form.get("samples")),
        _p("6. Tiếp nhận hồ sơ", "heading"),
        _info_table(
            [
                ("Ngày nộp hồ sơ", vn_date(dossier.filed_on) if dossier.filed_on else ""),
                ("Số tiếp nhận của Ủy ban nhân dân cấp xã", dossier.commune_reception_number),
                ("Số tiếp nhận của cơ quan quản lý OCOP cấp tỉnh", dossier.province_reception_number),
            ]
        ),
        Spacer(1, 8),
        _p(
            "Chúng tôi cam kết các thông tin kê khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
            "body",
        ),
        _signatures(
            [("ĐẠI DIỆN CHỦ THỂ", "(Ký, ghi rõ họ tên, đóng dấu nếu có)", representative.get("name") or "")],
            date_line=_place_date(_short_place(commune), dossier.filed_on),
        ),
    ]
    return _build(story, title=f"Mẫu 01 — {product.name}", footer=f"Mẫu 01 · {product.name} · {subject.name}")


# --- Form 02 ------------------------------------------------------------------------------------------------


def _labelled(data, labels: dict) -> list[tuple[str, object]]:
    if not isinstance(data, dict):
        return [("", data)]
    known = [(labels[k], data[k]) for k in labels if k in data]
    return known + [(k, v) for k, v in data.items() if k not in labels]


def form02_pdf(dossier) -> bytes:
    """Phụ lục III Mẫu 02: the subject's self-assessment report."""
    from ocop.evaluation.models import SelfAssessment

    subject, product = dossier.subject, dossier.product
    form = dossier.form02 or {}
    general = form.get("general") or {}
    assessment = SelfAssessment.objects.filter(dossier=dossier).first()
    story = _header([subject.name.upper()], "Mẫu số 02")
    story += [
        _p("BÁO CÁO TỰ ĐÁNH GIÁ SẢN PHẨM OCOP", "title"),
        _p(f"Sản phẩm: {product.name}", "subtitle"),
        _p("I. THÔNG TIN CHUNG", "heading"),
        _info_table(
            [
                ("Tên chủ thể", subject.name),
                ("Loại hình", subject.get_legal_form_display()),
                ("Mã số thuế", subject.tax_code),
                ("Địa chỉ", _subject_address(subject)),
                ("Người đại diện theo pháp luật", subject.legal_representative),
                ("Điện thoại", subject.phone),
                ("Thư điện tử", subject.email),
                ("Năm thành lập", subject.founded_year and str(subject.founded_year)),
                ("Tổng số lao động", subject.workforce_total),
                ("Lao động nữ", subject.workforce_women),
                ("Lao động dân tộc thiểu số", subject.workforce_ethnic_minority),
            ]
            + _labelled(general, GENERAL_LABELS)
        ),
        _p("II. GIẤY TỜ PHÁP LÝ", "heading"),
        _p(_plain(form.get("legal_papers")) or BLANK),
        _p("III. LỊCH SỬ HÌNH THÀNH VÀ TỔ CHỨC SẢN XUẤT", "heading"),
        _p(_plain(form.get("history")) or BLANK),
        _p("IV. KẾT QUẢ THỰC HIỆN PHƯƠNG ÁN SẢN XUẤT, KINH DOANH", "heading"),
    ]
    business = form.get("business_results")
    story.append(
        _info_table(_labelled(business, BUSINESS_LABELS))
        if isinstance(business, dict)
        else _p(_plain(business) or BLANK)
    )
    if dossier.kind != "first" and dossier.changes_since_recognition:
        story += [_p("Những thay đổi từ khi được công nhận", "heading"), _p(dossier.changes_since_recognition)]
    story.append(_p("V. KẾT QUẢ TỰ ĐÁNH GIÁ THEO BỘ TIÊU CHÍ", "heading"))
    story.append(_p(f"Phiếu đánh giá: {dossier.criteria_sheet.title} ({dossier.regime.decision})", "small"))
    table, subtotals, total = _criteria_table(dossier.criteria_sheet, assessment.answers if assessment else {})
    story += [Spacer(1, 3), table, Spacer(1, 6)]
    summary = [(f"Điểm phần {code}", vn_number(points)) for code, points in subtotals.items()] + [
        ("Tổng điểm tự đánh giá", vn_number(total)),
        ("Hạng sao dự kiến", _star_text(assessment.implied_star) if assessment else BLANK),
    ]
    story.append(_info_table(summary))
    if assessment and assessment.minimums_missed:
        missed = [
            f"Tiêu chí {m.get('criterion')}: chưa đạt mức tối thiểu cho hạng {m.get('stars')} sao "
            f"(cần {vn_number(m.get('required'))} điểm)"
            for m in assessment.minimums_missed
        ]
        story.append(_p(_plain(missed), "small"))
    story += [
        _p("VI. KẾ HOẠCH SẢN XUẤT, KINH DOANH THỜI GIAN TỚI", "heading"),
        _p(_plain(form.get("plan_ahead")) or BLANK),
        _signatures(
            [("ĐẠI DIỆN CHỦ THỂ", "(Ký, ghi rõ họ tên, đóng dấu nếu có)", subject.legal_representative)],
            date_line=_place_date(_short_place(unit_current_name("commune", dossier.commune_code)), dossier.filed_on),
        ),
    ]
    return _build(story, title=f"Mẫu 02 — {product.name}", footer=f"Mẫu 02 · {product.name} · {subject.name}")


# --- Form 03 ------------------------------------------------------------------------------------------------


def _commune_review(dossier) -> tuple[dict, object]:
    """Form 03 content and the event that forwarded the dossier to the province (its date and officer)."""
    event = (
        dossier.events.filter(to_status="forwarded_to_province").select_related("actor").order_by("-at", "-id").first()
    )
    from_event = ((event.data or {}).get("form03") or {}) if event else {}
    form = {**from_event, **{k: v for k, v in (dossier.form03 or {}).items() if v not in (None, "")}}
    return form, event


def form03_pdf(dossier) -> bytes:
    """Phụ lục III Mẫu 03: the commune's report on the product and its proposal to the province."""
    subject, product = dossier.subject, dossier.product
    form, event = _commune_review(dossier)
    commune = unit_current_name("commune", dossier.commune_code)
    province = unit_current_name("province", dossier.province_code)
    story = _header(
        [f"ỦY BAN NHÂN DÂN {(commune or BLANK).upper()}", f"Số: {form.get('number') or '……'}/BC-UBND"], "Mẫu số 03"
    )
    story += [
        _p("BÁO CÁO KẾT QUẢ KIỂM TRA, ĐÁNH GIÁ VÀ ĐỀ XUẤT SẢN PHẨM THAM GIA ĐÁNH GIÁ, PHÂN HẠNG OCOP", "title"),
        _p(f"Kính gửi: Cơ quan quản lý Chương trình OCOP {province or 'cấp tỉnh'}", "subtitle"),
        _p("I. THÔNG TIN SẢN PHẨM VÀ CHỦ THỂ", "heading"),
        _info_table(
            [
                ("Tên sản phẩm", product.name),
                ("Chủ thể", subject.name),
                ("Loại hình", subject.get_legal_form_display()),
                ("Địa chỉ", _subject_address(subject)),
                ("Loại hồ sơ", dossier.get_kind_display()),
                ("Ngày nộp hồ sơ", vn_date(dossier.filed_on) if dossier.filed_on else ""),
                ("Số tiếp nhận", dossier.commune_reception_number),
            ]
        ),
        _p("II. KẾT QUẢ KIỂM TRA, ĐÁNH GIÁ CỦA ỦY BAN NHÂN DÂN CẤP XÃ", "heading"),
        _p("Hồ sơ đã được kiểm tra tính đầy đủ, hợp lệ theo Điều 6; nội dung đánh giá theo Điều 7 khoản 2:", "body"),
        Spacer(1, 3),
    ]
    rows = [[_p("TT", "cell_bold"), _p("Nội dung đánh giá", "cell_bold"), _p("Kết quả đánh giá của xã", "cell_bold")]]
    for i, (key, label) in enumerate(FORM03_LABELS, start=1):
        rows.append([_p(str(i), "cell_center"), _p(label, "cell"), _p(_plain(form.get(key)) or BLANK, "cell")])
    story += [
        _grid(rows, [10 * mm, BODY_W * 0.34, BODY_W - 10 * mm - BODY_W * 0.34]),
        _p("III. ĐỀ XUẤT", "heading"),
        _p(_plain(form.get("proposal")) or BLANK),
        _signatures(
            [
                (
                    "TM. ỦY BAN NHÂN DÂN",
                    "(Ký, ghi rõ họ tên, đóng dấu)",
                    str(event.actor) if event and event.actor else "",
                )
            ],
            date_line=_place_date(_short_place(commune), event.at if event else None),
        ),
    ]
    return _build(story, title=f"Mẫu 03 — {product.name}", footer=f"Mẫu 03 · {product.name} · {subject.name}")


# --- one member's score sheet -------------------------------------------------------------------------------


def score_sheet_pdf(score_sheet) -> bytes:
    """One council member's score sheet (phiếu chấm điểm): every criterion, part subtotals, total, signature."""
    from ocop.evaluation.models import ScoreSheet

    sheet = ScoreSheet.objects.select_related(
        "session__council", "dossier__product", "dossier__subject", "member__user", "criteria_sheet__version"
    ).get(pk=score_sheet.pk)
    dossier, member, council = sheet.dossier, sheet.member, sheet.session.council
    story = _header([council.name.upper()])
    story += [
        _p("PHIẾU ĐÁNH GIÁ, CHẤM ĐIỂM SẢN PHẨM OCOP", "title"),
        _p(f"{sheet.criteria_sheet.title} — {sheet.criteria_sheet.version.decision}", "subtitle"),
        _info_table(
            [
                ("Tên sản phẩm", dossier.product.name),
                ("Chủ thể", dossier.subject.name),
                ("Số tiếp nhận", dossier.province_reception_number or dossier.commune_reception_number),
                ("Thành viên chấm điểm", str(member.user)),
                ("Vai trò", member.get_role_display()),
                ("Cơ quan, đơn vị", member.organisation),
                ("Lần chấm", f"{sheet.session.attempt} ({sheet.get_status_display()})"),
            ]
        ),
        Spacer(1, 8),
    ]
    table, subtotals, total = _criteria_table(sheet.criteria_sheet, sheet.answers)
    story += [table, Spacer(1, 6)]
    summary = [(f"Điểm phần {code}", vn_number(points)) for code, points in subtotals.items()]
    summary.append(("Tổng điểm", vn_number(total)))
    story.append(_info_table(summary))
    if sheet.comment:
        story += [_p("Nhận xét", "heading"), _p(sheet.comment)]
    story.append(
        _signatures(
            [("THÀNH VIÊN HỘI ĐỒNG", "(Ký, ghi rõ họ tên)", str(member.user))],
            date_line=_place_date(BLANK, sheet.submitted_at or sheet.updated_at),
        )
    )
    return _build(
        story,
        title=f"Phiếu chấm điểm — {dossier.product.name} — {member.user}",
        footer=f"Phiếu chấm điểm · {dossier.product.name} · {member.user}",
    )


# --- the council's minutes ----------------------------------------------------------------------------------


def _session_for(dossier_or_session):
    from ocop.evaluation.models import Dossier, ScoringSession

    if isinstance(dossier_or_session, ScoringSession):
        return dossier_or_session
    if isinstance(dossier_or_session, Dossier):
        session = (
            ScoringSession.objects.filter(dossier=dossier_or_session, result__isnull=False)
            .order_by("-result__is_final", "-result__closed_at", "-id")
            .first()
        )
        if session is None:
            raise ValueError("the dossier has no closed scoring session")
        return session
    raise TypeError("minutes_pdf takes a Dossier or a ScoringSession")


def minutes_pdf(dossier_or_session) -> bytes:
    """The council's minutes (biên bản) of one closed scoring session: members present and recused, each
    member's total, the mean, the star, the spread flag and the star minimums missed."""
    from ocop.evaluation.models import ConflictDeclaration, Criterion, ScoringSession

    session = ScoringSession.objects.select_related(
        "council__round", "dossier__product", "dossier__subject", "result", "closed_by"
    ).get(pk=_session_for(dossier_or_session).pk)
    dossier, council, result = session.dossier, session.council, session.result
    members = sorted(council.members.select_related("user"), key=lambda m: (ROLE_ORDER.get(m.role, 9), m.pk))
    recused = set(
        ConflictDeclaration.objects.filter(dossier=dossier, has_conflict=True, member__council=council).values_list(
            "member_id", flat=True
        )
    )
    totals = {str(k): v for k, v in (result.member_totals or {}).items()}
    submitted = {str(pk) for pk in session.sheets.filter(status="submitted").values_list("member_id", flat=True)}

    def status(m) -> str:
        if m.pk in recused:
            return "Khai báo xung đột lợi ích, không chấm"
        if not m.scores:
            return "Có mặt (không chấm điểm)"
        if str(m.pk) in totals or str(m.pk) in submitted:
            return "Có mặt, đã nộp phiếu"
        return "Không nộp phiếu" if m.active else "Không còn là thành viên"

    story = _header([council.name.upper(), "Số: ……/BB-HĐ"])
    story += [
        _p("BIÊN BẢN", "title"),
        _p("Họp hội đồng đánh giá, phân hạng sản phẩm OCOP", "bold_center"),
        _p(f"Sản phẩm: {dossier.product.name} — Chủ thể: {dossier.subject.name}", "subtitle"),
        _info_table(
            [
                ("Hội đồng", council.name),
                ("Đợt đánh giá", f"Đợt {council.round.number} năm {council.round.year}"),
                ("Cấp đánh giá", session.get_level_display()),
                ("Ngày họp, chấm điểm", _local_date(result.closed_at)),
                ("Lần chấm", str(session.attempt)),
                ("Số tiếp nhận hồ sơ", dossier.province_reception_number or dossier.commune_reception_number),
            ]
        ),
        _p("I. THÀNH PHẦN", "heading"),
    ]
    rows = [[_p(h, "cell_bold") for h in ("TT", "Họ và tên", "Vai trò", "Cơ quan, đơn vị", "Tình trạng")]]
    for i, m in enumerate(members, start=1):
        rows.append(
            [
                _p(str(i), "cell_center"),
                _p(str(m.user), "cell"),
                _p(m.get_role_display(), "cell"),
                _p(m.organisation or "", "cell"),
                _p(status(m), "cell"),
            ]
        )
    w = [9 * mm, BODY_W * 0.25, BODY_W * 0.2, BODY_W * 0.22]
    story.append(_grid(rows, [*w, BODY_W - sum(w)]))
    present = sum(1 for m in members if m.pk not in recused and str(m.pk) in totals)
    story.append(
        _p(
            f"Số thành viên chấm điểm: {present}; số thành viên khai báo xung đột lợi ích: {len(recused)}.",
            "small",
        )
    )

    story.append(_p("II. KẾT QUẢ CHẤM ĐIỂM", "heading"))
    by_pk = {str(m.pk): m for m in members}
    rows = [[_p(h, "cell_bold") for h in ("TT", "Thành viên", "Tổng điểm", "Chênh lệch so với điểm trung bình")]]
    mean = Decimal(result.mean)
    for i, (pk, total) in enumerate(
        sorted(totals.items(), key=lambda kv: ROLE_ORDER.get(getattr(by_pk.get(kv[0]), "role", ""), 9)), start=1
    ):
        member = by_pk.get(pk)
        delta = Decimal(total) - mean
        rows.append(
            [
                _p(str(i), "cell_center"),
                _p(str(member.user) if member else pk, "cell"),
                _p(vn_number(total), "cell_right"),
                _p(("+" if delta > 0 else "") + vn_number(delta, 2), "cell_right"),
            ]
        )
    w = [9 * mm, BODY_W * 0.45, BODY_W * 0.18]
    story.append(_grid(rows, [*w, BODY_W - sum(w)]))
    missed_rows = []
    codes = {m.get("criterion") for m in result.minimums_missed or []}
    texts = {str(c.pk): c.text for c in Criterion.objects.filter(pk__in=[c for c in codes if str(c).isdigit()])}
    for m in result.minimums_missed or []:
        achieved = m.get("achieved")
        missed_rows.append(
            f"Tiêu chí {m.get('code')} {texts.get(str(m.get('criterion')), '')}: cần {vn_number(m.get('required'))} "
            f"điểm cho hạng {m.get('stars')} sao, đạt "
            + (vn_number(Decimal(str(achieved)), 2) if achieved is not None else "—")
        )
    spread_text = f"{vn_number(result.spread)} điểm — " + (
        "vượt ngưỡng, hội đồng cần thảo luận"
        if result.needs_discussion
        else ("vượt ngưỡng, hội đồng đã thảo luận và thống nhất" if result.spread_flag else "trong ngưỡng cho phép")
    )
    story += [
        Spacer(1, 6),
        _info_table(
            [
                ("Điểm trung bình", vn_number(mean, 2)),
                ("Chênh lệch điểm giữa các thành viên", spread_text),
                ("Hạng sao theo điểm trung bình", _star_text(result.band_star)),
                ("Yêu cầu tối thiểu chưa đạt", "\n".join(missed_rows) or "Không có"),
                ("Kết quả xếp hạng", _star_text(result.star)),
            ]
        ),
        _p("III. KẾT LUẬN", "heading"),
    ]
    if result.is_final:
        conclusion = (
            f"Hội đồng thống nhất kết quả đánh giá sản phẩm “{dossier.product.name}” của {dossier.subject.name}: "
            f"điểm trung bình {vn_number(mean, 2)} điểm, đạt hạng {_star_text(result.star)}."
        )
    else:
        conclusion = (
            "Chênh lệch điểm giữa các thành viên vượt ngưỡng: kết quả chưa chính thức, hội đồng thảo luận và "
            "chấm lại ở phiên sau."
        )
    story.append(_p(conclusion))
    chair = next((m for m in members if m.role == "chair"), None)
    secretary = next((m for m in members if m.role == "secretary"), None)
    story.append(
        _signatures(
            [
                ("THƯ KÝ HỘI ĐỒNG", "(Ký, ghi rõ họ tên)", str(secretary.user) if secretary else ""),
                ("CHỦ TỊCH HỘI ĐỒNG", "(Ký, ghi rõ họ tên)", str(chair.user) if chair else ""),
            ]
        )
    )
    return _build(
        story,
        title=f"Biên bản hội đồng — {dossier.product.name}",
        footer=f"Biên bản · {council.name} · {dossier.product.name}",
    )
