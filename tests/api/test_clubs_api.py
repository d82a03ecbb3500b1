"""Club meetings and the referral ledger through the API, each answer checked against the
published OpenAPI schema. Charlie, in a club of his own, must find nothing of Alice's club."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import jsonschema
import pytest
import time_machine
from django.core import mail

from kring.accounts.actions import api_token_create, user_sign_up
from kring.audit.models import AuditEntry
from kring.clubs import actions
from kring.clubs.models import Attendance, Meeting, OneToOne, Referral
from kring.people.models import Interaction
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership
from tests.api.test_api import _find_path
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
EVENING = dt.datetime(2026, 12, 3, 19, tzinfo=dt.UTC)


@pytest.fixture
def club(cast):
    """Eight members who all come to one evening at two tables of five; Alice hosts Tafel 1.
    Charlie runs a club of his own elsewhere."""
    members = [cast.alice, cast.bob]
    for i in range(6):
        user = user_sign_up(email=f"m{i}@example.be", password=PASSWORD, display_name=f"M{i}")
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    cast.members = members
    cast.elsewhere = workspace_create(owner=cast.charlie, name="Elsewhere", kind="club")
    cast.meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Clubavond",
        starts_at=EVENING,
        venue="Hasselt",
        tables=[("Tafel 1", 5, cast.alice), ("Tafel 2", 5, None)],
        now=NOW,
    )
    for user in members:
        actions.attendance_answer(actor=user, meeting=cast.meeting, answer="yes")
    return cast


@pytest.fixture
def api(club, client):
    schema = client.get("/api/openapi.json").json()
    keys = {
        user.pk: api_token_create(user=user)[1] for user in (club.alice, club.bob, club.charlie)
    }

    class Api:
        def call(self, user, method, path, body=None, status=200):
            response = getattr(client, method)(
                path,
                data=body if body is not None else {},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {keys[user.pk]}",
            )
            assert response.status_code == status, response.content
            data = response.json() if response.content else None
            template = _find_path(schema, path.split("?")[0])
            answer = schema["paths"][template][method]["responses"][str(status)]
            spec = answer["content"]["application/json"]["schema"]
            jsonschema.validate(data, {**spec, "components": schema["components"]})
            return data

    return Api()


def _seated(meeting):
    return {a.user_id: a.table_id for a in Attendance.objects.filter(meeting=meeting)}


def test_it_publishes_every_club_path(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/workspaces/{workspace_id}/meetings",
        "/api/meetings/{meeting_id}",
        "/api/meetings/{meeting_id}/answer",
        "/api/meetings/{meeting_id}/seat",
        "/api/meetings/{meeting_id}/seats/{attendance_id}",
        "/api/meetings/{meeting_id}/my-table",
        "/api/meetings/{meeting_id}/conversations",
        "/api/workspaces/{workspace_id}/referrals",
        "/api/referrals/{referral_id}",
        "/api/workspaces/{workspace_id}/one-to-ones",
        "/api/workspaces/{workspace_id}/club-report",
    ]:
        assert path in paths


def test_it_lists_the_clubs_meetings_with_my_answer(api, club):
    actions.attendance_answer(actor=club.bob, meeting=club.meeting, answer="no")
    listed = api.call(club.bob, "get", f"/api/workspaces/{club.club.pk}/meetings")
    assert listed["count"] == 1
    [meeting] = listed["items"]
    assert (meeting["id"], meeting["title"], meeting["venue"]) == (
        club.meeting.pk,
        "Clubavond",
        "Hasselt",
    )
    assert (meeting["coming"], meeting["my_answer"]) == (7, "no")
    assert meeting["seated_at"] is None


def test_it_seats_everyone_and_shows_who_sits_where(api, club):
    url = f"/api/meetings/{club.meeting.pk}"
    before = api.call(club.bob, "get", url)
    assert before["report"] is None and before["can_manage"] is False
    assert (before["coming"], before["seats"], len(before["unseated"])) == (8, 10, 8)
    assert [t["name"] for t in before["tables"]] == ["Tafel 1", "Tafel 2"]
    assert before["tables"][0]["host_name"] == "Alice"

    seated = api.call(club.alice, "post", f"{url}/seat", {"policy": 0.3})
    assert seated["can_manage"] is True and seated["policy"] == 0.3
    assert seated["unseated"] == [] and seated["seated_at"] is not None
    assert seated["report"]["hard_violations"] == []
    names = sorted(p["name"] for t in seated["tables"] for p in t["seated"])
    assert names == sorted(u.name for u in club.members)
    first = seated["tables"][0]
    assert any(p["host"] and p["name"] == "Alice" for p in first["seated"])

    mine = api.call(club.bob, "get", url)
    assert mine["my_answer"] == "yes"
    assert mine["my_table_id"] == _seated(club.meeting)[club.bob.pk]


def test_it_shows_a_guest_among_the_seated(api, club):
    actions.guest_add(
        actor=club.alice, meeting=club.meeting, name="Greet Gast", organisation="Gamma"
    )
    seated = api.call(club.alice, "post", f"/api/meetings/{club.meeting.pk}/seat", {})
    guests = [p for t in seated["tables"] for p in t["seated"] if p["guest_id"] is not None]
    assert [(g["name"], g["user_id"]) for g in guests] == [("Greet Gast", None)]
    assert seated["coming"] == 9


def test_it_queues_a_large_meeting_for_the_worker(api, club, monkeypatch):
    monkeypatch.setattr("kring.clubs.actions.seating.SEAT_IN_WORKER_ABOVE", 4)
    queued = api.call(
        club.alice, "post", f"/api/meetings/{club.meeting.pk}/seat", {"policy": 1}, status=202
    )
    assert (queued["seating_state"], queued["seated_at"]) == ("queued", None)
    again = api.call(club.alice, "post", f"/api/meetings/{club.meeting.pk}/seat", {}, status=422)
    assert "being seated" in again["errors"]["tables"][0]


def test_it_takes_my_answer_and_an_organisers_answer_for_another(api, club):
    url = f"/api/meetings/{club.meeting.pk}/answer"
    mine = api.call(club.bob, "post", url, {"answer": "no"})
    assert (mine["user_id"], mine["answer"], mine["name"]) == (club.bob.pk, "no", "Bob")
    theirs = api.call(club.alice, "post", url, {"answer": "no", "member_id": club.members[2].pk})
    assert theirs["user_id"] == club.members[2].pk
    answers = dict(
        Attendance.objects.filter(meeting=club.meeting).values_list("user__email", "answer")
    )
    assert answers["bob@example.nl"] == answers["m0@example.be"] == "no"


def test_it_moves_locks_and_frees_a_seat_until_the_table_is_full(api, club):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    one, two = club.meeting.tables.order_by("id")
    bob = Attendance.objects.get(meeting=club.meeting, user=club.bob)
    target = two if bob.table_id == one.pk else one
    url = f"/api/meetings/{club.meeting.pk}/seats/{bob.pk}"
    moved = api.call(club.alice, "post", url, {"table_id": target.pk, "locked": True})
    assert (moved["table_id"], moved["locked"]) == (target.pk, True)
    freed = api.call(club.alice, "post", url, {"table_id": None, "locked": True})
    assert (freed["table_id"], freed["locked"]) == (None, False)

    # Fill Tafel 1 from Tafel 2, then one more is refused by name.
    while one.seated.count() < one.capacity:
        mover = two.seated.exclude(user=club.alice).first()
        api.call(
            club.alice,
            "post",
            f"/api/meetings/{club.meeting.pk}/seats/{mover.pk}",
            {"table_id": one.pk, "locked": False},
        )
    before = _seated(club.meeting)
    refused = api.call(club.alice, "post", url, {"table_id": one.pk}, status=422)
    assert "is full" in refused["errors"]["table_id"][0]
    assert _seated(club.meeting) == before


def test_it_shows_my_table_and_logs_a_conversation_with_a_mate(api, club):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    url = f"/api/meetings/{club.meeting.pk}/my-table"
    mine = api.call(club.bob, "get", url)
    bob = Attendance.objects.get(meeting=club.meeting, user=club.bob)
    assert mine["table"] == {"id": bob.table_id, "name": bob.table.name}
    mates = {m["user_id"] for m in mine["mates"]}
    expected = set(
        Attendance.objects.filter(table=bob.table).exclude(user=club.bob).values_list("user_id")
    )
    assert mates == {pk for (pk,) in expected}
    assert all(m["sat_together"] == 0 and m["talked"] == 0 for m in mine["mates"])

    mate = mine["mates"][0]
    logged = api.call(
        club.bob,
        "post",
        f"/api/meetings/{club.meeting.pk}/conversations",
        {"mate_id": mate["id"]},
        status=201,
    )
    assert logged == {**mate, "talked": 1}
    assert Interaction.objects.filter(owner=club.bob, channel="event").count() == 1
    stranger = (
        Attendance.objects.filter(meeting=club.meeting)
        .exclude(user_id__in=[*mates, club.bob.pk])
        .first()
    )
    api.call(
        club.bob,
        "post",
        f"/api/meetings/{club.meeting.pk}/conversations",
        {"mate_id": stranger.pk},
        status=404,
    )
    assert Interaction.objects.filter(owner=club.bob, channel="event").count() == 1


def test_it_shows_no_table_before_seating(api, club):
    mine = api.call(club.bob, "get", f"/api/meetings/{club.meeting.pk}/my-table")
    assert mine == {"meeting_id": club.meeting.pk, "table": None, "mates": []}


def test_it_keeps_the_ledger_and_reports_the_period(api, club, django_capture_on_commit_callbacks):
    """On a December day of 2026: the referral, the one-to-one and the dinner of 3 December
    fall in the year's report."""
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        _ledger_and_report(api, club, django_capture_on_commit_callbacks)


