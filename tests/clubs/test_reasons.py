"""Relationship data reaches the seating as affinities, and every seat says why, in the reader's
language, without revealing what a member's sharing hides."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kring.accounts.actions import api_token_create, user_sign_up, user_update_settings
from kring.clubs import actions
from kring.clubs.adapters import meeting_affinities
from kring.clubs.models import WantToMeet
from kring.people import actions as people
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
EVENING = NOW + dt.timedelta(days=3)
ASK = "R&D managers in pharma"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def club(cast):
    """Alice organises; Eva asks for R&D managers in pharma; Jan offers R&D advice; Kim shares
    a contact who fits Eva's ask; Bob and four others come too."""
    cast.members = [cast.alice, cast.bob]
    for i, (name, offer, sector) in enumerate(
        [("Eva", "", "ICT"), ("Jan", "R&D advice", "Bouw"), ("Kim", "", "Horeca")]
        + [(f"M{i}", "", "") for i in range(3)]
    ):
        user = user_sign_up(
            email=f"w{i}@example.be", password=PASSWORD, display_name=name, language="en"
        )
        user.offer, user.sector = offer, sector
        user.save(update_fields=["offer", "sector"])
        Membership.objects.create(workspace=cast.club, user=user)
        cast.members.append(user)
        setattr(cast, name.lower(), user)
    people.ask_create(owner=cast.eva, text=ASK)
    return cast


def _api_get(user, path):
    _, key = api_token_create(user=user)
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {key}")


def _api_put(user, path, body):
    _, key = api_token_create(user=user)
    return Client().put(
        path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def _meeting(cast):
    meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Diner",
        starts_at=EVENING,
        tables=[("Tafel 1", 4, None), ("Tafel 2", 4, None)],
        now=NOW,
    )
    for user in cast.members:
        actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
    return meeting


def _together(cast, meeting, *users):
    """Seat everyone, then put ``users`` at the first table by hand."""
    actions.meeting_seat(actor=cast.alice, meeting=meeting)
    first = meeting.tables.order_by("id").first()
    others = list(meeting.attendances.filter(table=first).exclude(user__in=users))
    for user in users:
        attendance = meeting.attendances.get(user=user)
        if attendance.table_id != first.pk:
            swap = others.pop()
            actions.seat_move(actor=cast.alice, attendance=swap, table=None, locked=False)
            actions.seat_move(actor=cast.alice, attendance=attendance, table=first, locked=True)
            actions.seat_move(
                actor=cast.alice,
                attendance=swap,
                table=attendance_table(cast, meeting, swap),
                locked=False,
            )


def attendance_table(cast, meeting, swap):
    """The table with a free seat (the one the moved member left)."""
    for table in meeting.tables.all():
        if table.seated.count() < table.capacity:
            return table
    raise AssertionError("no free seat")


def _share(owner, workspace, level, **person):
    contact = people.person_create(owner=owner, **person)
    people.share_set(
        actor=owner, relationship=contact.relationship, workspace=workspace, level=level
    )
    return contact


def test_relationship_data_becomes_affinities_passed_to_the_seating(club):
    meeting = _meeting(club)
    _share(
        club.kim,
        club.club,
        "name_role",
        given_name="Zqsecret",
        surname="Person",
        title="R&D Manager",
        sector="Farma",
        organisation_name="Zqhiddenorg",
    )
    actions.referral_give(actor=club.bob, workspace=club.club, receiver=club.m0, contact="Zqref")
    actions.want_to_meet_set(actor=club.m1, meeting=meeting, others=[club.m2], now=NOW)
    users = [a.user for a in meeting.attendances.select_related("user")]
    found = {(x.a, x.b): x.reasons for x in meeting_affinities(meeting, users, today=NOW.date())}
    key = {u: f"u{u.pk}" for u in club.members}

    def pair(a, b):
        return tuple(sorted((key[a], key[b])))

    assert found[pair(club.eva, club.jan)] == (("ask_offer", f"{key[club.eva]}:{ASK}"),)
    assert found[pair(club.eva, club.kim)] == (("ask_network", f"{key[club.eva]}:{ASK}"),)
    assert found[pair(club.bob, club.m0)] == (("referral", ""),)
    assert found[pair(club.m1, club.m2)] == (("want_to_meet", key[club.m1]),)
    assert len(found) == 4
    actions.meeting_seat(actor=club.alice, meeting=meeting, policy=1.0)
    meeting.refresh_from_db()
    assert meeting.report["affinity"]["pairs"] == 4


def test_each_member_sees_why_they_sit_with_a_table_mate(club):
    meeting = _meeting(club)
    _together(club, meeting, club.eva, club.jan)
    eva = club.client(club.eva).get(reverse("my_table", args=[meeting.pk])).content.decode()
    assert f"— offers what you ask this month: “{ASK}”" in eva.replace("&amp;", "&")
    jan = club.client(club.jan).get(reverse("my_table", args=[meeting.pk])).content.decode()
    assert f"asks this month for “{ASK}”, which you offer" in jan.replace("&amp;", "&")
    api = _api_get(club.eva, f"/api/meetings/{meeting.pk}/my-table").json()
    mate = next(m for m in api["mates"] if m["name"] == "Jan")
    assert mate["reasons"][0]["code"] == "ask_offer"


