"""Printed place cards and name badges for a seated meeting, one A4 sheet after another.

Place cards are tent cards, two to a portrait page: each half of the page is one card, folded
along its dashed middle line, the upper face printed upside down so the name reads upright from
both sides of the table. Name badges are 90 x 55 mm, eight to a page in two columns of four,
the size of the common badge holders and of perforated badge sheets.

Names are drawn as large as fit: long ones shrink, then break once at a space, and only a name
too long for two lines at the smallest size is cut short with an ellipsis.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from kring.clubs.models import Attendance, Meeting
from kring.clubs.queries import seat_reasons, seating_of
from kring.clubs.reports import reason_for_viewer

BOLD = "Helvetica-Bold"
PLAIN = "Helvetica"
GREY = Color(0.45, 0.45, 0.45)
GUIDE = Color(0.75, 0.75, 0.75)

CARDS_PER_PAGE = 2
BADGE_W, BADGE_H = 90 * mm, 55 * mm
BADGE_COLUMNS, BADGE_ROWS = 2, 4
BADGES_PER_PAGE = BADGE_COLUMNS * BADGE_ROWS


@dataclass(frozen=True)
class _Seat:
    name: str
    organisation: str
    table: str
    # Why this person sits with each table-mate, in the reader's words ("Jan — offers ...").
    reasons: tuple[str, ...] = ()


def _seats(meeting: Meeting, *, reasons: bool = False) -> list[_Seat]:
    """Everyone seated, table by table in the plan's order, by name within a table; with
    ``reasons``, each member's reasons to meet their table-mates (for the place card's back)."""
    tables, _unseated = seating_of(meeting)
    why = seat_reasons(meeting, tables) if reasons else {}
    seats = []
    for view in tables:
        for a in view.seated:
            seat = _seat(a, view.table.name)
            lines = tuple(
                f"{mate.shown} — {reason_for_viewer(a.key, code, param)}"  # type: ignore[attr-defined]
                for mate in view.seated
                if mate.pk != a.pk
                for code, param in why.get(tuple(sorted((a.key, mate.key))), ())  # type: ignore[arg-type]
            )
            seats.append(replace(seat, reasons=lines) if lines else seat)
    return seats


def _seat(attendance: Attendance, table: str) -> _Seat:
    shown = attendance.shown  # type: ignore[attr-defined]
    organisation = ""
    if attendance.guest is not None:
        organisation = attendance.guest.organisation
    elif attendance.user is not None and shown == attendance.user.name:
        # getattr: the member profile's organisation is a recent field; a former member who
        # keeps no name in the club's history keeps no organisation either.
        organisation = str(getattr(attendance.user, "organisation", "") or "")
    return _Seat(shown, organisation.strip(), table)


def _fit(
    text: str, font: str, width: float, largest: float, smallest: float, two_lines_at: float
) -> tuple[list[str], float]:
    """Lines and font size to draw ``text`` within ``width``: one line as large as fits (up to
    ``largest``); two lines, broken at the space that gives the larger size, when one line
    would be smaller than that (at most ``two_lines_at`` so both fit the height); at least
    ``smallest``, cut short with an ellipsis when even that is too wide."""

    def size_for(line: str) -> float:
        natural = stringWidth(line, font, largest)
        # A hair under the exact ratio, so that rounding never makes the line overflow.
        return largest if natural <= width else largest * width / natural * 0.999

    one = size_for(text)
    words = text.split()
    if one >= min(two_lines_at, largest) or len(words) < 2:
        size = max(one, smallest)
        return [_clip(text, font, size, width)], size
    halves = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    best = max(halves, key=lambda pair: min(size_for(pair[0]), size_for(pair[1])))
    two = min(size_for(best[0]), size_for(best[1]), two_lines_at)
    if two <= one:
        size = max(one, smallest)
        return [_clip(text, font, size, width)], size
    size = max(two, smallest)
    return [_clip(line, font, size, width) for line in best], size


def _fit_line(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The size at which ``text`` fills ``width`` on one line, within the two bounds."""
    natural = stringWidth(text, font, largest)
    return largest if natural <= width else max(smallest, largest * width / natural * 0.999)


