"""allauth adapter: accounts are created only by accepting an invitation."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Sign-up is open only while an invitation token waits in the session (see
        # partnerships.views.InvitationAcceptView); nobody can create an account on their own.
        return bool(request.session.get("invitation_token"))
