"""Site-wide middleware."""

from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import render

from partnerships.network import is_trusted_proxy


class UntrustedForwardedHeadersMiddleware:
    """Drop X-Forwarded-For and X-Forwarded-Proto unless the connection comes from a proxy.

    A client that reaches the application directly could otherwise claim any address (the rate
    limits) or HTTPS (``SECURE_PROXY_SSL_HEADER``). First in the chain, so that no middleware or
    view sees them; ``partnerships.network.client_address`` checks the proxy again on its own.
    """

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class SwedishByDefaultMiddleware:
    """Serve Swedish unless the visitor chose another language with the language switch.

    Trygga platser is a Swedish public-sector service: a browser that merely *accepts* English
    (most phones and laptops do) must still get Swedish. The explicit choice is kept in Django's
    language cookie, which ``LocaleMiddleware`` (placed right after this one) still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is too large with a Swedish 413, before reading it.

    Django limits a form's fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but spools uploaded files
    of any size to disk: an anonymous 200 MB POST to a survey was accepted. Nobody without a
    login sends a file (survey answers, login, password reset, an invitation's sign-up), so an
    anonymous request may be ``MAX_ANONYMOUS_REQUEST_KB``; a member's ``MAX_REQUEST_MB``, room
    for the largest upload and its form. A body without a length (chunked) is never read by
    Django's WSGI handler. Placed after the authentication middleware; the body is first read
    by CSRF's ``process_view``, which runs after this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The user is looked up only for a body above the anonymous limit (rare, and not a
        # session read per request).
        if length > settings.MAX_ANONYMOUS_REQUEST_KB * 1024 and length > self.limit(request):
            return render(request, "413.html", status=413)
        return self.get_response(request)

    @staticmethod
    def limit(request) -> int:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return settings.MAX_REQUEST_MB * 1024 * 1024
        return settings.MAX_ANONYMOUS_REQUEST_KB * 1024


class PrivateResponseMiddleware:
    """Headers every response needs: ``Permissions-Policy``, and ``Cache-Control: no-store`` on
    what a logged-in user gets (pages, PDFs, exports) and on every attachment.

    A shared computer in a municipal office must not keep a coordinator's pages, contact lists
    or reports in its browser cache for the next user. A view that chose its own caching keeps
    it (photos for a partner's phone on a poor connection, the dashboard map's ETag).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = settings.PERMISSIONS_POLICY
        self.permissions_policy = ", ".join(f"{f}=({' '.join(a)})" for f, a in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if "Cache-Control" not in response and (
            self._logged_in(request)
            or response.get("Content-Disposition", "").startswith("attachment")
        ):
            response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _logged_in(request) -> bool:
        user = getattr(request, "user", None)
        if user is None:
            return False
        try:
            return user.is_authenticated
        except DatabaseError:  # the database is down: it may have been someone's page
            return True
