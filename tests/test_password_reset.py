"""Password reset: an unknown address gets no e-mail, and the page does not tell it apart."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from partnerships.models import User

pytestmark = pytest.mark.django_db


def test_a_reset_for_an_unknown_address_mails_nothing_and_looks_the_same(client):
    user = User.objects.create_user(email="samordnare@example.com", password="x-Lösen-2026")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    unknown = client.post("/konto/password/reset/", {"email": "okand@example.com"})
    assert mail.outbox == []  # no link to the (closed) sign-up page, no mail at all
    known = client.post("/konto/password/reset/", {"email": user.email})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/konto/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    assert "signup" not in mail.outbox[0].body
