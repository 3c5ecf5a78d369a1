"""Site-wide middleware."""


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
