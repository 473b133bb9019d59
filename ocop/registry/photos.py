"""Product photos: checked, normalised and thumbnailed in the service layer (DESIGN.md §9 upload checks).

An upload is judged by its content, decoded with Pillow — never by its file name or declared content type, so
a PDF or ZIP renamed `.jpg` is refused. Accepted photos are re-encoded as JPEG (EXIF orientation applied,
metadata dropped, long side ≤ 1600 px) and get a 400 px thumbnail stored beside them as `<name>_thumb.jpg`.
Validation happens entirely in memory before anything is written, so a refused upload leaves no file behind.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ocop.core.errors import ValidationError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PHOTO_LONG_SIDE = 1600
THUMB_LONG_SIDE = 400
JPEG_QUALITY = 85
THUMB_SUFFIX = "_thumb.jpg"


@dataclass(frozen=True)
class PreparedPhoto:
    """A validated, normalised photo and its thumbnail, as JPEG bytes not yet written anywhere."""

    photo: bytes
    thumbnail: bytes
    width: int
    height: int


def _refuse(code: str, message) -> ValidationError:
    return ValidationError(message, code=code, fields={"photo": [message]})


def _read_limited(upload) -> bytes:
    """Read at most MAX_BYTES + 1 bytes: a declared size can lie, and a huge body must not fill memory."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse("photo_too_large", _("Ảnh lớn hơn 5 MB. Hãy chọn ảnh nhỏ hơn."))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse("photo_too_large", _("Ảnh lớn hơn 5 MB. Hãy chọn ảnh nhỏ hơn."))
    if not data:
        raise _refuse("photo_empty", _("Tệp ảnh rỗng."))
    return data


def _open_checked(data: bytes) -> Image.Image:
    """Decode `data`, refusing non-images, other formats and oversized dimensions before the pixels load."""
    invalid = _("Tệp không phải là ảnh hợp lệ. Chỉ nhận ảnh JPEG, PNG hoặc WebP.")
    try:
        # Image.open reads only the header, so the dimension check below runs before any pixel is decoded
        # (a small file can declare a gigantic canvas: a decompression bomb).
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise _refuse("photo_invalid", invalid) from exc
    if image.format not in ALLOWED_FORMATS:
        raise _refuse("photo_format", invalid)
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _refuse(
            "photo_dimensions",
            _("Ảnh quá lớn (%(width)s×%(height)s điểm ảnh); tối đa 6000×6000.") % {"width": width, "height": height},
        )
    try:
        image.load()  # a truncated or corrupt body fails here rather than later in the thumbnailer
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _refuse("photo_invalid", invalid) from exc
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """JPEG has no alpha: transparent areas become white rather than the black Pillow would give."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif/icc arguments: the re-encoded file carries no metadata (camera, GPS position, owner).
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def photo_prepare(*, upload) -> PreparedPhoto:
    """Validate and normalise an uploaded photo in memory. Writes nothing.

    `upload` is any file-like object with `read()` (a Django UploadedFile, a ContentFile). Raises
    ValidationError(code=photo_too_large | photo_empty | photo_invalid | photo_format | photo_dimensions,
    fields={"photo": [...]}).
    """
    image = _open_checked(_read_limited(upload))
    image = _to_rgb(ImageOps.exif_transpose(image))
    image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.LANCZOS)
    return PreparedPhoto(photo=_jpeg(image), thumbnail=_jpeg(thumb), width=image.width, height=image.height)


def thumbnail_name(photo_name: str) -> str:
    """`products/2026/05/abc.jpg` → `products/2026/05/abc_thumb.jpg`."""
    stem = photo_name.rsplit(".", 1)[0] if "." in photo_name.rsplit("/", 1)[-1] else photo_name
    return f"{stem}{THUMB_SUFFIX}"


def photo_attach(*, product, prepared: PreparedPhoto) -> list[str]:
    """Write the photo and its thumbnail to storage and point `product.photo` / `product.thumbnail` at them.

    Does not save the product. Returns the stored names, so a caller whose save fails can remove them.
    A random name means a new photo never overwrites a file that an older page or history row still shows.
    """
    folder = timezone.now().strftime("products/%Y/%m")
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}.jpg", ContentFile(prepared.photo))
    thumb = default_storage.save(thumbnail_name(name), ContentFile(prepared.thumbnail))
    product.photo.name = name
    product.thumbnail.name = thumb
    return [name, thumb]


def photo_files_delete(names) -> None:
    """Remove stored files (after a failed save, or once a replaced photo is no longer referenced)."""
    for name in names:
        if name:
            default_storage.delete(name)


def product_photo_url(product) -> str:
    """URL of the product's normalised photo, or "" when it has none."""
    return default_storage.url(product.photo.name) if product.photo else ""


def product_thumbnail_url(product) -> str:
    """URL of the 400 px thumbnail: the recorded one, else the name derived from the photo; "" without a photo."""
    if product.thumbnail:
        return default_storage.url(product.thumbnail.name)
    if product.photo:
        return default_storage.url(thumbnail_name(product.photo.name))
    return ""
