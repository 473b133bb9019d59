import io
import os

import pypdfium2 as pdfium
import pytest
import zxingcpp

from ocop.certification.pdf import certificate_pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(province_decision, product_a, issue, settings):
    settings.PUBLIC_URL = "https://ocop.example.vn"
    cert = issue(province_decision, product_a, 4)
    return cert, certificate_pdf_bytes(cert)


def test_certificate_pdf_is_one_a4_landscape_page_with_the_vietnamese_text(pdf):
    cert, data = pdf
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    text = page.get_textpage().get_text_range()

    assert len(doc) == 1
    assert page.get_size() == pytest.approx((841.89, 595.28), abs=0.5)
    for expected in (
        "Cà phê Arabica Cầu Đất",
        "Hợp tác xã Nông nghiệp Cầu Đất",
        "Tỉnh Lâm Đồng",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "GIẤY CHỨNG NHẬN",
        "4 sao",
        cert.number,
        "1234/QĐ-UBND",
        "15/09/2026",
        "14/09/2029",
        "Trần Văn Ký",
    ):
        assert expected in text, expected
    # Personal data stays out of the printed certificate.
    for private in ("0912345678", "htx@example.vn", "Nguyễn Thị Bí Mật"):
        assert private not in text


def test_certificate_pdf_embeds_the_vendored_fonts(pdf):
    _, data = pdf
    assert b"DejaVuSans" in data
    assert b"/usr/share/fonts" not in data


def test_certificate_qr_code_opens_the_verification_page(pdf):
    cert, data = pdf
    image = pdfium.PdfDocument(data)[0].render(scale=2).to_pil()
    if os.environ.get("OCOP_SAVE_CERTIFICATE_PNG"):
        image.save(os.environ["OCOP_SAVE_CERTIFICATE_PNG"])

    codes = zxingcpp.read_barcodes(image)

    assert [c.text for c in codes] == [f"https://ocop.example.vn/verify/certificate/{cert.number}"]
    assert io.BytesIO(data).getvalue().startswith(b"%PDF-")


def test_five_star_certificate_draws_five_stars_and_long_names_fit(central_decision, product_a, issue):
    product_a.name = (
        "Cà phê Arabica Cầu Đất rang xay nguyên chất hữu cơ đặc biệt thu hái thủ công trên cao nguyên Lâm Viên"
    )
    product_a.save()
    cert = issue(central_decision, product_a, 5)

    text = pdfium.PdfDocument(certificate_pdf_bytes(cert))[0].get_textpage().get_text_range()

    assert "5 sao" in text and "OCOP-CN-TW-2026-00001" in text
    assert "Lâm Viên" in text