def _ledger_and_report(api, club, django_capture_on_commit_callbacks):
    ws = club.club.pk
    given = api.call(
        club.bob,
        "post",
        f"/api/workspaces/{ws}/referrals",
        {"receiver_id": club.alice.pk, "contact": "Koen Claes, Acme", "temperature": "hot"},
        status=201,
    )
    assert (given["giver"], given["receiver"], given["status"]) == ("Bob", "Alice", "given")
    assert api.call(club.bob, "get", f"/api/workspaces/{ws}/referrals")["given"] == [given]
    received = api.call(club.alice, "get", f"/api/workspaces/{ws}/referrals")
    assert (received["given"], received["received"]) == ([], [given])

    with django_capture_on_commit_callbacks(execute=True):
        closed = api.call(
            club.alice,
            "post",
            f"/api/referrals/{given['id']}",
            {"status": "closed", "amount_eur": "1500.00"},
        )
    assert closed["status"] == "closed" and Decimal(closed["amount_eur"]) == Decimal(1500)
    assert mail.outbox[-1].to == [club.bob.email]
    # The giver sees the referral but only the receiver says how it went.
    api.call(club.bob, "post", f"/api/referrals/{given['id']}", {"status": "lost"}, status=404)

    talk = api.call(
        club.bob,
        "post",
        f"/api/workspaces/{ws}/one-to-ones",
        {"with_member_id": club.alice.pk, "met_on": "2026-11-20", "note": "Coffee"},
        status=201,
    )
    assert (talk["logged_by_id"], talk["with_member_id"], talk["note"]) == (
        club.bob.pk,
        club.alice.pk,
        "Coffee",
    )

    report = api.call(
        club.bob, "get", f"/api/workspaces/{ws}/club-report?from=2026-01-01&to=2026-12-31"
    )
    assert (report["start"], report["end"]) == ("2026-01-01", "2026-12-31")
    rows = {row["member"]: row for row in report["members"]}
    assert len(rows) == 8
    assert (rows["Bob"]["given"], rows["Bob"]["one_to_ones"], rows["Bob"]["attended"]) == (1, 1, 1)
    assert rows["Alice"]["received"] == 1
    assert Decimal(rows["Alice"]["closed_eur"]) == Decimal(1500)
    this_year = api.call(club.bob, "get", f"/api/workspaces/{ws}/club-report")
    assert this_year["end"] >= this_year["start"]


