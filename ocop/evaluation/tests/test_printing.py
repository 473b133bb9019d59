"""Printed documents: Form 01/02/03, a member's score sheet and the council's minutes, read back with pdfium."""

import os

import pypdfium2 as pdfium
import pytest

from ocop.evaluation.models import CriterionOption, Dossier, ScoreSheet
from ocop.evaluation.printing import form01_pdf, form02_pdf, form03_pdf, minutes_pdf, score_sheet_pdf, vn_number
from ocop.evaluation.services import (
    advisory_report_save,
    conflict_declare,
    council_close_scoring,
    council_member_add,
    council_open_scoring,
    dossier_create,
    dossier_submit,
    dossier_transition,
    score_sheet_submit,
    self_assessment_save,
)
from ocop.evaluation.tests.factories import FORM03, answers, form02_complete

pytestmark = pytest.mark.django_db
S = Dossier.Status
PRODUCT = "Cà phê Arabica Cầu Đất rang xay"
SUBJECT = "Hợp tác xã Nông nghiệp Dịch vụ Tân Phú Đông"
CRITERION_1 = "Tổ chức sản xuất: liên kết chuỗi giá trị với hộ trồng cà phê tại địa phương, có hợp đồng bao tiêu"
NAMES = {
    "chair": "Nguyễn Văn Thắng",
    "m1": "Trần Thị Thu Hương",
    "m2": "Lê Hoàng Đức",
    "m3": "Phạm Ngọc Ánh",
    "m4": "Đinh Thị Huyền Trang",
    "secretary": "Vũ Minh Nguyệt",
}


def text_of(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed (wrapped lines join with a space)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)
    finally:
        doc.close()


def render_first_page(pdf: bytes, name: str) -> None:
    """With PRINTING_PNG_DIR set, page 1 goes to <dir>/<name>.png for a visual check."""
    folder = os.environ.get("PRINTING_PNG_DIR")
    if folder:
        doc = pdfium.PdfDocument(pdf)
        doc[0].render(scale=1.5).to_pil().save(os.path.join(folder, f"{name}.png"))
        doc.close()


