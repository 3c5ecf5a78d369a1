"""Photos from phones: checked, re-encoded and stripped of all metadata before they are stored.

A photo taken on a phone carries EXIF with the GPS position, the device and the time; a public
record must not leak that. Every upload is decoded with Pillow (HEIC/HEIF through pillow-heif),
turned upright, scaled down to a sensible size and written as a fresh JPEG from the pixels only,
so nothing of the original file survives. Anything that is not a real JPEG, PNG or HEIC image,
or is too large, gets a Swedish message.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from partnerships.files import megabytes

try:  # HEIC from iPhones; optional so that a missing wheel only loses HEIC support
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover
    pass

ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "HEIF"}
MAX_PIXELS = 60_000_000  # 60 MP: above every phone camera, below a decompression bomb
MAX_SIDE = 2560


def max_photo_bytes() -> int:
    return getattr(settings, "MAX_PHOTO_MB", 15) * 1024 * 1024


def clean_photo(upload) -> ContentFile:
    """Validate ``upload`` and return a metadata-free JPEG ready to save to a FileField.

    Raises ``ValidationError`` with a Swedish message for a file that is too large, not an
    image, a broken image or an unsupported format.
    """
    if upload.size > max_photo_bytes():
        raise ValidationError(
            _("Bilden är för stor (%(size)s MB). Största tillåtna storlek är %(max)s MB.")
            % {
                "size": megabytes(upload.size),
                "max": max_photo_bytes() // 1024 // 1024,
            }
        )
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Bilden har för många bildpunkter."))
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(_("Bara foton i formaten JPEG, PNG eller HEIC kan laddas upp."))
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            # A new image from the pixels only: no EXIF, XMP, ICC or comments survive.
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        SyntaxError,
    ) as exc:
        raise ValidationError(
            _("Filen kunde inte läsas som en bild. Välj ett foto i formatet JPEG, PNG eller HEIC.")
        ) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
