"""Photo uploads: real images only, re-encoded, with all EXIF (GPS included) removed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from platser.photos import clean_photo


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (60.0, 8.0, 40.0), 3: "E", 4: (16.0, 10.0, 3.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_clean_photo_removes_gps_exif():
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # the fixture has GPS
    cleaned = clean_photo(SimpleUploadedFile("foto.jpg", original, "image/jpeg"))
    stored = Image.open(io.BytesIO(cleaned.read()))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in cleaned.read()
    assert cleaned.name.endswith(".jpg")


def test_clean_photo_accepts_png_with_transparency():
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(out, format="PNG")
    cleaned = clean_photo(SimpleUploadedFile("bild.png", out.getvalue(), "image/png"))
    assert Image.open(io.BytesIO(cleaned.read())).size == (100, 50)


def test_clean_photo_scales_down_huge_images():
    out = io.BytesIO()
    Image.new("RGB", (5000, 2500)).save(out, format="JPEG")
    cleaned = clean_photo(SimpleUploadedFile("stor.jpg", out.getvalue(), "image/jpeg"))
    assert Image.open(io.BytesIO(cleaned.read())).size == (2560, 1280)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.jpg", b"MZ\x90\x00 not an image at all", "kunde inte läsas som en bild"),
        ("trasig.jpg", _jpeg_with_gps()[:200], "kunde inte läsas som en bild"),
        ("bild.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "JPEG, PNG eller HEIC"),
    ],
)
def test_clean_photo_rejects_hostile_or_broken_files(name, content, message):
    with pytest.raises(ValidationError, match=message):
        clean_photo(SimpleUploadedFile(name, content, "image/jpeg"))


def test_clean_photo_rejects_oversized_files(settings):
    settings.MAX_PHOTO_MB = 1
    big = SimpleUploadedFile("stor.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10), "image/jpeg")
    with pytest.raises(ValidationError, match="för stor"):
        clean_photo(big)
