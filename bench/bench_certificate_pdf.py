"""Certificate PDFs per second (ocop.certification.pdf.certificate_pdf_bytes) on 200 certificates, against a bare
one-page ReportLab document with the same DejaVu font, the same texts and a segno QR code in the same run.

The certificates, decisions, products and subjects are unsaved model instances (the renderer only reads them;
the province name is still read from the database, as in production)."""

import datetime
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, figures, timed  # noqa: E402

N = 200
NAMES = (
    "Cà phê Arabica Cầu Đất",
    "Mật ong hoa cà phê Đắk Lắk",
    "Nước mắm Phú Quốc thượng hạng",
    "Trà Shan tuyết cổ thụ",
)


def certificates():
    from ocop.certification.models import Certificate, Decision
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Product, Subject

    province = AdminUnit.objects.filter(level="province", valid_until__isnull=True).order_by("code").first()
    decision = Decision(
        issuing_body=f"Ủy ban nhân dân {province.full_name}",
        level="province",
        number="1234/QĐ-UBND",
        decided_on=datetime.date(2026, 9, 15),
        signer_name="Trần Văn Ký",
        signer_title="KT. Chủ tịch — Phó Chủ tịch",
        province_code=province.code,
    )
    out = []
    for i in range(N):
        subject = Subject(name=f"Hợp tác xã Nông nghiệp dịch vụ số {i}", province_code=province.code)
        product = Product(subject=subject, name=f"{NAMES[i % len(NAMES)]} {i}", ocop_code=f"BENCH-PDF-{i}")
        out.append(
            Certificate(
                number=f"{province.code}-2026-{i + 1:05d}",
                product=product,
                star=3 + i % 3,
                decision=decision,
                decision_number=decision.number,
                decided_on=decision.decided_on,
                issuing_body=decision.issuing_body,
                valid_from=decision.decided_on,
                valid_until=datetime.date(2029, 9, 14),
            )
        )
    return out


def bare_pdf(cert) -> bytes:
    """The floor: one landscape A4 page, the same font, the certificate's texts and a QR code."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from ocop.certification.pdf import verification_url
    from ocop.core.pdf import BOLD, REGULAR, draw_qr, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    c.setFont(BOLD, 24)
    c.drawString(60, 400, cert.product.name)
    c.setFont(REGULAR, 13)
    c.drawString(60, 370, cert.product.subject.name)
    c.drawString(60, 350, cert.number)
    draw_qr(c, verification_url(cert.number), 48, 52, 108)
    c.showPage()
    c.save()
    return buffer.getvalue()


def main() -> None:
    django_setup()
    from ocop.certification.pdf import certificate_pdf_bytes

    certs = certificates()
    certificate_pdf_bytes(certs[0])  # font registration and first-use caches out of the measurement
    bare_pdf(certs[0])
    base_seconds, base_lat = timed(bare_pdf, certs)
    baseline = {"name": "bare ReportLab page, same font, segno QR", **figures(N, base_seconds, base_lat)}
    sizes = []
    seconds, latencies = timed(lambda cert: sizes.append(len(certificate_pdf_bytes(cert))), certs)
    print(f"mean certificate PDF size {sum(sizes) / len(sizes) / 1024:.1f} KiB", file=sys.stderr)
    emit(
        "certification.certificate_pdf",
        **figures(N, seconds, latencies),
        baseline=baseline,
        ratio=round(seconds / base_seconds, 1) if base_seconds else None,
    )


if __name__ == "__main__":
    main()