def _state(club):
    """Everything an API call on the club could change."""
    return (
        sorted(
            Attendance.objects.filter(meeting__workspace=club.club).values_list(
                "user_id", "answer", "table_id", "locked"
            )
        ),
        list(Meeting.objects.values_list("policy", "seated_at", "report")),
        list(Referral.objects.values_list("receiver_id", "status", "amount_eur")),
        OneToOne.objects.count(),
        Interaction.objects.count(),
        AuditEntry.objects.count(),
    )


def _filled(club, path, body):
    referral = Referral.objects.filter(workspace=club.club).first()
    ids = {
        "club": club.club.pk,
        "meeting": club.meeting.pk,
        "attendance": Attendance.objects.get(meeting=club.meeting, user=club.bob).pk,
        "referral": referral.pk if referral else 0,
        "alice": club.alice.pk,
    }
    body = {
        key: int(value.format(**ids)) if isinstance(value, str) and "{" in value else value
        for key, value in (body or {}).items()
    }
    return path.format(**ids), body


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/meetings/{meeting}/seat", {"policy": 0.5}),
        ("/api/meetings/{meeting}/seats/{attendance}", {"table_id": None, "locked": False}),
        ("/api/meetings/{meeting}/answer", {"answer": "no", "member_id": "{alice}"}),
    ],
    ids=["seat everyone", "move a seat", "answer for another"],
)
def test_it_lets_only_organisers_seat_move_and_answer_for_others(api, club, path, body):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    before = _state(club)
    path, body = _filled(club, path, body)
    answer = api.call(club.bob, "post", path, body, status=403)
    assert "owner or an admin" in answer["detail"]
    assert _state(club) == before


