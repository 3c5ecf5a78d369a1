"""Drafts sent from a phone (static/js/drafts.js): the answer is JSON, not a page.

A phone that kept a form as a draft (no signal) sends it later with ``X-Trygga-Draft: 1``. It
must be able to tell "stored" from "refused" from "not reached": a stored draft answers
``{"stored": true}`` (201, or 200 when the client id was already stored), a refused one 422 with
the server's Swedish messages, and anything else (a login page, a 403, a 500) is neither, so
the phone keeps the draft and tries again.
"""

from django.http import JsonResponse

HEADER = "HTTP_X_TRYGGA_DRAFT"


def is_draft(request) -> bool:
    return request.META.get(HEADER) == "1"


def is_now(request) -> bool:
    """The user is on the form waiting for this answer (not a draft sent in the background)."""
    return request.META.get("HTTP_X_TRYGGA_DRAFT_NOW") == "1"


def stored(*, created: bool, url: str = "") -> JsonResponse:
    body = {"stored": True, "created": created, "url": url}
    return JsonResponse(body, status=201 if created else 200)


def refused(form) -> JsonResponse:
    """The form's messages, each prefixed with its field's label, in the order of the form."""
    messages = list(form.non_field_errors())
    fields = {}
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        label = form.fields[name].label if name in form.fields else name
        fields[name] = list(errors)
        messages.extend(f"{label}: {error}" for error in errors)
    return JsonResponse({"stored": False, "messages": messages, "fields": fields}, status=422)
