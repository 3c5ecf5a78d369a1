"""PDF rendering with WeasyPrint 70, shared by minutes, walk protocols, posters and reports.

Every PDF is an HTML template extending ``pdf/base.html`` with the one print stylesheet
(``static/css/pdf.css``, built on the same custom properties as the web stylesheet). Resources
are resolved without any network access: ``/static/`` from Django's static finders (or
STATIC_ROOT), ``/media/`` only for files the caller lists, ``data:`` URLs as they are; every
other URL is refused, so a user-supplied link in a text field can never make the server fetch
anything.
"""

import mimetypes
from collections.abc import Iterable

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://pdf.trygga-platser.invalid/"


class LocalURLFetcher(URLFetcher):
    """Serve static files and allowed media from disk; refuse everything else."""

    def __init__(self, *, media: Iterable[str] = (), **kwargs):
        super().__init__(**kwargs)
        self.media = set(media)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(BASE_URL):
            raise ValueError(f"PDF resource refused: {url}")
        path = url.removeprefix(BASE_URL).split("?")[0]
        static_prefix = settings.STATIC_URL.lstrip("/")
        media_prefix = settings.MEDIA_URL.lstrip("/")
        if path.startswith(static_prefix):
            name = path.removeprefix(static_prefix)
            found = finders.find(name) or (settings.STATIC_ROOT / name)
            with open(found, "rb") as fh:
                data = fh.read()
        elif path.startswith(media_prefix) and path.removeprefix(media_prefix) in self.media:
            with default_storage.open(path.removeprefix(media_prefix), "rb") as fh:
                data = fh.read()
        else:
            raise ValueError(f"PDF resource refused: {url}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": content_type})


def render_pdf(
    template_name: str, context: dict, *, media: Iterable[str] = (), language: str | None = None
) -> bytes:
    """Render ``template_name`` to a tagged PDF (PDF/UA-1) in ``language`` (Swedish unless
    given).

    Tagged means a structure tree in reading order (headings, paragraphs, tables, figures with
    their ``alt`` or ``aria-label`` as alternative text), ``/Lang`` from ``<html lang>`` and the
    title from ``<title>`` shown in the viewer's title bar, as the accessibility law
    (DOS-lagen) expects of a public body's documents.

    ``media`` lists storage names (e.g. photo paths) the template may embed via
    ``{{ MEDIA_URL }}<name>``; nothing else from media storage can be read.
    """
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                "STATIC_URL": settings.STATIC_URL,
                "MEDIA_URL": settings.MEDIA_URL,
                "PDF_LANGUAGE": language,
                **context,
            },
        )
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalURLFetcher(media=media))
        return document.write_pdf(pdf_variant="pdf/ua-1")