@pytest.fixture
def scored(product, producer, commune_officer_a, province_officer_a, council_a, seat, django_user_model, process):
    """A dossier filed, reviewed by the commune, scored by 4 members (one more recused) and closed."""
    subject = product.subject
    subject.name, subject.legal_form, subject.legal_representative = SUBJECT, "cooperative", "Nguyễn Thị Hoa"
    subject.save()
    product.name = PRODUCT
    product.save()
    m4 = django_user_model.objects.create_user(username="m4", password="x")
    council_member_add(actor=province_officer_a, council=council_a, user=m4, role="member", organisation="Sở Y tế")
    for username, full_name in NAMES.items():
        django_user_model.objects.filter(username=username).update(full_name=full_name)
    dossier = dossier_create(
        actor=producer,
        product=product,
        form01={
            "representative": {"name": "Nguyễn Thị Hoa", "position": "Giám đốc"},
            "attachments": ["Báo cáo tự đánh giá (Mẫu 02)", "Phiếu kiểm nghiệm chất lượng"],
            "samples": 5,
        },
        form02={**form02_complete(), "history": "Thành lập năm 2015 với 12 thành viên. " * 12},
    )
    sheet = dossier.criteria_sheet
    sheet.criteria.filter(position=1).update(text=CRITERION_1)
    for option in CriterionOption.objects.filter(criterion__sheet=sheet):
        option.text = f"Mức {option.points} điểm — đáp ứng yêu cầu của tiêu chí"
        option.save()
    self_assessment_save(
        actor=producer, dossier=dossier, answers=answers(sheet, 30, 25, 30), expected_revision=dossier.revision
    )
    dossier.refresh_from_db()
    dossier = dossier_submit(actor=producer, dossier=dossier, expected_revision=dossier.revision)
    for actor, to, data in (
        (commune_officer_a, S.COMMUNE_REVIEW, {}),
        (commune_officer_a, S.FORWARDED_TO_PROVINCE, {"form03": FORM03}),
        (province_officer_a, S.PROVINCIAL_INTAKE, {}),
        (province_officer_a, S.ADVISORY_REVIEW, {"council": council_a.pk}),
    ):
        dossier = dossier_transition(actor=actor, dossier=dossier, to=to, data=data, expected_revision=dossier.revision)
    dossier = advisory_report_save(
        actor=province_officer_a, dossier=dossier, report={"findings": "Đạt"}, expected_revision=dossier.revision
    )
    dossier.refresh_from_db()
    council_open_scoring(actor=seat("chair"), dossier=dossier)
    conflict_declare(actor=seat("m3"), dossier=dossier, has_conflict=True, note="Người thân của chủ thể")
    for username, points in {"chair": (30, 25, 30), "m1": (30, 25, 35), "m2": (30, 25, 30), "m4": (30, 25, 35)}.items():
        score_sheet_submit(actor=seat(username), dossier=dossier, answers=answers(sheet, *points))
    council_close_scoring(actor=seat("chair"), dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def test_vietnamese_numbers():
    assert (vn_number(75), vn_number(75.5, 2), vn_number(1_200_000_000)) == ("75", "75,50", "1.200.000.000")


def test_form01_lists_subject_product_kind_and_reception_numbers(scored):
    pdf = form01_pdf(scored)
    render_first_page(pdf, "form01")
    text = text_of(pdf)
    assert pdf.startswith(b"%PDF-")
    for expected in (PRODUCT, SUBJECT, "Hợp tác xã", "Nguyễn Thị Hoa", "Giám đốc", "Phiếu kiểm nghiệm chất lượng"):
        assert expected in text
    assert "☒ Đánh giá lần đầu" in text
    assert scored.commune_reception_number and scored.commune_reception_number in text
    assert scored.province_reception_number and scored.province_reception_number in text
    assert scored.filed_on.strftime("%d/%m/%Y") in text


def test_form02_has_the_self_scored_criteria_total_and_star(scored):
    pdf = form02_pdf(scored)
    render_first_page(pdf, "form02")
    text = text_of(pdf)
    for expected in (PRODUCT, SUBJECT, "Nữ", "Kinh", "Giấy đăng ký kinh doanh", "1.200.000.000", "Mở rộng thị trường"):
        assert expected in text
    assert CRITERION_1 in text
    assert "Mức 30 điểm — đáp ứng yêu cầu của tiêu chí" in text
    assert "Tổng điểm tự đánh giá 85" in text
    assert f"Hạng sao dự kiến {scored.self_assessment.implied_star} sao" in text


def test_form03_has_the_communes_assessment_and_proposal(scored):
    pdf = form03_pdf(scored)
    render_first_page(pdf, "form03")
    text = text_of(pdf)
    for value in FORM03.values():
        assert value in text
    assert PRODUCT in text and SUBJECT in text and "Lê Văn Xuân" in text  # the commune officer who forwarded it


def test_score_sheet_has_every_criterion_subtotals_total_and_member(scored):
    sheet = ScoreSheet.objects.get(dossier=scored, member__user__username="m1")
    pdf = score_sheet_pdf(sheet)
    render_first_page(pdf, "score_sheet")
    text = text_of(pdf)
    assert CRITERION_1 in text and "Tiêu chí 2" in text and "Tiêu chí 3" in text
    assert "Cộng phần A 40 30" in text and "Cộng phần C 35 35" in text
    assert "TỔNG ĐIỂM 100 90" in text
    assert NAMES["m1"] in text and "Hội đồng OCOP tỉnh".upper() in text


def test_minutes_list_members_totals_mean_and_star(scored):
    result = scored.results.get()
    assert str(result.mean) == "87.50"
    pdf = minutes_pdf(scored)
    assert minutes_pdf(result.session) == pdf or text_of(minutes_pdf(result.session)) == text_of(pdf)
    render_first_page(pdf, "minutes")
    text = text_of(pdf)
    assert "87,50" in text and f"Kết quả xếp hạng {result.star} sao" in text
    for username in ("chair", "m1", "m2", "m4"):
        total = result.member_totals[str(scored.council.members.get(user__username=username).pk)]
        assert f"{NAMES[username]} {total}" in text
    assert NAMES["m3"] in text and "Khai báo xung đột lợi ích, không chấm" in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in text and "THƯ KÝ HỘI ĐỒNG" in text and NAMES["secretary"] in text


def test_long_tables_split_across_pages_with_the_header_repeated(scored):
    sheet = scored.criteria_sheet
    sheet.criteria.update(text="Nội dung tiêu chí rất dài cần xuống dòng nhiều lần trong ô của bảng. " * 40)
    pdf = form02_pdf(scored)
    doc = pdfium.PdfDocument(pdf)
    pages = [" ".join(page.get_textpage().get_text_range().split()) for page in doc]
    doc.close()
    with_header = [p for p in pages if "Mã Tiêu chí Phương án được chọn Tối đa Điểm" in p]
    assert len(pages) > 2 and len(with_header) >= 2
