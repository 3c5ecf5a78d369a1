"""The shared WeasyPrint renderer: Swedish text, the print stylesheet, and no network access."""

import io

import pytest
from django.template import engines
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from partnerships.pdf import BASE_URL, LocalURLFetcher, render_pdf


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_render_pdf_contains_swedish_text_and_page_numbers(tmp_path, settings):
    settings.TEMPLATES[0]["DIRS"].append(tmp_path)
    engines._engines = {}  # pick up the extra template dir
    (tmp_path / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Åtgärder på Torget</h1>'
        '<table class="table"><tr><td>Belysning vid Busstorget</td></tr></table>'
        "{% endblock %}",
        encoding="utf-8",
    )
    pdf = render_pdf("probe.html", {})
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Åtgärder på Torget" in text
    assert "Belysning vid Busstorget" in text
    assert "Sida 1 av 1" in text


def test_fetcher_serves_static_files_from_the_finders():
    response = LocalURLFetcher().fetch(BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "https://example.com/tracker.png",
        "file:///etc/passwd",
        BASE_URL + "media/agreements/secret.pdf",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="refused"):
        LocalURLFetcher().fetch(url)


def test_fetcher_is_a_weasyprint_70_fetcher():
    assert issubclass(LocalURLFetcher, URLFetcher)
