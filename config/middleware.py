"""Site-wide middleware."""

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
