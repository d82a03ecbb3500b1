"""The meeting page and the club's reports read a fixed number of queries, however large the
club (pinned so that an N+1 shows up as a failing test)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.actions import user_sign_up
from kring.clubs import actions
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def _club_with(cast, members: int):
    everyone = [cast.alice, cast.bob]
    for i in range(members):
        user = user_sign_up(email=f"q{i}@example.be", password=PASSWORD, display_name=f"Q{i}")
        Membership.objects.create(workspace=cast.club, user=user)
        everyone.append(user)
    meetings = []
    for k in range(2):
        meeting = actions.meeting_create(
            actor=cast.alice,
            workspace=cast.club,
            title=f"Avond {k}",
            starts_at=NOW + dt.timedelta(days=7 * (k + 1)),
            tables=[(f"T{t}", 8, None) for t in range(4)],
            now=NOW,
        )
        for user in everyone:
            actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
        actions.guest_add(actor=cast.alice, meeting=meeting, name=f"Gast {k}")
        actions.meeting_seat(actor=cast.alice, meeting=meeting)
        meetings.append(meeting)
    for giver, receiver in itertools.pairwise(everyone):
        actions.referral_give(actor=giver, workspace=cast.club, receiver=receiver, contact="X")
        actions.one_to_one_log(actor=giver, workspace=cast.club, with_member=receiver)
    return meetings[-1]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = {
    # The reasons to meet at each table take five queries (asks, shared contacts, wishes,
    # introductions, referrals); the "want to meet" form two (fellow members, wishes).
    # Every page reads the member's clubs for the main menu (one query).
    "meeting (organiser)": (lambda c, m: reverse("meeting", args=[m.pk]), "alice", 19),
    "meeting (member)": (lambda c, m: reverse("meeting", args=[m.pk]), "bob", 11),
    # One more when a guest sits at the table (guests are found by name, members by e-mail).
    "my table": (lambda c, m: reverse("my_table", args=[m.pk]), "bob", (16, 17)),
    "ledger and report": (lambda c, m: reverse("club_ledger", args=[c.club.pk]), "alice", 19),
    "report as CSV": (
        lambda c, m: reverse("club_ledger", args=[c.club.pk]) + "?format=csv",
        "alice",
        10,
    ),
    "members": (lambda c, m: reverse("club_members", args=[c.club.pk]), "alice", 14),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_is_pinned_and_does_not_grow_with_the_club(cast, page):
    url_of, who, pinned = PAGES[page]
    with time_machine.travel(NOW, tick=False):
        small = _club_with(cast, 6)
        client = cast.client(getattr(cast, who))
        before = _count(client, url_of(cast, small))
        bigger = _club_with_more(cast, small, 14)
        after = _count(client, url_of(cast, bigger))
    allowed = pinned if isinstance(pinned, tuple) else (pinned,)
    assert before in allowed and after in allowed


def _club_with_more(cast, meeting, extra: int):
    for i in range(extra):
        user = user_sign_up(email=f"r{i}@example.be", password=PASSWORD, display_name=f"R{i}")
        Membership.objects.create(workspace=cast.club, user=user)
        actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
        actions.referral_give(actor=user, workspace=cast.club, receiver=cast.alice, contact="Y")
    actions.guest_add(actor=cast.alice, meeting=meeting, name="Nog een gast")
    actions.meeting_seat(actor=cast.alice, meeting=meeting)
    return meeting
