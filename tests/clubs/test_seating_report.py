"""The plan's report speaks of tonight, keeps the season apart, and says what the dial did."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from kring.accounts.actions import user_sign_up, user_update_settings
from kring.clubs import actions
from kring.clubs.models import Meeting
from kring.clubs.reports import dial_meaning, seating_lines
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def club(cast):
    members = [cast.alice, cast.bob]
    for i in range(6):
        user = user_sign_up(email=f"r{i}@example.be", password=PASSWORD, display_name=f"R{i}")
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    cast.members = members
    return cast


def _seated_meeting(cast, days, tables, policy=0.0):
    meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title=f"Avond {days}",
        starts_at=NOW + dt.timedelta(days=days),
        tables=tables,
        now=NOW,
    )
    for user in cast.members:
        actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
    return actions.meeting_seat(actor=cast.alice, meeting=meeting, policy=policy)


def test_the_report_counts_tonight_against_a_bound_for_tonight(club):
    # Two tables of four, twice: some pairs must meet again the second time.
    _seated_meeting(club, 3, [("A", 4, None), ("B", 4, None)])
    second = _seated_meeting(club, 10, [("A", 4, None), ("B", 4, None)])
    tonight = second.report["tonight"]
    assert 0 < tonight["lower_bound"] <= tonight["repeats"]
    assert sum(n for _t, n in tonight["by_times"]) == tonight["repeats"]
    assert second.report["season"]["most_times"] >= 2
    page = club.client(club.alice).get(reverse("meeting", args=[second.pk])).content.decode()
    assert "sit together again tonight" in page or "sits together again tonight" in page
    assert "Over the season:" in page and 'data-line="dial"' in page


def test_a_first_meeting_says_nobody_sits_with_someone_again(club):
    first = _seated_meeting(club, 3, [("A", 4, None), ("B", 4, None)])
    lines = {line.key: line.text for line in seating_lines(first.report)}
    assert lines["tonight"] == "Nobody sits with someone they sat with before; every rule kept."
    assert lines["season"].startswith("Over the season: 0 repeats")


def test_the_third_time_is_named():
    report = {
        "repeated_pairs": 40,
        "kept_apart": 1,
        "hard_violations": [],
        "tonight": {"repeats": 6, "by_times": [[2, 4], [3, 2]], "lower_bound": 2},
        "season": {"repeated_pairs": 40, "most_times": 3},
    }
    lines = {line.key: line.text for line in seating_lines(report)}
    assert lines["tonight"] == (
        "6 pairs sit together again tonight, 2 of them for the third time; no competitors "
        "share a table (1 pair kept apart); at least 2 were unavoidable, given earlier meetings."
    )
    assert lines["season"] == (
        "Over the season: 40 repeats of pairs at a table; no pair more than 3 times."
    )
    with translation.override("nl"):
        dutch = {line.key: line.text for line in seating_lines(report)}
    assert dutch["tonight"].startswith(
        "6 paren zitten vanavond opnieuw samen, 2 daarvan voor de derde keer"
    )


def test_a_report_from_before_tonights_figures_still_renders(club):
    first = _seated_meeting(club, 3, [("A", 4, None), ("B", 4, None)])
    Meeting.objects.filter(pk=first.pk).update(
        report={
            "repeated_pairs": 3,
            "max_pair_meetings": 2,
            "hard_violations": [],
            "lower_bound": 0,
            "kept_apart": 0,
            "moved": None,
        }
    )
    page = club.client(club.alice).get(reverse("meeting", args=[first.pk]))
    assert page.status_code == 200
    line = "3 pairs sit together again · every rule kept · best possible: 0"
    assert line in page.content.decode()


def test_the_dial_is_explained_in_words_at_every_setting(club):
    meanings = [dial_meaning(v / 10) for v in range(11)]
    assert meanings[0].startswith("0 · Meet new people")
    assert meanings[10].startswith("1 · Deepen ties on the road to five")
    assert len(set(meanings)) == 5
    first = _seated_meeting(club, 3, [("A", 4, None), ("B", 4, None)], policy=0.7)
    page = club.client(club.alice).get(reverse("meeting", args=[first.pk])).content.decode()
    assert 'id="dial-meaning"' in page and "Deepen ties: pairs on the road to five" in page
    assert "Dial at 0.7:" in page
    # A Dutch page writes 0,7, but the slider keeps the meeting's setting (a decimal comma in
    # its value would put it in the middle, and the next seating at 0.5).
    user_update_settings(user=club.alice, language="nl")
    page = club.client(club.alice).get(reverse("meeting", args=[first.pk])).content.decode()
    assert 'name="policy" id="policy" min="0" max="1" step="0.1" value="0.7"' in page
    assert "Schuif op 0,7:" in page
