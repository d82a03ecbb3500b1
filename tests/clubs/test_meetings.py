"""A club evening: the organiser plans it, members answer, everyone gets a seat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kring.accounts.actions import user_sign_up
from kring.clubs import actions
from kring.clubs.models import Attendance, Meeting
from kring.clubs.queries import sat_with
from kring.lib.errors import NotFound, PermissionDenied
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
EVENING = dt.datetime(2026, 12, 3, 19, tzinfo=dt.UTC)


@pytest.fixture
def club(cast):
    members = [cast.alice, cast.bob]
    for i in range(6):
        user = user_sign_up(email=f"m{i}@example.be", password=PASSWORD, display_name=f"M{i}")
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    cast.members = members
    return cast


def _meeting(cast, when=EVENING, tables=None):
    tables = tables or [("Tafel 1", 4, cast.alice), ("Tafel 2", 4, None)]
    return actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Clubavond",
        starts_at=when,
        tables=tables,
        now=NOW,
    )


def _everyone_comes(cast, meeting, who=None):
    for user in who or cast.members:
        actions.attendance_answer(actor=user, meeting=meeting, answer="yes")


def test_it_seats_everyone_who_comes_with_the_host_at_their_table(club):
    meeting = _meeting(club)
    _everyone_comes(club, meeting)
    actions.meeting_seat(actor=club.alice, meeting=meeting)
    seated = Attendance.objects.filter(meeting=meeting)
    assert all(a.table is not None for a in seated)
    assert seated.get(user=club.alice).table.name == "Tafel 1"
    for table in meeting.tables.all():
        assert table.seated.count() <= table.capacity
    assert meeting.report["hard_violations"] == []


def test_it_keeps_locked_seats_when_seating_again(club):
    meeting = _meeting(club)
    _everyone_comes(club, meeting)
    actions.meeting_seat(actor=club.alice, meeting=meeting)
    bob = Attendance.objects.get(meeting=meeting, user=club.bob)
    other = meeting.tables.exclude(pk=bob.table_id).get()
    # A last-minute cancellation at the other table makes room; the organiser moves Bob there
    # and locks him in, then seats everyone again.
    leaver = other.seated.exclude(user=club.alice).first()
    actions.attendance_answer(actor=leaver.user, meeting=meeting, answer="no")
    actions.seat_move(actor=club.alice, attendance=bob, table=other, locked=True)
    actions.meeting_seat(actor=club.alice, meeting=meeting, seed=7)
    bob.refresh_from_db()
    assert bob.table_id == other.pk and bob.locked
    assert Attendance.objects.get(pk=leaver.pk).table is None
    assert Attendance.objects.get(meeting=meeting, user=club.alice).table.name == "Tafel 1"


def test_it_avoids_last_evenings_table_mates(club):
    first = _meeting(club, when=dt.datetime(2026, 11, 30, 19, tzinfo=dt.UTC))
    _everyone_comes(club, first)
    actions.meeting_seat(actor=club.alice, meeting=first)
    second = _meeting(club)
    _everyone_comes(club, second)
    actions.meeting_seat(actor=club.alice, meeting=second, policy=0.0)
    # 8 people at 2 tables of 4, twice: at least 4 pairs must repeat; the engine gets close.
    assert second.report["repeated_pairs"] <= 8
    mates = sat_with(club.bob, second)
    assert len(mates) == 3


@pytest.mark.parametrize(
    ("tables", "field"),
    [([], "tables"), ([("A", 4, None), ("A", 4, None)], "tables")],
)
def test_it_refuses_bad_tables(club, tables, field):
    with pytest.raises(ValidationError) as caught:
        actions.meeting_create(
            actor=club.alice,
            workspace=club.club,
            title="X",
            starts_at=EVENING,
            tables=tables,
            now=NOW,
        )
    assert field in caught.value.error_dict
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_in_the_past(club):
    with pytest.raises(ValidationError) as caught:
        _meeting(club, when=NOW - dt.timedelta(days=1))
    assert "starts_at" in caught.value.error_dict


def test_it_refuses_more_people_than_seats_and_an_absent_host(club):
    meeting = _meeting(club, tables=[("Tafel 1", 3, club.alice), ("Tafel 2", 3, None)])
    _everyone_comes(club, meeting)
    with pytest.raises(ValidationError) as caught:
        actions.meeting_seat(actor=club.alice, meeting=meeting)
    assert "8 people are coming" in str(caught.value)
    big = _meeting(club)
    _everyone_comes(club, big, who=club.members[1:])
    with pytest.raises(ValidationError) as caught:
        actions.meeting_seat(actor=club.alice, meeting=big)
    assert "Alice hosts Tafel 1 but has not answered yet." in str(caught.value)
    assert not Attendance.objects.filter(table__isnull=False).exists()


def test_it_lets_only_organisers_seat_and_hides_meetings_from_outsiders(club):
    meeting = _meeting(club)
    with pytest.raises(PermissionDenied):
        actions.meeting_seat(actor=club.bob, meeting=meeting)
    with pytest.raises(NotFound):
        actions.attendance_answer(actor=club.charlie, meeting=meeting, answer="yes")
    charlie = club.client(club.charlie)
    for name in ("meeting", "my_table"):
        assert charlie.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert charlie.post(reverse("meeting_seat", args=[meeting.pk])).status_code == 404
    assert club.client(club.bob).post(reverse("meeting_seat", args=[meeting.pk])).status_code == 403


def test_it_runs_the_evening_through_the_pages(club):
    alice = club.client(club.alice)
    response = alice.post(
        reverse("meetings", args=[club.club.pk]),
        {
            "title": "Kerstdiner",
            "starts_at": "2099-12-18T19:00",
            "venue": "Hasselt",
            "tables": "Tafel 1, 4, alice@example.be\nTafel 2, 4",
        },
    )
    meeting = Meeting.objects.get(title="Kerstdiner")
    assert response.url == reverse("meeting", args=[meeting.pk])
    for user in club.members:
        club.client(user).post(reverse("meeting_answer", args=[meeting.pk]), {"answer": "yes"})
    alice.post(reverse("meeting_seat", args=[meeting.pk]), {"policy": "0.2"})
    page = alice.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert 'id="report"' in page and "every rule kept" in page
    mine = club.client(club.bob).get(reverse("my_table", args=[meeting.pk])).content.decode()
    assert "Tafel" in mine
    bad = alice.post(
        reverse("meetings", args=[club.club.pk]),
        {
            "title": "X",
            "starts_at": "2099-12-18T19:00",
            "tables": "Tafel 1; acht",
        },
    ).content.decode()
    assert 'data-field="tables"' in bad


def test_it_seats_from_the_terminal(club, capsys):
    from kring.cli.main import main as kring

    meeting = _meeting(club)
    _everyone_comes(club, meeting)
    assert kring(["club", "meeting", "seat", str(meeting.pk), "--user", club.alice.email]) == 0
    out = capsys.readouterr().out
    assert "Tafel 1 (4/4)" in out and "every rule kept" in out
    assert kring(["club", "meeting", "seat", str(meeting.pk), "--user", club.bob.email]) == 2
    assert kring(["club", "meeting", "seat", str(meeting.pk), "--user", club.charlie.email]) == 2
    assert "not found" in capsys.readouterr().err
    assert (
        kring(
            [
                "club",
                "meeting",
                "seat",
                str(meeting.pk),
                "--user",
                club.alice.email,
                "--policy",
                "3",
            ]
        )
        == 2
    )


def test_it_logs_conversations_with_table_mates_after_the_meeting(club):
    from kring.people.models import Interaction

    meeting = _meeting(club)
    _everyone_comes(club, meeting)
    actions.meeting_seat(actor=club.alice, meeting=meeting)
    bob = club.client(club.bob)
    url = reverse("my_table", args=[meeting.pk])
    mates = sat_with(club.bob, meeting)
    assert len(mates) == 3
    for mate, _times in mates[:2]:
        bob.post(url, {"mate": mate.pk})
    logged = Interaction.objects.filter(owner=club.bob, channel="event")
    assert logged.count() == 2
    page = bob.get(url).content.decode()
    assert "talked 1 times" in page
    stranger = next(m for m in club.members if m not in [x for x, _ in mates] and m != club.bob)
    assert bob.post(url, {"mate": stranger.pk}).status_code == 404
    assert logged.count() == 2


def test_it_prints_the_table_plan_with_every_seated_name(club):
    from tests.privacy import pdf_text as _pdf_text

    meeting = _meeting(club)
    _everyone_comes(club, meeting)
    actions.meeting_seat(actor=club.alice, meeting=meeting)
    response = club.client(club.bob).get(reverse("meeting_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for user in club.members:
        assert user.name in text
    assert "Tafel 1" in text and "Tafel 2" in text
    assert (
        club.client(club.charlie).get(reverse("meeting_pdf", args=[meeting.pk])).status_code == 404
    )
