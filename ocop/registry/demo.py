"""Generated demo data for `make run`: subjects and products of Lâm Đồng and Gia Lai with drawn photos.

The names are invented but typical of each province's OCOP products, so the back office, the public catalogue
and the exports have something realistic to show. Everything goes through the registry services (NFC, folded
keys, OCOP codes, the photo pipeline), like an import. Photos are drawn locally with Pillow — no downloads.
Idempotent: a subject is identified by its tax code; subjects already there are left alone.
"""

import datetime
import io
import textwrap
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from ocop.certification.models import Certificate
from ocop.certification.rules import certificate_expiry
from ocop.core.pdf import FONT_DIR  # the vendored DejaVu fonts: never the system's
from ocop.core.text import fold_compact
from ocop.registry.models import CriteriaVersion, ProductCategory, Subject
from ocop.registry.services import product_create, subject_create

CARD_SIZE = (1200, 900)
L = Subject.LegalForm


@dataclass(frozen=True)
class DemoProduct:
    name: str
    category: str  # Annex I code of 26/2026: "I.6", "I.5.a", …
    stars: int | None  # None: not recognised yet
    description: str = ""
    months_ago: int = 10  # when the recognition decision was taken


@dataclass(frozen=True)
class DemoSubject:
    name: str
    legal_form: str
    tax_base: str  # 9 digits; the 10th is the check digit (see tax_code)
    commune: str  # name of a current commune of the province
    representative: str
    products: list[DemoProduct] = field(default_factory=list)
    verified: bool = True
    founded_year: int = 2015
    workforce: tuple[int, int, int] = (12, 6, 0)  # total, women, ethnic minority