@pytest.mark.parametrize(
    ("who", "path", "body", "field"),
    [
        ("bob", "/api/meetings/{meeting}/answer", {"answer": "maybe"}, "answer"),
        ("alice", "/api/meetings/{meeting}/answer", {"answer": "no", "member_id": 0}, "member_id"),
        ("alice", "/api/meetings/{meeting}/seat", {"policy": 2}, "policy"),
        ("alice", "/api/meetings/{meeting}/seat", {"policy": -0.1}, "policy"),
        ("alice", "/api/meetings/{meeting}/seats/{attendance}", {"table_id": 0}, "table_id"),
        ("alice", "/api/meetings/{meeting}/seats/{attendance}", {"locked": True}, "table_id"),
        (
            "bob",
            "/api/workspaces/{club}/referrals",
            {"receiver_id": "{bob}", "contact": "Koen"},
            "receiver_id",
        ),
        (
            "bob",
            "/api/workspaces/{club}/referrals",
            {"receiver_id": "{charlie}", "contact": "Koen"},
            "receiver_id",
        ),
        (
            "bob",
            "/api/workspaces/{club}/referrals",
            {"receiver_id": "{alice}", "contact": "   "},
            "contact",
        ),
        (
            "bob",
            "/api/workspaces/{club}/referrals",
            {"receiver_id": "{alice}", "contact": "Koen", "temperature": "lukewarm"},
            "temperature",
        ),
        (
            "alice",
            "/api/referrals/{referral}",
            {"status": "closed", "amount_eur": "-5"},
            "amount_eur",
        ),
        ("alice", "/api/referrals/{referral}", {"status": "won"}, "status"),
        (
            "bob",
            "/api/workspaces/{club}/one-to-ones",
            {"with_member_id": "{bob}"},
            "with_member_id",
        ),
        (
            "bob",
            "/api/workspaces/{club}/one-to-ones",
            {"with_member_id": "{alice}", "note": "x" * 301},
            "note",
        ),
    ],
)
def test_it_names_the_field_of_a_bad_value_and_changes_nothing(api, club, who, path, body, field):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    actions.referral_give(actor=club.bob, workspace=club.club, receiver=club.alice, contact="X")
    before = _state(club)
    ids = {"bob": club.bob.pk, "charlie": club.charlie.pk}
    body = {k: int(v.format(**ids)) if v in ("{bob}", "{charlie}") else v for k, v in body.items()}
    path, body = _filled(club, path, body)
    answer = api.call(getattr(club, who), "post", path, body, status=422)
    assert field in answer["errors"], answer
    assert all(answer["errors"][field]), answer
    assert _state(club) == before


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2026-12-31&to=2026-01-01", "to"), ("from=nonsense", "from")],
)
def test_it_refuses_a_bad_report_period(api, club, query, field):
    answer = api.call(
        club.alice, "get", f"/api/workspaces/{club.club.pk}/club-report?{query}", status=422
    )
    assert any(key.split(".")[-1] == field for key in answer["errors"]), answer
