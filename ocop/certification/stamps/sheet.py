"""Print-ready stamp sheets: A4 pages of labels, written page by page to a file.

Why not ReportLab here (the certificate PDF uses it): a ReportLab canvas keeps every finished page in memory until
`save()`, and a 100,000-stamp batch is thousands of pages of vector QR codes. This writer emits each page's objects
as soon as the page is drawn and keeps only the byte offsets for the cross-reference table, so memory stays flat
whatever the batch size. The labels use only ASCII text ("OCOP", the code), so the PDF standard fonts
(Helvetica-Bold, Courier-Bold) suffice and nothing needs embedding; ReportLab still supplies the font metrics.

Each label: a red band carrying the certificate's stars (vector) and "OCOP", the QR (vector, one rectangle per
run of dark modules), and the code printed under it. The band extends into the bleed; cells are laid out
bleed-to-bleed from the page margin (rules.grid).
"""

import math
import zlib
from decimal import Decimal

import segno
from reportlab.pdfbase.pdfmetrics import stringWidth

from ocop.certification.stamps import codes, rules

MM = 72 / 25.4
A4_PT = (595.2756, 841.8898)
RED = "0.70 0.10 0.12"
GOLD = "0.96 0.76 0.18"
QR_MASK = 2


class StreamingPdf:
    """A minimal PDF 1.4 writer: pages are written as they come, the page tree and xref at the end."""

    def __init__(self, fileobj, *, title: str = ""):
        self.out = fileobj
        self.offsets: dict[int, int] = {}
        self.page_ids: list[int] = []
        self.next_id = 6  # 1 catalog, 2 pages, 3–4 fonts, 5 info
        self.out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        self._obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        self._obj(4, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>")
        safe = "".join(ch for ch in title if 32 <= ord(ch) < 127 and ch not in "()\\")
        self._obj(5, f"<< /Title ({safe}) /Producer (OCOP Platform) >>".encode())

    def _obj(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def add_page(self, content: str) -> None:
        data = zlib.compress(content.encode("latin-1"), 6)
        content_id, page_id = self.next_id, self.next_id + 1
        self.next_id += 2
        self._obj(content_id, b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        self._obj(
            page_id,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.4f %.4f] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (*A4_PT, content_id),
        )
        self.page_ids.append(page_id)

    def close(self) -> None:
        kids = b" ".join(b"%d 0 R" % i for i in self.page_ids)
        self._obj(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(self.page_ids))
        self._obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        xref = self.out.tell()
        size = self.next_id
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for number in range(1, size):
            lines.append(b"%010d 00000 n \n" % self.offsets[number])
        self.out.write(b"".join(lines))
        self.out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))


def _star_path(cx: float, cy: float, radius: float) -> str:
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(54))
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        angle = math.radians(90 + i * 36)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    ops = [f"{points[0][0]:.2f} {points[0][1]:.2f} m"] + [f"{x:.2f} {y:.2f} l" for x, y in points[1:]]
    return " ".join(ops) + " h"


def qr_ops(data: str, x: float, y: float, size: float) -> str:
    """Dark modules of the QR of `data` (quiet zone included in `size`) as filled rectangles, one per run."""
    # A fixed mask: any of the eight masks is valid QR; letting segno score all eight costs ~6 ms per code,
    # most of the sheet's time. Every generated sheet is decoded back in the tests.
    qr = segno.make(data, error="m", micro=False, mask=QR_MASK)
    matrix = qr.matrix
    border = 4
    count = len(matrix) + 2 * border
    module = size / count
    ops = []
    for r, row in enumerate(matrix):
        top = y + size - (r + border + 1) * module
        c = 0
        width = len(row)
        while c < width:
            if row[c] & 1:
                start = c
                while c < width and row[c] & 1:
                    c += 1
                ops.append(f"{x + (start + border) * module:.3f} {top:.3f} {(c - start) * module:.3f} {module:.3f} re")
            else:
                c += 1
    return "0 g " + " ".join(ops) + " f"


class LabelLayout:
    """Label geometry in points from the batch's millimetre settings."""

    def __init__(self, *, width, height, margin, bleed):
        self.w, self.h = float(width) * MM, float(height) * MM
        self.margin, self.bleed = float(margin) * MM, float(bleed) * MM
        self.columns, self.rows = rules.grid(
            width=Decimal(width), height=Decimal(height), margin=Decimal(margin), bleed=Decimal(bleed)
        )
        self.band = self.h * 0.27
        self.qr = min(self.w - 2 * MM, self.h - self.band - 7 * MM)
        self.code_size = min(7.0, (self.w - 3 * MM) / (23 * 0.6))

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """Lower-left corner of the trim box of label `index` on its page (row-major from the top left)."""
        col, row = index % self.columns, index // self.columns
        cell_w, cell_h = self.w + 2 * self.bleed, self.h + 2 * self.bleed
        x = self.margin + col * cell_w + self.bleed
        y = A4_PT[1] - self.margin - (row + 1) * cell_h + self.bleed
        return x, y


def label_ops(layout: LabelLayout, x: float, y: float, *, url: str, code: str, star: int) -> str:
    w, h, b, band = layout.w, layout.h, layout.bleed, layout.band
    parts = [
        f"1 g {x - b:.2f} {y - b:.2f} {w + 2 * b:.2f} {h + 2 * b:.2f} re f",
        f"{RED} rg {x - b:.2f} {y + h - band:.2f} {w + 2 * b:.2f} {band + b:.2f} re f",
    ]
    radius = min(band * 0.22, w / (2.6 * max(star, 1)))
    gap = radius * 2.3
    star_y = y + h - band * 0.32
    stars = [_star_path(x + w / 2 + (i - (star - 1) / 2) * gap, star_y, radius) for i in range(star)]
    if stars:
        parts.append(f"{GOLD} rg " + " ".join(stars) + " f")
    title_size = band * 0.36
    title_w = stringWidth("OCOP", "Helvetica-Bold", title_size)
    parts.append(
        f"1 g BT /F1 {title_size:.2f} Tf {x + (w - title_w) / 2:.2f} {y + h - band + band * 0.14:.2f} Td (OCOP) Tj ET"
    )
    qr_x, qr_y = x + (w - layout.qr) / 2, y + h - band - layout.qr - 0.5 * MM
    parts.append(qr_ops(url, qr_x, qr_y, layout.qr))
    grouped = codes.code_grouped(code)
    text_w = len(grouped) * 0.6 * layout.code_size
    text_x, text_y = x + (w - text_w) / 2, qr_y - layout.code_size
    parts.append(f"0 g BT /F2 {layout.code_size:.2f} Tf {text_x:.2f} {text_y:.2f} Td ({grouped}) Tj ET")
    return "\n".join(parts)


def sheets_write(fileobj, stamps, *, layout: LabelLayout, star: int, total: int, title: str = "", progress=None) -> int:
    """Write the labels of `stamps` ((serial, code, url) tuples) as A4 pages; returns the number of pages.
    `progress(done, total)` is called after each page."""
    pdf = StreamingPdf(fileobj, title=title)
    page, done, pages = [], 0, 0
    for _serial, code, url in stamps:
        x, y = layout.origin(len(page))
        page.append(label_ops(layout, x, y, url=url, code=code, star=star))
        done += 1
        if len(page) == layout.per_page:
            pdf.add_page("\n".join(page))
            page, pages = [], pages + 1
            if progress:
                progress(done, total)
    if page:
        pdf.add_page("\n".join(page))
        pages += 1
    pdf.close()
    if progress:
        progress(done, total, force=True)
    return pages
