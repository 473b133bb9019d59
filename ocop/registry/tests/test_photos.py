import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.core.errors import ValidationError
from ocop.registry import photos
from ocop.registry.models import Product
from ocop.registry.services import product_create, product_update, subject_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # A private media folder per test, so "nothing written" is checked against an empty tree.
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _image_file(fmt="JPEG", size=(2400, 1200), name="anh.jpg", exif_orientation=None, mode="RGB"):
    image = Image.new(mode, size, (200, 120, 40) if mode == "RGB" else (200, 120, 40, 128))
    buffer = io.BytesIO()
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "Máy ảnh bí mật"  # Make: metadata that must not survive
        kwargs["exif"] = exif
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _media_files() -> set[str]:
    return {str(p) for p in settings.MEDIA_ROOT.rglob("*")}


@pytest.fixture
def subject(province_officer_a, commune_a):
    return subject_create(
        actor=province_officer_a, values={"name": "HTX Cà phê Cầu Đất", "commune": commune_a}, verified=True
    )


def _open_stored(name: str) -> Image.Image:
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_jpeg_photo_is_normalised_and_thumbnailed(province_officer_a, subject):
    # given a large JPEG rotated by EXIF and carrying camera metadata
    upload = _image_file(size=(2400, 1200), exif_orientation=6)

    # when
    product = product_create(actor=province_officer_a, subject=subject, values={"name": "Cà phê"}, photo=upload)

    # then the photo is upright (orientation 6 = rotate 90°), ≤ 1600 px, JPEG without EXIF
    product.refresh_from_db()
    photo = _open_stored(product.photo.name)
    assert photo.format == "JPEG" and photo.size == (800, 1600)
    assert not photo.getexif()
    thumb = _open_stored(product.thumbnail.name)
    assert product.thumbnail.name == photos.thumbnail_name(product.photo.name)
    assert product.thumbnail.name.endswith("_thumb.jpg") and max(thumb.size) == 400
    assert photos.product_photo_url(product).startswith(settings.MEDIA_URL)
    assert photos.product_thumbnail_url(product).endswith("_thumb.jpg")


def test_transparent_png_accepted_on_update_and_old_files_removed(
    province_officer_a, subject, django_capture_on_commit_callbacks
):
    product = product_create(
        actor=province_officer_a, subject=subject, values={"name": "Trà"}, photo=_image_file(size=(300, 200))
    )
    old = [product.photo.name, product.thumbnail.name]
    png = _image_file(fmt="PNG", size=(500, 500), name="tra.png", mode="RGBA")

    with django_capture_on_commit_callbacks(execute=True):
        product_update(actor=province_officer_a, product=product, values={}, photo=png)

    product.refresh_from_db()
    assert _open_stored(product.photo.name).size == (500, 500)
    assert _open_stored(product.photo.name).getpixel((0, 0))[0] > 200  # alpha composited on white, not black
    assert not any(default_storage.exists(name) for name in old)


def test_text_file_renamed_jpg_is_refused_and_nothing_written(province_officer_a, subject):
    before = _media_files()
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.7 this is not an image", content_type="image/jpeg")

    with pytest.raises(ValidationError) as caught:
        product_create(actor=province_officer_a, subject=subject, values={"name": "Cà phê"}, photo=fake)

    assert caught.value.code == "photo_invalid" and "photo" in caught.value.fields
    assert not Product.objects.exists()
    assert _media_files() == before == set()


def test_gif_is_refused_even_named_jpg(province_officer_a, subject):
    gif = _image_file(fmt="GIF", size=(10, 10), name="anh.jpg")

    with pytest.raises(ValidationError) as caught:
        photos.photo_prepare(upload=gif)

    assert caught.value.code == "photo_format"


def test_oversized_bytes_refused(province_officer_a, subject):
    before = _media_files()
    big = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff" + b"0" * photos.MAX_BYTES, content_type="image/jpeg")

    with pytest.raises(ValidationError) as caught:
        product_create(actor=province_officer_a, subject=subject, values={"name": "Cà phê"}, photo=big)

    assert caught.value.code == "photo_too_large"
    assert str(caught.value.fields["photo"][0]).startswith("Ảnh lớn hơn 5 MB")
    assert _media_files() == before


def test_oversized_dimensions_refused_before_decoding(province_officer_a, subject):
    # A PNG of 6001×10 compresses to a few hundred bytes: only the header check can catch it.
    wide = _image_file(fmt="PNG", size=(6001, 10), name="rong.png")
    product = product_create(actor=province_officer_a, subject=subject, values={"name": "Atisô"})
    before = _media_files()

    with pytest.raises(ValidationError) as caught:
        product_update(actor=province_officer_a, product=product, values={"name": "Atisô khô"}, photo=wide)

    assert caught.value.code == "photo_dimensions"
    product.refresh_from_db()
    assert product.name == "Atisô" and not product.photo
    assert _media_files() == before