def _clip(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_lines(
    page: canvas.Canvas, lines: list[str], font: str, size: float, x: float, y: float
) -> None:
    """Lines centred on ``x``, the block's middle on ``y``."""
    page.setFont(font, size)
    leading = size * 1.1
    top = y + (len(lines) - 1) * leading / 2 - size * 0.35
    for i, line in enumerate(lines):
        page.drawCentredString(x, top - i * leading, line)


def _chunks(seats: list[_Seat], size: int) -> Iterator[list[_Seat]]:
    for start in range(0, len(seats), size):
        yield seats[start : start + size]


def _nobody(page: canvas.Canvas, meeting: Meeting) -> None:
    height = A4[1]
    page.setFont(BOLD, 16)
    page.drawString(20 * mm, height - 25 * mm, meeting.title)
    page.setFont(PLAIN, 12)
    page.drawString(20 * mm, height - 35 * mm, _("Nobody is seated yet."))
    page.showPage()


def _new_canvas(buffer: io.BytesIO, meeting: Meeting, what: str) -> canvas.Canvas:
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"{what}: {meeting.title}")
    return page


def place_cards_pdf(meeting: Meeting) -> bytes:
    """Folded tent cards for everyone seated, two to an A4 page, ordered by table: the name
    large, the organisation under it, the table and the meeting small at the foot."""
    seats = _seats(meeting, reasons=True)
    buffer = io.BytesIO()
    page = _new_canvas(buffer, meeting, _("Place cards"))
    width, height = A4
    card_h = height / CARDS_PER_PAGE
    face_h = card_h / 2
    if not seats:
        _nobody(page, meeting)
    for chunk in _chunks(seats, CARDS_PER_PAGE):
        for i, seat in enumerate(chunk):
            bottom = height - (i + 1) * card_h
            # The lower face stands upright; the upper one, upside down, is the back.
            _tent_face(page, seat, meeting, 0, bottom, width, face_h)
            page.saveState()
            page.translate(width, bottom + card_h)
            page.rotate(180)
            if seat.reasons:
                _tent_back(page, seat, meeting, 0, 0, width, face_h)
            else:
                _tent_face(page, seat, meeting, 0, 0, width, face_h)
            page.restoreState()
            page.setStrokeColor(GUIDE)
            page.setDash(3, 3)
            page.line(10 * mm, bottom + face_h, width - 10 * mm, bottom + face_h)
            page.setDash()
            if i:
                page.line(0, bottom + card_h, width, bottom + card_h)
        page.showPage()
    page.save()
    return buffer.getvalue()


