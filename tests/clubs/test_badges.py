"""Place cards and name badges: every seated name printed, table by table, the right number of
pages, long names shrunk to fit, and an honest sheet when nobody is seated yet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from kring.accounts.actions import user_sign_up
from kring.clubs import actions
from kring.clubs.badges import _fit, name_badges_pdf, place_cards_pdf
from kring.clubs.models import Attendance
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD
from tests.privacy import pdf_text as _pdf_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
EVENING = dt.datetime(2026, 12, 3, 19, tzinfo=dt.UTC)
LONG_NAME = "Anna-Maria Van den Bossche-De Wilde Vandersteene"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


@pytest.fixture
def club(cast):
    """Eight members at two tables of five (Alice hosts Tafel 1), one with a long name and
    two with an organisation on their profile."""
    members = [cast.alice, cast.bob]
    for i in range(6):
        name = LONG_NAME if i == 0 else f"M{i}"
        user = user_sign_up(email=f"m{i}@example.be", password=PASSWORD, display_name=name)
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    for user, organisation in [(cast.bob, "Bakkerij Bob BV"), (members[2], "Acme NV")]:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    cast.members = members
    cast.meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Clubavond",
        starts_at=EVENING,
        tables=[("Tafel 1", 5, cast.alice), ("Tafel 2", 5, None)],
        now=NOW,
    )
    for user in members:
        actions.attendance_answer(actor=user, meeting=cast.meeting, answer="yes")
    return cast


def _seated_by_table(meeting):
    return [
        [a.name for a in Attendance.objects.filter(table=t).select_related("user")]
        for t in meeting.tables.order_by("id")
    ]


def test_it_prints_a_tent_card_for_everyone_seated_two_to_a_page(club):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    pdf = place_cards_pdf(club.meeting)
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) == 4
    text = _pdf_text(pdf)
    for user in club.members:
        # Both faces of the folded card carry the name.
        assert text.count(user.name) >= 2, user.name
    assert "Bakkerij Bob BV" in text and "Acme NV" in text
    assert "Tafel 1" in text and "Tafel 2" in text


def test_it_orders_the_cards_by_table(club):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    first, second = _seated_by_table(club.meeting)
    text = _pdf_text(place_cards_pdf(club.meeting))
    assert max(text.index(n) for n in first) < min(text.index(n) for n in second)


def test_it_prints_eight_badges_to_a_page_with_club_and_table(club):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    pdf = name_badges_pdf(club.meeting)
    assert _pages(pdf) == 1
    text = _pdf_text(pdf)
    for user in club.members:
        assert user.name in text, user.name
    assert text.count("Businessclub Test") == 8
    assert "Bakkerij Bob BV" in text and "Tafel 1" in text and "Tafel 2" in text


def test_it_starts_a_new_page_for_the_ninth_badge_and_fifth_card(club):
    actions.guest_add(
        actor=club.alice, meeting=club.meeting, name="Greet Gast", organisation="Gamma"
    )
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    badges, cards = name_badges_pdf(club.meeting), place_cards_pdf(club.meeting)
    assert (_pages(badges), _pages(cards)) == (2, 5)
    assert "Greet Gast" in _pdf_text(badges) and "Gamma" in _pdf_text(cards)


def test_it_leaves_out_who_is_not_seated(club):
    actions.meeting_seat(actor=club.alice, meeting=club.meeting)
    actions.attendance_answer(actor=club.bob, meeting=club.meeting, answer="no")
    text = _pdf_text(name_badges_pdf(club.meeting))
    assert "Bob" not in text
    assert _pages(place_cards_pdf(club.meeting)) == 4  # seven cards


@pytest.mark.parametrize("make", [place_cards_pdf, name_badges_pdf])
def test_it_says_so_when_nobody_is_seated_yet(club, make):
    pdf = make(club.meeting)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert _pages(pdf) == 1
    text = _pdf_text(pdf)
    assert "nobody is seated yet" in text.lower()
    assert "Alice" not in text


@pytest.mark.parametrize(
    "name",
    ["Jo", "M1", LONG_NAME, "Maximiliaan-Alexander Vanderhaeghen-Oosterlinck", "X" * 80],
)
@pytest.mark.parametrize(("width", "largest", "smallest"), [(78 * 2.835, 24, 10), (500, 44, 16)])
def test_it_shrinks_a_long_name_to_fit(name, width, largest, smallest):
    lines, size = _fit(name, "Helvetica-Bold", width, largest, smallest, largest * 0.7)
    assert smallest <= size <= largest
    assert 1 <= len(lines) <= 2
    for line in lines:
        assert stringWidth(line, "Helvetica-Bold", size) <= width + 0.01
    if stringWidth(name, "Helvetica-Bold", largest) <= width:
        assert (lines, size) == ([name], largest)
    if not lines[-1].endswith("…"):
        # Broken at most once, at a space: nothing of the name is lost.
        assert " ".join(lines) == name
