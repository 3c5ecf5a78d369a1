"""The public link of a survey as a QR code (SVG, made on the server) and an A4 poster PDF."""

from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from partnerships.pdf import render_pdf

from .models import Survey


def public_url(survey: Survey, place=None) -> str:
    """The absolute answering link; with ``place`` it preselects it (multi-place surveys)."""
    url = settings.SITE_URL + reverse("surveys_public:answer", kwargs={"token": survey.token})
    if place is not None and survey.places.count() > 1:
        url += "?" + urlencode({"plats": place.pk})
    return url


def qr_svg(url: str) -> str:
    """An SVG QR code (paths only, no inline styles) for ``url``."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # Hand-made, not user input: safe to inline in a page or a PDF.
    label = escape(_("QR-kod till enkäten: %(url)s") % {"url": url})
    opening, body = svg.replace(' id="qr-path"', "").split(">", 1)  # "<svg …", the paths
    opening = opening.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    # The <title> is also the figure's alternative text in the tagged PDF.
    return mark_safe(f"{opening}><title>{label}</title>{body}")


def poster_pdf(*, survey: Survey, place) -> bytes:
    """An A4 poster for ``place``: the question, the QR code, the short link and the dates."""
    url = public_url(survey, place)
    return render_pdf(
        "surveys/pdf/poster.html",
        {
            "survey": survey,
            "place": place,
            "url": url,
            "short_url": url.split("://", 1)[-1],
            "qr": qr_svg(url),
        },
    )
