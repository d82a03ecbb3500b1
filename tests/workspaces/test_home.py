"""The club's home page shows the club: the next meeting, the members' open asks and the
viewer's own referrals, in a number of queries that does not grow with the club."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kring.clubs import actions as club_actions
from kring.people import actions
from tests.clubs.test_query_counts import NOW, _club_with, _club_with_more, _count

pytestmark = pytest.mark.django_db


def test_it_shows_the_next_meeting_open_asks_and_my_referrals(cast):
    with time_machine.travel(NOW, tick=False):
        meeting = club_actions.meeting_create(
            actor=cast.alice,
            workspace=cast.club,
            title="Kerstdiner",
            starts_at=NOW + dt.timedelta(days=3),
            tables=[("A", 8, None)],
            now=NOW,
        )
        club_actions.attendance_answer(actor=cast.bob, meeting=meeting, answer="yes")
        actions.ask_create(owner=cast.bob, text="Een fiscalist voor een overname")
        actions.ask_create(owner=cast.charlie, text="Charlies geheime vraag")
        actions.ask_create(owner=cast.alice, text="Iets over Jan alleen", person=cast.jan)
        club_actions.referral_give(
            actor=cast.bob, workspace=cast.club, receiver=cast.alice, contact="Marieke Claes"
        )
        html = cast.client(cast.bob).get(reverse("workspace", args=[cast.club.pk])).content
    page = html.decode()
    assert "Kerstdiner" in page
    assert reverse("my_table", args=[meeting.pk]) in page  # Bob comes
    assert "Een fiscalist voor een overname" in page
    assert "Charlies geheime vraag" not in page  # not a member
    assert "Iets over Jan alleen" not in page  # an ask about a person in Alice's file
    assert "Marieke Claes" in page


def test_the_club_home_reads_a_fixed_number_of_queries(cast):
    url = reverse("workspace", args=[cast.club.pk])
    with time_machine.travel(NOW, tick=False):
        small = _club_with(cast, 6)
        client = cast.client(cast.alice)
        before = _count(client, url)
        _club_with_more(cast, small, 14)
        after = _count(client, url)
    assert before == after
