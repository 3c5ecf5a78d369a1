"""Logins that end: after a while without a request, and some hours after they began."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

#: Session keys: when this login began and when its user was last seen (epoch seconds).
SESSION_STARTED = "_login_started"
SESSION_SEEN = "_login_seen"
#: The last-seen time is written at most this often (a session write per request is waste).
SEEN_RESOLUTION = 60


def start_clocks(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: a new login's clocks start now, whichever way it logged in (allauth,
    a password reset, a test's force_login), in the same session write as the login itself."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = int(time.time())


class SessionTimeoutMiddleware:
    """Log out after ``SESSION_IDLE_MINUTES`` without a request, and ``SESSION_MAX_HOURS`` after
    the login whatever happens (DESIGN: 30 minutes idle, 12 hours absolute for staff; everyone
    with a login is staff of some organisation, residents have none).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.setdefault(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_MINUTES * 60
            if idle or now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                if idle:
                    text = _("Du loggades ut efter %(n)s minuter utan aktivitet. Logga in igen.")
                    n = settings.SESSION_IDLE_MINUTES
                else:
                    text = _("Du loggades ut efter %(n)s timmar. Logga in igen.")
                    n = settings.SESSION_MAX_HOURS
                messages.info(request, text % {"n": n})
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if now - seen >= SEEN_RESOLUTION or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)