def _tent_face(
    page: canvas.Canvas,
    seat: _Seat,
    meeting: Meeting,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """One face of a tent card; (x, y) is its foot, the fold is at its top."""
    inner = width - 30 * mm
    middle = x + width / 2
    page.setFillColor(Color(0, 0, 0))
    name_y = y + height * (0.58 if seat.organisation else 0.5)
    _name_and_organisation(page, seat, middle, name_y, inner, (44, 16, 30), (18, 9), 5 * mm)
    page.setFillColor(GREY)
    page.setFont(PLAIN, 9)
    foot = f"{meeting.title} · {date_format(meeting.local_starts_at, 'j M, H:i')}"
    page.drawString(x + 15 * mm, y + 7 * mm, _clip(foot, PLAIN, 9, inner / 2))
    page.setFont(BOLD, 11)
    page.drawRightString(x + width - 15 * mm, y + 7 * mm, _clip(seat.table, BOLD, 11, inner / 2))
    page.setFillColor(Color(0, 0, 0))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a too long word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return [_clip(one, font, size, width) for one in lines]


REASON_SIZE = 10
REASON_LINES = 7


def _tent_back(
    page: canvas.Canvas,
    seat: _Seat,
    meeting: Meeting,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """The face the seated person reads: their name, and why they sit with each table-mate
    (at most a few lines; the rest is on "my table tonight")."""
    inner = width - 30 * mm
    page.setFillColor(Color(0, 0, 0))
    size = _fit_line(seat.name, BOLD, inner, 22, 12)
    page.setFont(BOLD, size)
    top = y + height - 14 * mm
    page.drawString(x + 15 * mm, top, _clip(seat.name, BOLD, size, inner))
    page.setFillColor(GREY)
    page.setFont(PLAIN, 9)
    page.drawString(x + 15 * mm, top - 7 * mm, _("Why you sit at this table"))
    page.setFillColor(Color(0, 0, 0))
    page.setFont(PLAIN, REASON_SIZE)
    lines = [line for reason in seat.reasons for line in _wrap(reason, PLAIN, REASON_SIZE, inner)]
    if len(lines) > REASON_LINES:
        lines = [*lines[: REASON_LINES - 1], _("… and more on “my table tonight”")]
    for i, line in enumerate(lines):
        page.drawString(x + 15 * mm, top - 14 * mm - i * REASON_SIZE * 1.3, line)
    page.setFillColor(GREY)
    page.setFont(BOLD, 11)
    page.drawRightString(x + width - 15 * mm, y + 7 * mm, _clip(seat.table, BOLD, 11, inner / 2))
    page.setFillColor(Color(0, 0, 0))


def name_badges_pdf(meeting: Meeting) -> bytes:
    """Name badges for everyone seated, 90 x 55 mm, eight to an A4 page (two columns of
    four), ordered by table: the club on top, the name large, the organisation, the table."""
    seats = _seats(meeting)
    buffer = io.BytesIO()
    page = _new_canvas(buffer, meeting, _("Name badges"))
    width, height = A4
    left = (width - BADGE_COLUMNS * BADGE_W) / 2
    top = height - (height - BADGE_ROWS * BADGE_H) / 2
    if not seats:
        _nobody(page, meeting)
    for chunk in _chunks(seats, BADGES_PER_PAGE):
        for i, seat in enumerate(chunk):
            x = left + (i % BADGE_COLUMNS) * BADGE_W
            y = top - (i // BADGE_COLUMNS + 1) * BADGE_H
            _badge(page, seat, meeting, x, y)
        page.showPage()
    page.save()
    return buffer.getvalue()


def _name_and_organisation(
    page: canvas.Canvas,
    seat: _Seat,
    middle: float,
    name_y: float,
    width: float,
    name_sizes: tuple[float, float, float],
    organisation_sizes: tuple[float, float],
    gap: float,
) -> None:
    """The name, as large as fits (see :func:`_fit`), centred on (middle, name_y), and the
    organisation under it on one line."""
    lines, size = _fit(seat.name, BOLD, width, *name_sizes)
    _draw_lines(page, lines, BOLD, size, middle, name_y)
    if seat.organisation:
        org_size = _fit_line(seat.organisation, PLAIN, width, *organisation_sizes)
        org_y = name_y - (len(lines) * size * 1.1) / 2 - gap - org_size / 2
        org = _clip(seat.organisation, PLAIN, org_size, width)
        _draw_lines(page, [org], PLAIN, org_size, middle, org_y)


def _badge(page: canvas.Canvas, seat: _Seat, meeting: Meeting, x: float, y: float) -> None:
    club = f"{meeting.workspace.name} · {date_format(meeting.local_starts_at, 'j F Y')}"
    inner = BADGE_W - 12 * mm
    middle = x + BADGE_W / 2
    page.setStrokeColor(GUIDE)
    page.setLineWidth(0.5)
    page.rect(x, y, BADGE_W, BADGE_H)
    page.setFillColor(GREY)
    page.setFont(PLAIN, 9)
    page.drawCentredString(middle, y + BADGE_H - 8 * mm, _clip(club, PLAIN, 9, inner))
    page.line(x + 6 * mm, y + BADGE_H - 11 * mm, x + BADGE_W - 6 * mm, y + BADGE_H - 11 * mm)
    page.setFillColor(Color(0, 0, 0))
    name_y = y + BADGE_H * (0.54 if seat.organisation else 0.5)
    _name_and_organisation(page, seat, middle, name_y, inner, (24, 10, 17), (11, 7), 3 * mm)
    page.setFillColor(GREY)
    page.setFont(BOLD, 10)
    page.drawCentredString(middle, y + 5 * mm, _clip(seat.table, BOLD, 10, inner))
    page.setFillColor(Color(0, 0, 0))
