"""Shared ReportLab helpers: the vendored DejaVu fonts (static/fonts/, full Vietnamese coverage), dates as printed
in Vietnamese documents, Vietnamese number formatting and a vector QR code.

Printed documents never use system fonts, so a file looks the same on every server.
"""

from pathlib import Path

import segno
from django.conf import settings
from reportlab.lib.colors import black, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
REGULAR, BOLD = "OcopDejaVuSans", "OcopDejaVuSans-Bold"


def register_fonts() -> None:
    """Register the DejaVu fonts once per process (and as a family, so <b> works in platypus paragraphs)."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def vn_date(value) -> str:
    """dd/mm/yyyy, or "—" when there is no date."""
    return value.strftime("%d/%m/%Y") if value else "—"


def draw_qr(c, data: str, x: float, y: float, size: float) -> None:
    """QR code as vector squares with its quiet zone, `size` points wide, lower-left corner at (x, y)."""
    qr = segno.make(data, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    module = size / len(matrix)
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(black)
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        for col_index, dark in enumerate(row):
            if dark:
                c.rect(x + col_index * module, top, module, module, stroke=0, fill=1)
