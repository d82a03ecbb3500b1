import datetime as dt
import re
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from kring.accounts.actions import user_update_settings
from kring.cli.main import main as kring
from kring.people.models import Relationship
from kring.planner import actions
from kring.planner.digest import send_digests
from kring.planner.models import TierProposal
from tests.planner.conftest import NOW

pytestmark = pytest.mark.django_db


def test_it_proposes_tiers_and_takes_a_decision_or_an_override(cast, network):
    proposals = actions.tier_review_propose(user=cast.alice, now=NOW)
    assert proposals, "Dirk (C, silent for a year) and others get proposals"
    first, *rest = proposals
    actions.tier_review_decide(actor=cast.alice, proposal=first, tier=first.proposed)
    assert Relationship.objects.get(pk=first.relationship_id).tier == first.proposed
    assert TierProposal.objects.get(pk=first.pk).decision == "accepted"
    if rest:
        other = "A" if rest[0].proposed != "A" else "B"
        actions.tier_review_decide(actor=cast.alice, proposal=rest[0], tier=other)
        assert TierProposal.objects.get(pk=rest[0].pk).decision == "overridden"
    with pytest.raises(ValidationError):
        actions.tier_review_decide(actor=cast.alice, proposal=first, tier="A")


def test_it_refuses_an_unknown_tier(cast, network):
    [proposal, *_] = actions.tier_review_propose(user=cast.alice, now=NOW)
    with pytest.raises(ValidationError):
        actions.tier_review_decide(actor=cast.alice, proposal=proposal, tier="Z")


def test_it_serves_a_valid_calendar_feed_until_revoked(cast, network, client):
    _plan, touches = actions.week_plan_build(user=cast.alice, now=NOW)
    _feed, token = actions.feed_create(user=cast.alice)
    with time_machine.travel(NOW):
        response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == len(touches) > 0
    wrong = client.get(reverse("calendar_feed", args=["nonsense"]))
    actions.feed_revoke(user=cast.alice)
    revoked = client.get(reverse("calendar_feed", args=[token]))
    assert wrong.status_code == revoked.status_code == 404
    assert wrong.content == revoked.content


def test_it_puts_each_touch_in_the_feed_as_an_event(cast, network):
    from kring.planner.calendar import touches_calendar

    _plan, touches = actions.week_plan_build(user=cast.alice, now=NOW)
    calendar = Calendar.from_ical(touches_calendar(cast.alice, touches, now=NOW))
    events = calendar.walk("VEVENT")
    assert len(events) == len(touches)
    names = {t.person.full_name for t in touches}
    assert all(any(n in str(e["SUMMARY"]) for n in names) for e in events)
    assert all(e.decoded("DTEND") > e.decoded("DTSTART") for e in events)
    assert {str(e["UID"]) for e in events} == {f"touch-{t.pk}@kring" for t in touches}


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_it_sends_the_digest_over_smtp_in_the_users_language(cast, network, smtp):
    user_update_settings(user=cast.alice, language="nl")
    run = send_digests(users=[cast.alice], now=NOW)
    assert run.sent == ["alice@example.be"]
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["alice@example.be"]
    from email import message_from_bytes

    message = message_from_bytes(envelope.content)
    subject = str(message["Subject"])
    body = message.get_payload(decode=True).decode()
    assert "week van" in subject.lower()
    assert "Anna Aerts" in body and "Bert Bakker" in body
    assert "Dirk Dewulf" not in body  # C-tier
    # Once a week: a second run sends nothing.
    assert send_digests(users=[cast.alice], now=NOW).skipped == ["alice@example.be"]
    assert len(smtp.messages) == 1


def test_it_refuses_a_digest_for_a_user_without_an_address(cast, network, smtp):
    type(cast.charlie).objects.filter(pk=cast.charlie.pk).update(email="")
    cast.charlie.refresh_from_db()
    run = send_digests(users=[cast.charlie], now=NOW)
    assert run.refused and not run.sent
    assert smtp.messages == []


def test_it_sends_digests_and_plans_from_the_cli(cast, network, smtp, capsys, monkeypatch):
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    assert kring(["plan", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"touches"' in out
    assert kring(["plan"]) == 0
    assert re.search(r"of 120 min", capsys.readouterr().out)
    assert kring(["digest", "--user", cast.alice.email, "--force"]) == 0
    assert "sent 1" in capsys.readouterr().out
    assert kring(["plan", "--week", "next tuesday"]) == 2
    assert "--week" in capsys.readouterr().err


def test_it_refuses_a_digest_from_the_cli_for_a_user_without_an_address(
    cast, smtp, capsys, monkeypatch
):
    monkeypatch.setattr("kring.cli.django.resolve_user", lambda email: _without_address(cast))
    assert kring(["digest", "--user", "charlie@example.com", "--force"]) == 2
    assert "no e-mail address" in capsys.readouterr().err
    assert smtp.messages == []


def _without_address(cast):
    type(cast.charlie).objects.filter(pk=cast.charlie.pk).update(email="")
    cast.charlie.refresh_from_db()
    return cast.charlie


def test_it_plans_a_person_again_after_a_snooze_ends(cast, network):
    eva = network["Eva"]
    actions.week_plan_build(user=cast.alice, now=NOW)
    later = NOW + dt.timedelta(days=120)
    rel = Relationship.objects.get(person=eva)
    assert rel.snoozed_until is not None and rel.snoozed_until < later.date()
    _plan, touches = actions.week_plan_build(user=cast.alice, now=later)
    assert eva.pk in {t.person_id for t in touches}
