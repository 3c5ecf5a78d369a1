"""Serving stored files (agreements, photos, report PDFs) whatever the storage behind them.

Files are never public: a view checks the permission, then calls :func:`file_response`, which
streams the file from the storage through the response. On the local disk that is Django's own
``FileResponse`` over the open file; in an S3-compatible bucket it streams the object's body as
it arrives (no copy in memory or on the web node's disk first), so a photo uploaded through one
web node downloads through any other. No signed URL is handed to the browser: the bucket may sit
on an internal network, and the page's Content Security Policy (``img-src 'self'``) holds.
"""

import logging
import os

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.formats import number_format

logger = logging.getLogger(__name__)


def megabytes(size: int) -> str:
    """``size`` bytes as megabytes with one decimal in the current language ("11,0" in
    Swedish), for messages about file sizes."""
    return number_format(size / 1024 / 1024, decimal_pos=1)


def is_bucket(storage) -> bool:
    """True when ``storage`` is django-storages' S3 backend (the bucket, not the local disk)."""
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def file_response(
    field: FieldFile,
    *,
    content_type: str,
    filename: str = "",
    as_attachment: bool = False,
    private_cache_seconds: int | None = None,
) -> FileResponse:
    """Stream the file behind ``field`` to the browser, after the caller's permission check.

    An empty field, or a row whose file is gone from the storage, is a 404, not a 500.
    ``private_cache_seconds`` lets the browser (never a shared cache) keep the file.
    """
    if not field:
        raise Http404
    try:
        opened = field.storage.open(field.name, "rb")
    except FileNotFoundError:
        logger.warning("Stored file %s is missing", field.name)
        raise Http404 from None
    length = None
    if is_bucket(field.storage):
        # S3File would download the whole object before the first byte is sent: stream the
        # body of one GET instead. (Opening it above checked that the object exists.)
        reply = opened.obj.get()
        stream, length = reply["Body"], reply["ContentLength"]
    else:
        stream = opened
    response = FileResponse(
        stream,
        content_type=content_type,
        filename=filename or os.path.basename(field.name),
        as_attachment=as_attachment,
    )
    if length is not None:
        response["Content-Length"] = str(length)
    if private_cache_seconds is not None:
        response["Cache-Control"] = f"private, max-age={private_cache_seconds}"
    return response