def test_reasons_are_translated_at_the_interface(club):
    meeting = _meeting(club)
    _together(club, meeting, club.eva, club.jan)
    user_update_settings(user=club.eva, language="nl")
    page = club.client(club.eva).get(reverse("my_table", args=[meeting.pk])).content.decode()
    assert "biedt wat je deze maand vraagt" in page
    with translation.override("nl"):
        organiser = club.client(club.alice).get(reverse("meeting", args=[meeting.pk]))
    assert organiser.status_code == 200


def test_a_reason_never_reveals_what_sharing_hides(club):
    meeting = _meeting(club)
    # Kim's contact fits Eva's ask, shared by name and role: the reason says Kim knows people
    # who fit, and names neither the contact nor their organisation.
    _share(
        club.kim,
        club.club,
        "name_role",
        given_name="Zqsecret",
        surname="Person",
        title="R&D Manager",
        sector="Farma",
        organisation_name="Zqhiddenorg",
    )
    # Jan's fitting contacts are shared as "organisation" and "nothing": no reason at all.
    for level, name in (("organisation", "Zqorgonly"), ("none", "Zqnothing")):
        _share(
            club.bob,
            club.club,
            level,
            given_name=name,
            title="R&D Manager",
            sector="Farma",
            organisation_name=f"{name}org",
        )
    actions.referral_give(
        actor=club.eva, workspace=club.club, receiver=club.kim, contact="Zqreferralcontact"
    )
    _together(club, meeting, club.eva, club.kim, club.bob)
    pages = [
        club.client(user).get(reverse("my_table", args=[meeting.pk])).content.decode()
        for user in (club.eva, club.kim, club.bob)
    ]
    pages.append(
        club.client(club.alice).get(reverse("meeting", args=[meeting.pk])).content.decode()
    )
    pages.append(_api_get(club.eva, f"/api/meetings/{meeting.pk}/my-table").content.decode())
    text = "\n".join(pages).replace("&amp;", "&")
    assert "knows people who fit your ask this month" in text
    assert "a referral between you is open" in text
    for secret in ("Zqsecret", "Zqhiddenorg", "Zqorgonly", "Zqnothing", "Zqreferralcontact"):
        assert secret not in text
    eva_and_bob = [line for line in pages[0].splitlines() if 'data-name="Bob"' in line]
    assert eva_and_bob and "—" not in eva_and_bob[0]  # Bob shares nothing that fits


def test_the_organisers_plan_lists_the_reasons_per_table(club):
    meeting = _meeting(club)
    _together(club, meeting, club.eva, club.jan)
    page = club.client(club.alice).get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "1 reason to meet at this table" in page
    assert f"Jan offers what Eva asks: “{ASK}”" in page.replace("&amp;", "&")
    member = club.client(club.bob).get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "reason to meet at this table" not in member


def test_the_place_card_back_says_why(club, tmp_path):
    meeting = _meeting(club)
    _together(club, meeting, club.eva, club.jan)
    pdf = club.client(club.alice).get(reverse("meeting_cards_pdf", args=[meeting.pk])).content
    path = tmp_path / "cards.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Why you sit at this table" in text
    assert "Jan — offers what you ask this month" in text


def test_a_member_names_whom_they_want_to_meet(club):
    meeting = _meeting(club)
    bob = club.client(club.bob)
    page = bob.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert 'id="want-to-meet"' in page
    bob.post(reverse("want_to_meet", args=[meeting.pk]), {"others": [club.eva.pk, club.jan.pk]})
    assert set(
        WantToMeet.objects.filter(meeting=meeting, member=club.bob).values_list("other", flat=True)
    ) == {club.eva.pk, club.jan.pk}
    bob.post(reverse("want_to_meet", args=[meeting.pk]), {"others": [club.jan.pk]})
    assert list(
        WantToMeet.objects.filter(meeting=meeting, member=club.bob).values_list("other", flat=True)
    ) == [club.jan.pk]
    outsider = bob.post(reverse("want_to_meet", args=[meeting.pk]), {"others": [club.charlie.pk]})
    assert outsider.status_code == 404
    _together(club, meeting, club.bob, club.jan)
    jan = club.client(club.jan).get(reverse("my_table", args=[meeting.pk])).content.decode()
    assert "— asked to meet you" in jan
    mine = bob.get(reverse("my_table", args=[meeting.pk])).content.decode()
    assert "— you asked to meet" in mine


def test_wishes_are_refused_with_a_clear_message(club):
    meeting = _meeting(club)
    with pytest.raises(ValidationError, match="at most 5"):
        actions.want_to_meet_set(actor=club.bob, meeting=meeting, others=club.members[2:8], now=NOW)
    with pytest.raises(ValidationError, match="other than yourself"):
        actions.want_to_meet_set(actor=club.bob, meeting=meeting, others=[club.bob], now=NOW)
    with pytest.raises(ValidationError, match="already begun"):
        actions.want_to_meet_set(
            actor=club.bob, meeting=meeting, others=[club.eva], now=EVENING + dt.timedelta(hours=1)
        )


def test_the_api_reads_and_replaces_the_wishes(club):
    meeting = _meeting(club)
    url = f"/api/meetings/{meeting.pk}/want-to-meet"
    put = _api_put(club.bob, url, {"member_ids": [club.eva.pk]})
    assert put.status_code == 200 and put.json()["member_ids"] == [club.eva.pk]
    assert _api_get(club.bob, url).json() == {
        "meeting_id": meeting.pk,
        "member_ids": [club.eva.pk],
    }
    bad = _api_put(club.bob, url, {"member_ids": [club.charlie.pk]})
    assert bad.status_code == 422, bad.content