P = DemoProduct
LAM_DONG = [
    DemoSubject(
        "Hợp tác xã Nông nghiệp Cà phê Cầu Đất",
        L.COOPERATIVE,
        "580990001",
        "Xuân Trường - Đà Lạt",
        "Nguyễn Văn Đạt",
        [
            P("Cà phê Arabica Cầu Đất rang xay", "I.6", 4, "Arabica trồng ở độ cao 1.500 m, rang mộc."),
            P("Cà phê Arabica Cầu Đất hạt nguyên", "I.6", 4, "Hạt chín đỏ hái tay, sơ chế ướt."),
            P("Cà phê chồn Cầu Đất", "I.6", 3, months_ago=42),
        ],
        founded_year=2012,
        workforce=(35, 18, 4),
    ),
    DemoSubject(
        "Công ty TNHH Trà Ô long Bảo Lộc",
        L.ENTERPRISE,
        "580990002",
        "2 Bảo Lộc",
        "Trần Minh Tâm",
        [
            P("Trà Ô long Bảo Lộc", "I.5.a", 4, "Ô long Kim Tuyên vê viên, hương sữa tự nhiên."),
            P("Trà xanh Bảo Lộc", "I.5.a", 3),
            P("Hồng trà Bảo Lộc", "I.5.a", 3, months_ago=20),
        ],
        founded_year=2008,
        workforce=(60, 41, 7),
    ),
    DemoSubject(
        "Hợp tác xã Atisô Lang Biang",
        L.COOPERATIVE,
        "580990003",
        "Lang Biang - Đà Lạt",
        "K'Hoa",
        [
            P("Trà atisô túi lọc Lang Biang", "I.5.b", 4, "Thân, lá và bông atisô Đà Lạt sấy lạnh."),
            P("Cao atisô Lang Biang", "III.1", 3),
            P("Bông atisô sấy khô", "I.3.c", 3),
        ],
        workforce=(22, 15, 9),
    ),
    DemoSubject(
        "Tổ hợp tác Dâu tây Đơn Dương",
        L.COOPERATIVE_GROUP,
        "580990004",
        "Đơn Dương",
        "Phạm Thị Hồng",
        [
            P("Dâu tây Đơn Dương tươi", "I.1.a", 3, "Dâu tây New Zealand trồng nhà màng."),
            P("Mứt dâu tây Đà Lạt", "I.3.c", 3),
            P("Hồng treo gió Đà Lạt", "I.3.c", 4),
        ],
        founded_year=2019,
        workforce=(9, 6, 0),
    ),
    DemoSubject(
        "Công ty Cổ phần Mắc ca Di Linh",
        L.ENTERPRISE,
        "580990008",
        "Di Linh",
        "Lê Quang Huy",
        [
            P("Hạt mắc ca Di Linh sấy nứt vỏ", "I.3.c", 4, "Mắc ca sấy củi, nứt vỏ sẵn."),
            P("Dầu mắc ca ép lạnh", "I.3.c", 3),
            P("Sữa hạt mắc ca", "II.2.b", 3),
        ],
        founded_year=2016,
        workforce=(45, 20, 11),
    ),
    DemoSubject(
        "Hộ kinh doanh Hoa Vạn Thành",
        L.HOUSEHOLD,
        "580990006",
        "Lâm Viên - Đà Lạt",
        "Võ Thị Thanh",
        [
            P("Hoa cẩm tú cầu Đà Lạt", "V.1", 3),
            P("Hoa lan hồ điệp Vạn Thành", "V.1", 3, months_ago=30),
        ],
        workforce=(5, 3, 0),
    ),
    DemoSubject(
        "Hợp tác xã Rượu cần K'Ho Lạc Dương",
        L.COOPERATIVE,
        "580990007",
        "Lạc Dương",
        "Ro Ông Ha Ninh",
        [P("Rượu cần K'Ho Lạc Dương", "II.1.b", None)],
        verified=False,  # awaits the commune officer's verification in the demo
        founded_year=2024,
        workforce=(14, 8, 14),
    ),
]
GIA_LAI = [
    DemoSubject(
        "Hợp tác xã Cà phê Ia Grai",
        L.COOPERATIVE,
        "590990001",
        "Ia Grai",
        "Rơ Châm Thuyên",
        [
            P("Cà phê Robusta Ia Grai rang mộc", "I.6", 4, "Robusta hái chín, rang mộc không tẩm."),
            P("Cà phê Robusta hòa tan 3 trong 1", "I.6", 3),
            P("Cà phê Culi Robusta", "I.6", 3),
        ],
        founded_year=2014,
        workforce=(40, 17, 22),
    ),
    DemoSubject(
        "Công ty TNHH Hồ tiêu Chư Sê",
        L.ENTERPRISE,
        "590990002",
        "Chư Sê",
        "Nguyễn Hữu Phước",
        [
            P("Hồ tiêu đen Chư Sê", "I.4.b", 4, "Tiêu đen phơi nắng, độ cay cao."),
            P("Tiêu sọ trắng Chư Sê", "I.4.b", 4),
            P("Tiêu xanh ngâm muối", "I.4.b", 3),
        ],
        founded_year=2010,
        workforce=(28, 12, 9),
    ),
    DemoSubject(
        "Hợp tác xã Mật ong Kbang",
        L.COOPERATIVE,
        "590990003",
        "Kbang",
        "Đinh Văn Hyun",
        [
            P("Mật ong hoa cà phê Kbang", "I.2.b", 3, "Mật ong ong nội nuôi dưới tán cà phê."),
            P("Mật ong rừng Kon Chư Răng", "I.2.b", 4),
        ],
        founded_year=2017,
        workforce=(18, 7, 15),
    ),
    DemoSubject(
        "Hộ kinh doanh Bò một nắng Krông Pa",
        L.HOUSEHOLD,
        "590990004",
        "Ia Pa",
        "Ksor H'Blin",
        [
            P("Bò một nắng Krông Pa", "I.3.d", 4, "Thịt bò tươi tẩm ướp, phơi đúng một nắng."),
            P("Muối kiến vàng Gia Lai", "I.4.b", 3),
        ],
        workforce=(6, 4, 6),
    ),
    DemoSubject(
        "Hợp tác xã Chanh dây Đak Đoa",
        L.COOPERATIVE,
        "590990005",
        "Đak Đoa",
        "Trần Thị Mai",
        [
            P("Chanh dây tươi Đak Đoa", "I.1.a", 3),
            P("Nước cốt chanh dây", "II.2.b", 3),
            P("Mứt chanh dây sấy dẻo", "I.3.c", 3, months_ago=40),
        ],
        founded_year=2018,
        workforce=(25, 16, 10),
    ),
    DemoSubject(
        "Tổ hợp tác Dệt thổ cẩm Ia Mơ Nông",
        L.COOPERATIVE_GROUP,
        "590990006",
        "Chư Păh",
        "Rơ Mah H'Lan",
        [
            P("Khăn thổ cẩm Jrai", "IV.2", 3, "Dệt tay trên khung truyền thống."),
            P("Túi thổ cẩm Ia Mơ Nông", "IV.2", 3),
        ],
        workforce=(15, 15, 15),
    ),
    DemoSubject(
        "Hợp tác xã Gạo đỏ An Khê",
        L.COOPERATIVE,
        "590990007",
        "An Khê",
        "Phan Văn Lực",
        [P("Gạo lúa rẫy đỏ An Khê", "I.2.a", None)],
        verified=False,
        founded_year=2025,
        workforce=(11, 5, 3),
    ),
]
# (province name, certificate issuer, telephone area code, subjects)
PROVINCES = (
    ("Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng", "0263", LAM_DONG),
    ("Gia Lai", "Ủy ban nhân dân tỉnh Gia Lai", "0269", GIA_LAI),
)

