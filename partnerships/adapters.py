"""allauth adapter: accounts are created only by accepting an invitation; login limits that
cannot lock the real user out (partnerships/login_limits.py); one client address for every
rate limit (partnerships/network.py)."""

from allauth.account.adapter import DefaultAccountAdapter

from . import login_limits
from .network import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Sign-up is open only while an invitation token waits in the session (see
        # partnerships.views.InvitationAcceptView); nobody can create an account on their own.
        return bool(request.session.get("invitation_token"))

    def get_client_ip(self, request) -> str:
        return client_address(request)

    def pre_authenticate(self, request, **credentials) -> None:
        login = credentials.get("email") or credentials.get("username") or ""
        self._login_failed_rl_usage = login_limits.consume_password_attempt(request, login)
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # Called by allauth for each of the user's addresses after a completed password reset.
        login_limits.clear_account(request, credentials.get("email") or "")

    def post_login(self, request, user, **kwargs):
        # Reached only once every step of the login is done (password or reset, then TOTP).
        response = super().post_login(request, user, **kwargs)
        if response is not None:
            login_limits.remember_device(request, response, user)
        return response
