"""A plain member cannot seat, move, lock, invite, add guests, edit attendance or keep pairs
apart (that outsiders find nothing at all: tests/test_access.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kring.audit.models import AuditEntry
from kring.clubs import actions
from kring.clubs.models import Attendance
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Workspace

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


@pytest.fixture
def evening(cast):
    with time_machine.travel(NOW, tick=False):
        workspace_create(owner=cast.charlie, name="Charlie's club", kind=Workspace.Kind.CLUB)
        meeting = actions.meeting_create(
            actor=cast.alice,
            workspace=cast.club,
            title="Clubavond",
            starts_at=NOW + dt.timedelta(days=9),
            tables=[("Tafel 1", 4, None), ("Tafel 2", 4, None)],
            now=NOW,
        )
        for user in (cast.alice, cast.bob):
            actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
        guest = actions.guest_add(actor=cast.alice, meeting=meeting, name="Griet")
        actions.meeting_seat(actor=cast.alice, meeting=meeting)
        referral = actions.referral_give(
            actor=cast.alice, workspace=cast.club, receiver=cast.bob, contact="Acme"
        )
        yield meeting, guest, referral


def _urls(cast, meeting, guest, referral):
    m, w = meeting.pk, cast.club.pk
    table = meeting.tables.first()
    bob = meeting.attendances.get(user=cast.bob)
    return {
        "get": [
            reverse("meeting", args=[m]),
            reverse("my_table", args=[m]),
            reverse("meeting_pdf", args=[m]),
            reverse("meeting_cards_pdf", args=[m]),
            reverse("meeting_badges_pdf", args=[m]),
            reverse("seating_progress", args=[m]),
            reverse("meetings", args=[w]),
            reverse("club_members", args=[w]),
            reverse("club_ledger", args=[w]),
            reverse("club_ledger", args=[w]) + "?format=csv",
        ],
        "member_post": [
            (reverse("meeting_answer", args=[m]), {"answer": "yes"}),
            (reverse("my_table", args=[m]), {"mate": guest.pk}),
            (reverse("referral_update", args=[referral.pk]), {"status": "contacted"}),
            (
                reverse("club_ledger", args=[w]),
                {"kind": "one_to_one", "with_member": cast.alice.pk},
            ),
        ],
        "manager_post": [
            (reverse("meeting_seat", args=[m]), {"policy": "0.5"}),
            (reverse("seat_move", args=[m, bob.pk]), {"table": table.pk, "locked": "on"}),
            (reverse("table_lock", args=[m, table.pk]), {"locked": "on"}),
            (reverse("meeting_invite", args=[m]), {}),
            (reverse("guest_add", args=[m]), {"name": "Stranger"}),
            (reverse("attendance_edit", args=[m, guest.pk]), {"answer": "no"}),
            (reverse("attendance_edit", args=[m, 0]), {"answer": "no", "member": cast.bob.pk}),
            (
                reverse("club_members", args=[w]),
                {"kind": "rule", "first": cast.alice.pk, "second": cast.bob.pk},
            ),
            (reverse("club_members", args=[w]), {"kind": "import", "text": "email\nx@y.be\n"}),
            (
                reverse("meetings", args=[w]),
                {"title": "X", "starts_at": "2099-01-01T19:00", "tables": "T, 4"},
            ),
        ],
    }


def _state(meeting):
    return (
        AuditEntry.objects.count(),
        sorted(
            Attendance.objects.filter(meeting=meeting).values_list(
                "pk", "answer", "table_id", "locked"
            )
        ),
    )


def test_a_plain_member_cannot_run_the_evening(cast, evening):
    meeting, guest, referral = evening
    urls = _urls(cast, meeting, guest, referral)
    bob = cast.client(cast.bob)
    before = _state(meeting)
    with time_machine.travel(NOW, tick=False):
        for url in urls["get"]:
            assert bob.get(url).status_code in (200, 204), url
        for url, data in urls["manager_post"]:
            assert bob.post(url, data).status_code in (403, 404), url
    assert _state(meeting) == before
    page = bob.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert 'id="seat-form"' not in page and 'id="answers"' not in page
    assert "Lock table" not in page and "data-move" not in page