# One background per industry of Annex I (26/2026), so the catalogue reads at a glance.
INDUSTRY_COLOURS = {
    "I": ((120, 72, 40), (246, 230, 210)),  # food: coffee brown
    "II": ((30, 96, 140), (215, 234, 246)),  # drinks: blue
    "III": ((46, 110, 60), (220, 240, 222)),  # medicinal: green
    "IV": ((140, 40, 60), (246, 220, 226)),  # handicraft: maroon
    "V": ((150, 60, 130), (246, 222, 240)),  # flowers and plants: magenta
    "VI": ((30, 120, 120), (214, 240, 238)),  # tourism: teal
}
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code(base: str) -> str:
    """The 10-digit tax code with its check digit (General Department of Taxation algorithm).

    The bases above were chosen so that none gives the invalid remainder 10.
    """
    check = 10 - sum(int(d) * w for d, w in zip(base, TAX_WEIGHTS, strict=True)) % 11
    if check == 10:
        raise ValueError(f"{base} has no valid check digit")
    return f"{base}{check}"


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def product_card(*, name: str, subject: str, province: str, industry: str, stars: int | None) -> bytes:
    """A simple product card (PNG bytes): industry colour, name, producer, province and stars."""
    dark, light = INDUSTRY_COLOURS.get(industry, INDUSTRY_COLOURS["I"])
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, dark)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((60, 60, width - 60, height - 60), radius=48, fill=light)
    draw.ellipse((110, 110, 290, 290), fill=dark)
    draw.text((200, 200), name[:1].upper(), font=_font(110, bold=True), fill=light, anchor="mm")
    draw.text((330, 150), "OCOP", font=_font(44, bold=True), fill=dark)
    draw.text((330, 210), province, font=_font(36), fill=dark)
    title = _font(68, bold=True)
    y = 360
    for line in textwrap.wrap(name, width=24)[:3]:
        draw.text((110, y), line, font=title, fill=dark)
        y += 84
    draw.text((110, y + 20), subject, font=_font(34), fill=dark)
    if stars:
        draw.text((110, height - 190), "★" * stars + "☆" * (5 - stars), font=_font(72), fill=(214, 160, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # re-encoded as JPEG by the photo service anyway
    return buffer.getvalue()


class _Context:
    """Lookups shared by every demo record: current communes by name, categories, criteria versions."""

    def __init__(self, province, area_code: str, authority: str):
        from ocop.geo.selectors import unit_list

        self.province, self.area_code, self.authority = province, area_code, authority
        self.communes = {c.name: c for c in unit_list(level="commune", parent_code=province.code)}
        self.fallback = next(iter(self.communes.values()), None)
        current = CriteriaVersion.objects.filter(is_current=True).first()
        self.categories = {
            c.code: c for c in ProductCategory.objects.filter(version=current).exclude(level="product_set")
        }
        self.versions = list(CriteriaVersion.objects.exclude(effective_on=None).order_by("-effective_on"))

    def version_at(self, day: datetime.date):
        return next((v for v in self.versions if v.effective_on <= day), None)


def _create_subject(ctx: _Context, spec: DemoSubject) -> Subject:
    commune = ctx.communes.get(spec.commune, ctx.fallback)
    total, women, minority = spec.workforce
    slug = fold_compact(spec.name)[-24:]
    subject = subject_create(
        actor=None,
        values={
            "name": spec.name,
            "legal_form": spec.legal_form,
            "tax_code": tax_code(spec.tax_base),
            "legal_representative": spec.representative,
            "phone": f"{ctx.area_code} 3{spec.tax_base[-6:]}",
            "email": f"lienhe@{slug}.vn",
            "address_line": f"Thôn 2, {commune.full_name if commune else ''}",
            "commune": commune,
            "founded_year": spec.founded_year,
            "workforce_total": total,
            "workforce_women": women,
            "workforce_ethnic_minority": minority,
        },
        verified=spec.verified,
        check_access=False,
    )
    for index, item in enumerate(spec.products, start=1):
        _create_product(ctx, subject, item, sequence=index)
    return subject


def _create_product(ctx: _Context, subject: Subject, item: DemoProduct, sequence: int) -> None:
    category = ctx.categories.get(item.category)
    industry = item.category.split(".")[0]
    card = product_card(
        name=item.name, subject=subject.name, province=ctx.province.full_name, industry=industry, stars=item.stars
    )
    product = product_create(
        actor=None,
        subject=subject,
        values={"name": item.name, "category": category, "description": item.description},
        check_access=False,
        photo=ContentFile(card, name="card.png"),
    )
    if not item.stars:
        return
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=30 * item.months_ago + sequence)
    Certificate.objects.create(
        product=product,
        star=item.stars,
        score=50 + item.stars * 10 + sequence,
        # Marked as demo so nobody mistakes it for a real decision.
        decision_number=f"DEMO-{ctx.province.code}-{subject.tax_code[-4:]}/QĐ-UBND",
        decided_on=decided,
        issuing_body=ctx.authority,
        issuing_level=Certificate.IssuingLevel.PROVINCE,
        valid_from=decided,
        valid_until=certificate_expiry(decided),
        source=Certificate.Source.IMPORTED,  # no evaluation record backs it: recorded, like a published list
        criteria_version=ctx.version_at(decided),
    )


def demo_tax_codes() -> list[str]:
    return [tax_code(s.tax_base) for *_province, specs in PROVINCES for s in specs]


@transaction.atomic
def seed_demo() -> str:
    """Create the demo subjects and products not created yet. Returns a one-line summary."""
    from ocop.geo.selectors import province_list

    existing = set(Subject.objects.filter(tax_code__in=demo_tax_codes()).values_list("tax_code", flat=True))
    if len(existing) == len(demo_tax_codes()):
        return "demo subjects already there"
    subjects = products = 0
    for province_name, authority, area_code, specs in PROVINCES:
        province = province_list().filter(name=province_name).first()
        if province is None:  # administrative units not loaded: nothing to attach the demo to
            continue
        ctx = _Context(province, area_code, authority)
        for spec in specs:
            if tax_code(spec.tax_base) in existing:
                continue
            _create_subject(ctx, spec)
            subjects += 1
            products += len(spec.products)
    return f"demo: {subjects} subjects, {products} products"
