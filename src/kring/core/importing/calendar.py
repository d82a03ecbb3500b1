"""iCalendar (.ics) meetings in: each event with attendees becomes an interaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import icalendar

from kring.core.importing.encoding import text_stream
from kring.core.importing.records import ImportFileError, InteractionRecord, PersonRef, Problem

__all__ = ["VIDEO_LINK", "read_calendar"]

Opener = Callable[[], BinaryIO]
VIDEO_LINK = re.compile(
    r"zoom\.us/|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|webex\.com|"
    r"whereby\.com|meet\.jit\.si|gotomeeting\.com|skype\.com",
    re.IGNORECASE,
)
_VIDEO_PROPERTIES = (
    "LOCATION",
    "DESCRIPTION",
    "URL",
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
)
SMALL_GROUP_MAX = 10  # more other attendees than this makes it an event


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().casefold() if "@" in text else ""


def _people(event: Any) -> tuple[str, list[tuple[str, str]]]:
    """The organiser's address and every (address, name) of organiser and attendees."""
    organiser = event.get("ORGANIZER")
    attendees = event.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    people = []
    for person in [organiser, *attendees] if organiser is not None else attendees:
        address = _address(person)
        if address:
            name = str(getattr(person, "params", {}).get("CN", "")).strip()
            people.append((address, name))
    return _address(organiser), people


def _moment(value: Any, default_tz: dt.tzinfo) -> dt.datetime | None:
    if value is None:
        return None
    moment = getattr(value, "dt", value)
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=default_tz)
        return moment.astimezone(dt.UTC)
    if isinstance(moment, dt.date):
        return dt.datetime.combine(moment, dt.time(12), tzinfo=dt.UTC)
    return None


def read_calendar(
    opener: Opener,
    encoding: str,
    file: str,
    *,
    me_emails: Iterable[str] = (),
    now: dt.datetime | None = None,
    default_tz: str = "Europe/Brussels",
) -> Iterator[InteractionRecord | Problem]:
    """Meetings of an .ics file as interactions with everyone but the account holder.

    The holder is whoever ``me_emails`` names, and also the address that appears in the most
    events (a calendar export is one person's calendar). A video link in the event makes it a
    call; otherwise one other attendee is a one-to-one meeting, a few a small group, many an
    event. Cancelled and future events are skipped.
    """
    with opener() as binary:
        text = text_stream(binary, encoding).read()
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises ValueError and others on broken files
        raise ImportFileError(file, f"not a readable iCalendar file: {exc}") from None
    starts = [n for n, ln in enumerate(text.splitlines(), 1) if ln.strip() == "BEGIN:VEVENT"]
    events = list(calendar.walk("VEVENT"))
    tz = zoneinfo.ZoneInfo(default_tz)
    counts: Counter[str] = Counter()
    for event in events:
        counts.update({address for address, _name in _people(event)[1]})
    me = {e.casefold() for e in me_emails}
    top = counts.most_common(2)
    if len(events) > 1 and top and (len(top) == 1 or top[0][1] > top[1][1]):
        me.add(top[0][0])  # only a clear winner: in a tie, the holder may be either
    for index, event in enumerate(events):
        line = starts[index] if index < len(starts) else 0
        try:
            yield from _event(event, file, line, me, now, tz)
        except Exception as exc:  # a property in a shape icalendar could not decode
            yield Problem(file, line, "VEVENT", f"unreadable event: {type(exc).__name__}")


def _event(
    event: Any, file: str, line: int, me: set[str], now: dt.datetime | None, tz: dt.tzinfo
) -> Iterator[InteractionRecord | Problem]:
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return
    organiser, people = _people(event)
    others = {a: n for a, n in people if a not in me}
    if not others:
        return
    start = _moment(event.get("DTSTART"), tz)
    if start is None:
        yield Problem(file, line, "DTSTART", "the event has no start")
        return
    if now is not None and start > now:
        yield Problem(file, line, "DTSTART", "the meeting is still to come")
        return
    end = _moment(event.get("DTEND"), tz)
    minutes = 60
    if end is not None and end > start:
        minutes = int((end - start).total_seconds() // 60)
    elif event.get("DURATION") is not None:
        minutes = int(event.get("DURATION").dt.total_seconds() // 60)
    minutes = max(1, min(minutes, 24 * 60))
    video = any(VIDEO_LINK.search(str(event.get(p, ""))) for p in _VIDEO_PROPERTIES)
    if video:
        channel = "call"
    elif len(others) == 1:
        channel = "in_person"
    elif len(others) <= SMALL_GROUP_MAX:
        channel = "small_group"
    else:
        channel = "event"
    uid = str(event.get("UID", ""))
    summary = " ".join(str(event.get("SUMMARY", "")).split())
    yield InteractionRecord(
        file=file,
        line=line,
        source="ical",
        occurred_at=start,
        channel=channel,
        people=[PersonRef(name=name, email=address) for address, name in others.items()],
        minutes=minutes,
        initiated_by="them" if organiser and organiser not in me else "me",
        answered=True,
        summary=summary[:500],
        key=hashlib.sha1(f"ical\x1f{uid or summary}\x1f{start.isoformat()}".encode()).hexdigest(),
    )
