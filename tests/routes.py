"""The project's routes, read from the live URL resolver, for the tests generated over every
route (isolation, query counts)."""

from django.urls import URLPattern, URLResolver, get_resolver

PROGRAM_PREFIX = "p/<slug:program>/"


def walk(patterns=None, prefix="", namespace=""):
    """``(url name, full route, callback)`` for every pattern."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
            yield name, route, entry.callback


def collect_routes() -> dict[str, str]:
    """``{url name: full route}`` for every pattern."""
    return {name: route for name, route, _callback in walk()}


def program_routes() -> list[str]:
    """The names of the routes under ``/p/<program>/``."""
    return sorted(
        name for name, route in collect_routes().items() if route.startswith(PROGRAM_PREFIX)
    )
