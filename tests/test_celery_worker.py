"""A real Celery worker against Redis, end to end: an invitation e-mail (see tests/worker.py)."""

import time

import pytest
from django_scopes import scopes_disabled

from partnerships import services
from partnerships.models import Invitation, Program, Role, User

pytestmark = [pytest.mark.worker]


def test_invitation_email_is_sent_by_a_real_worker(real_worker):
    with scopes_disabled():  # test setup outside a request
        program = Program.objects.create(name="Worker", slug="worker", coordinator_name="X")
        coordinator = User.objects.create_user("samordnare@example.com", "pw")
        invitation = services.invite_member(
            actor=coordinator, program=program, email="ny@example.com", role=Role.OBSERVER
        )
    deadline = time.monotonic() + 30
    sent_at = None
    while time.monotonic() < deadline:
        with scopes_disabled():  # polling the row the worker updates
            sent_at = Invitation.objects.get(pk=invitation.pk).email_sent_at
        if sent_at:
            break
        time.sleep(0.2)
    assert sent_at is not None, "the worker did not send the invitation within 30 s"
    messages = list(real_worker.glob("*.log"))
    assert len(messages) == 1
    body = messages[0].read_text()
    assert "ny@example.com" in body
    assert f"/inbjudan/{invitation.token}/" in body
