"""The certificate as a PDF (A4 landscape), drawn with ReportLab.

Text uses the vendored DejaVu fonts (static/fonts/, full Vietnamese coverage), never system fonts, so the file
looks the same on every server. Stars are vector shapes, not glyphs, so they render whatever the viewer's fonts.
The QR code points at the public verification page `PUBLIC_URL/verify/certificate/<number>`.
"""

import io
import math

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from ocop.certification.selectors import province_name
from ocop.core.pdf import BOLD, FONT_DIR, REGULAR  # noqa: F401  (FONT_DIR: kept importable from here)
from ocop.core.pdf import draw_qr as _qr
from ocop.core.pdf import register_fonts as _register_fonts
from ocop.core.pdf import vn_date as _date

RED = Color(0.70, 0.10, 0.12)
GOLD = Color(0.93, 0.69, 0.13)
DARK_GOLD = Color(0.62, 0.42, 0.05)
INK = Color(0.12, 0.12, 0.16)


def verification_url(number: str) -> str:
    return f"{settings.PUBLIC_URL}/verify/certificate/{number}"


def _star(c: canvas.Canvas, cx: float, cy: float, radius: float) -> None:
    """A five-pointed star as a filled path (inner radius from the regular pentagram)."""
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(54))
    path = c.beginPath()
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        angle = math.radians(90 + i * 36)
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
    path.close()
    c.setFillColor(GOLD)
    c.setStrokeColor(DARK_GOLD)
    c.setLineWidth(0.8)
    c.drawPath(path, fill=1, stroke=1)


def _centred(c: canvas.Canvas, text: str, y: float, font: str, size: float, width: float, *, max_lines=2) -> float:
    """Draw `text` centred, shrinking to fit `max_lines` lines of `width`; returns the y below the last line."""
    while size > 9 and len(simpleSplit(text, font, size, width)) > max_lines:
        size -= 1
    c.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        c.drawCentredString(A4[1] / 2, y, line)
        y -= size * 1.25
    return y


def _frame(c: canvas.Canvas, w: float, h: float) -> None:
    c.setStrokeColor(RED)
    c.setLineWidth(4)
    c.rect(18, 18, w - 36, h - 36)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.5)
    c.rect(28, 28, w - 56, h - 56)


def _draw(c: canvas.Canvas, cert) -> None:
    w, h = landscape(A4)
    product, subject = cert.product, cert.product.subject
    decision = cert.decision
    _frame(c, w, h)
    c.setFillColor(INK)
    c.setFont(BOLD, 11)
    c.drawCentredString(w / 2, h - 56, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.setFont(BOLD, 10.5)
    c.drawCentredString(w / 2, h - 71, "Độc lập - Tự do - Hạnh phúc")
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(w / 2 - 80, h - 76, w / 2 + 80, h - 76)
    c.setFont(REGULAR, 10.5)
    c.drawCentredString(w / 2, h - 94, (cert.issuing_body or "").upper())

    c.setFillColor(RED)
    c.setFont(BOLD, 30)
    c.drawCentredString(w / 2, h - 136, _("GIẤY CHỨNG NHẬN").upper())
    c.setFont(BOLD, 15)
    c.drawCentredString(w / 2, h - 160, _("Sản phẩm OCOP đạt %(star)s sao") % {"star": cert.star})
    radius, gap = 13, 34
    for i in range(cert.star):
        _star(c, w / 2 + (i - (cert.star - 1) / 2) * gap, h - 188, radius)

    c.setFillColor(INK)
    y = _centred(c, product.name, h - 236, BOLD, 24, w - 200)
    y = _centred(c, _("Chủ thể: %(name)s") % {"name": subject.name}, y - 6, REGULAR, 13, w - 200)
    province = province_name(subject.province_code)
    if province:
        y = _centred(c, province, y, REGULAR, 13, w - 200, max_lines=1)

    # The decision block follows the names (they may wrap) but stays above the QR code and the signature.
    y = max(y - 34, 196)
    decision_line = _("Theo Quyết định số %(number)s ngày %(date)s") % {
        "number": cert.decision_number or "—",
        "date": _date(cert.decided_on),
    }
    y = _centred(c, decision_line, y, REGULAR, 11, w - 360, max_lines=1)
    c.setFont(REGULAR, 11)
    c.drawCentredString(
        w / 2,
        y - 2,
        _("Cấp ngày %(issued)s — có hiệu lực đến ngày %(until)s")
        % {"issued": _date(cert.issued_on), "until": _date(cert.valid_until)},
    )
    c.setFont(BOLD, 12)
    c.drawCentredString(w / 2, y - 24, _("Số: %(number)s") % {"number": cert.number or "—"})

    qr_size, qr_x, qr_y = 108, 48, 52
    _qr(c, verification_url(cert.number), qr_x, qr_y, qr_size)
    c.setFont(REGULAR, 8)
    c.drawCentredString(qr_x + qr_size / 2, qr_y - 8, _("Quét mã để xác thực"))
    _signature(c, cert, decision, x=w - 175)


def _signature(c: canvas.Canvas, cert, decision, *, x: float) -> None:
    """Date, signer's title and name (space between them for the signature and seal on the printed copy)."""
    if cert.decided_on:
        c.setFont(REGULAR, 10.5)
        c.drawCentredString(
            x,
            142,
            _("Ngày %(day)s tháng %(month)s năm %(year)s")
            % {
                "day": f"{cert.decided_on.day:02d}",
                "month": f"{cert.decided_on.month:02d}",
                "year": cert.decided_on.year,
            },
        )
    if decision is None:
        return
    c.setFont(BOLD, 11)
    for i, line in enumerate(simpleSplit((decision.signer_title or "").upper(), BOLD, 11, 230)):
        c.drawCentredString(x, 124 - i * 14, line)
    if decision.signer_name:
        c.setFont(BOLD, 12)
        c.drawCentredString(x, 56, decision.signer_name)


def certificate_pdf_bytes(certificate) -> bytes:
    """The certificate as a one-page PDF (Vietnamese). Needs a numbered certificate (issued on the platform)."""
    if not certificate.number:
        raise ValueError("only numbered certificates have a printable certificate")
    _register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(f"{certificate.number} — {certificate.product.name}")
    c.setAuthor(certificate.issuing_body or "OCOP")
    with translation.override(settings.LANGUAGE_CODE):
        _draw(c, certificate)
    c.showPage()
    c.save()
    return buffer.getvalue()
