"""Stamp sheet generation: stamps/s for 10,000 stamps through the platform path (codes + Digital Link URLs +
streaming sheet writer, ocop.certification.stamps.sheet) against a raw segno + ReportLab canvas loop drawing the
same label layout (band, vector stars, OCOP, QR, code) in the same run. Peak Python memory (tracemalloc) at
N = 2,000 and 10,000 for both, to show which stays flat."""

import io
import math
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit  # noqa: E402

N = 10_000
MEMORY_NS = (2_000, 10_000)


def platform_stamps(n):
    from ocop.certification.stamps import codes
    from ocop.certification.stamps.links import stamp_url

    key = b"bench-key".ljust(32, b"\0")
    for serial in range(n):
        code = codes.code_make(key, 1, serial)
        yield serial, code, stamp_url(code, gtin="8935049500018", lot_code="L2026-01")


def platform_pdf(n, out):
    from ocop.certification.stamps.sheet import LabelLayout, sheets_write

    layout = LabelLayout(width=32, height=44, margin=10, bleed=1.5)
    sheets_write(out, platform_stamps(n), layout=layout, star=4, total=n)


def raw_pdf(n, out):
    """The floor: ReportLab canvas, segno defaults, the same 5 × 5 grid of 32 × 44 mm labels, fixed texts."""
    import segno
    from reportlab.lib.colors import Color, black, white
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    red, gold = Color(0.70, 0.10, 0.12), Color(0.96, 0.76, 0.18)
    c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    w, h, b, band = 32 * mm, 44 * mm, 1.5 * mm, 44 * mm * 0.27
    for i in range(n):
        slot = i % 25
        if i and slot == 0:
            c.showPage()
        x = 10 * mm + (slot % 5) * (w + 2 * b) + b
        y = A4[1] - 10 * mm - (slot // 5 + 1) * (h + 2 * b) + b
        c.setFillColor(red)
        c.rect(x - b, y + h - band, w + 2 * b, band + b, stroke=0, fill=1)
        c.setFillColor(gold)
        for s in range(4):
            p = c.beginPath()
            for k in range(10):
                r = 9 if k % 2 == 0 else 3.6
                a = math.radians(90 + k * 36)
                px, py = x + w / 2 + (s - 1.5) * 20 + r * math.cos(a), y + h - band * 0.32 + r * math.sin(a)
                p.moveTo(px, py) if k == 0 else p.lineTo(px, py)
            p.close()
            c.drawPath(p, fill=1, stroke=0)
        c.setFillColor(white)
        c.setFont("Helvetica-Bold", band * 0.36)
        c.drawCentredString(x + w / 2, y + h - band * 0.86, "OCOP")
        data = f"https://ocop.example/01/08935049500018/10/L2026-01/21/{i:020d}"
        matrix = segno.make(data, error="m", micro=False).matrix
        size = min(w - 2 * mm, h - band - 7 * mm)
        module = size / (len(matrix) + 8)
        qx, qy = x + (w - size) / 2, y + h - band - size - 0.5 * mm
        c.setFillColor(black)
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark & 1:
                    c.rect(qx + (col + 4) * module, qy + size - (r + 5) * module, module, module, stroke=0, fill=1)
        c.setFont("Courier-Bold", 6)
        c.drawCentredString(x + w / 2, qy - 6, f"{i:020d}")
    c.showPage()
    c.save()


def measure(func, n):
    out = io.BytesIO() if func is raw_pdf else open("/dev/null", "wb")  # noqa: SIM115
    start = time.perf_counter()
    func(n, out)
    seconds = time.perf_counter() - start
    out.close()
    return seconds


def peak_mib(func, n):
    tracemalloc.start()
    measure(func, n)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def main() -> None:
    django_setup()
    base_seconds = measure(raw_pdf, N)
    seconds = measure(platform_pdf, N)
    memory = {f"platform_peak_mib_{n}": peak_mib(platform_pdf, n) for n in MEMORY_NS}
    memory |= {f"raw_reportlab_peak_mib_{n}": peak_mib(raw_pdf, n) for n in MEMORY_NS}
    print(memory, file=sys.stderr)
    emit(
        "stamps.sheet_pdf",
        N,
        round(seconds, 2),
        round(N / seconds, 1),
        round(seconds / N * 1000, 3),
        None,
        {
            "name": "raw segno + ReportLab canvas, same layout",
            "n": N,
            "seconds": round(base_seconds, 2),
            "per_second": round(N / base_seconds, 1),
            **memory,
        },
        round(seconds / base_seconds, 2),
    )


if __name__ == "__main__":
    main()
