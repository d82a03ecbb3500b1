"""iCalendar (.ics) meetings in: each past meeting with other people becomes an interaction.

A small reader of its own (as for vCards): a file may hold several ``VCALENDAR`` blocks (an
export of several calendars, or files pasted together), and a block, an event or a property
that cannot be read is reported and the rest goes in.

* A recurring event (``RRULE``, ``RDATE``, less its ``EXDATE``s and with the occurrences moved
  or cancelled by a ``RECURRENCE-ID``) is one interaction per occurrence up to ``now``, at most
  :data:`MAX_OCCURRENCES` of them (the most recent).
* Attendees who declined or delegated, rooms and other resources, groups and non-participants
  were not met. The account holder is whoever ``me_emails`` names, an attendee named "Ik"
  (Outlook in Dutch) or "Me", and in a calendar of several events the address found in most
  of them; a meeting they declined is no contact at all.
* Times follow the event's ``TZID`` (IANA names, Windows names, the file's own ``VTIMEZONE``
  with a fixed offset), else ``default_tz``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import re
import zoneinfo
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from kring.core.importing.build import clean_text
from kring.core.importing.contentlines import Property, parse_property, unescape_text, unfold
from kring.core.importing.encoding import text_lines, text_stream
from kring.core.importing.records import InteractionRecord, PersonRef, Problem

__all__ = ["MAX_OCCURRENCES", "ME_NAMES", "VIDEO_LINK", "read_calendar"]

# python-dateutil has no type stubs here; imported by name, mypy takes it as Any alike on every
# run (an import with an ignore comment flips between "unused" and "missing" with its cache).
rrule = importlib.import_module("dateutil.rrule")
Opener = Callable[[], BinaryIO]
Item = InteractionRecord | Problem
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
MAX_OCCURRENCES = 520  # of one recurring event: ten years of a weekly meeting
MAX_RECURRENCE_STEPS = 100_000  # occurrences looked at, however often a rule repeats
# How calendars in Dutch, English, French and German name the account holder.
ME_NAMES = frozenset(["ik", "me", "mij", "myself", "moi", "ich"])
_NOT_MET = frozenset(["DECLINED", "DELEGATED"])
_NOT_PEOPLE = frozenset(["RESOURCE", "ROOM", "GROUP", "UNKNOWN"])
_NOT_PERSON_ADDRESS = re.compile(r"@(resource|group)\.calendar\.google\.com$|^room[-_.]", re.I)
_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$")
_OFFSET_NAME = re.compile(r"(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_DURATION = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


@dataclass(slots=True)
class _Event:
    line: int
    props: list[Property] = field(default_factory=list)

    def get(self, name: str) -> Property | None:
        for prop in self.props:
            if prop.name == name:
                return prop
        return None

    def all(self, name: str) -> list[Property]:
        return [p for p in self.props if p.name == name]

    def text(self, name: str) -> str:
        prop = self.get(name)
        return clean_text(unescape_text(prop.value)).strip() if prop else ""


@dataclass(slots=True)
class _Calendar:
    line: int
    events: list[_Event] = field(default_factory=list)
    zones: dict[str, list[str]] = field(default_factory=dict)  # TZID -> the VTIMEZONE's lines


def _blocks(lines: Iterable[tuple[int, str]], file: str) -> Iterator[_Calendar | Problem]:
    """The VCALENDAR blocks of a file, with their events and time zones; a block whose
    components do not end where they should is reported and skipped."""
    calendar: _Calendar | None = None
    stack: list[str] = []
    event: _Event | None = None
    zone: list[str] | None = None
    broken = False
    for number, text in lines:
        upper = text.strip().upper()
        if upper.startswith("BEGIN:"):
            component = upper[6:].strip()
            if component == "VCALENDAR":
                if calendar is not None:
                    yield Problem(file, calendar.line, "VCALENDAR", "unreadable_calendar",
                                  {"detail": "END:VCALENDAR missing"})  # fmt: skip
                calendar, stack, event, zone, broken = _Calendar(number), [], None, None, False
                continue
            if calendar is None:
                continue
            stack.append(component)
            if component == "VEVENT" and len(stack) == 1:
                event = _Event(number)
            elif component == "VTIMEZONE" and len(stack) == 1:
                zone = []
            if zone is not None:
                zone.append(text)
            continue
        if upper.startswith("END:"):
            component = upper[4:].strip()
            if calendar is None:
                continue
            if component == "VCALENDAR":
                if stack or broken:
                    detail = f"END:{stack[-1] if stack else '?'} missing"
                    yield Problem(
                        file, calendar.line, "VCALENDAR", "unreadable_calendar", {"detail": detail}
                    )
                else:
                    yield calendar
                calendar = None
                continue
            if not stack or stack[-1] != component:
                broken = True
                continue
            stack.pop()
            if zone is not None:
                zone.append(text)
            if component == "VEVENT" and not stack and event is not None:
                calendar.events.append(event)
                event = None
            elif component == "VTIMEZONE" and not stack and zone is not None:
                tzid = next((z.split(":", 1)[1].strip() for z in zone if
                             z.upper().startswith("TZID")), "")  # fmt: skip
                if tzid:
                    calendar.zones[tzid] = zone
                zone = None
            continue
        if zone is not None:
            zone.append(text)
        elif event is not None and len(stack) == 1:
            prop = parse_property(number, text)
            if prop is not None:
                event.props.append(prop)
    if calendar is not None:
        yield Problem(file, calendar.line, "VCALENDAR", "unreadable_calendar",
                      {"detail": "END:VCALENDAR missing"})  # fmt: skip


class _Zones:
    """Time zones by TZID, as the events of one calendar name them."""

    def __init__(self, default: dt.tzinfo, definitions: dict[str, list[str]]) -> None:
        self.default = default
        self.definitions = definitions
        self.found: dict[str, dt.tzinfo | None] = {}

    def get(self, tzid: str) -> dt.tzinfo | None:
        """The zone, or ``None`` when Kring does not know it (the default is used then)."""
        if tzid not in self.found:
            self.found[tzid] = self._lookup(tzid)
        return self.found[tzid]

    def _lookup(self, tzid: str) -> dt.tzinfo | None:
        name = tzid.strip().strip('"').lstrip("/")
        for candidate in (name, name.replace(" ", "_")):
            try:
                return zoneinfo.ZoneInfo(candidate)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        olson = WINDOWS_TO_OLSON.get(name)
        if olson:
            return zoneinfo.ZoneInfo(olson)
        definition = self.definitions.get(tzid)
        if definition:
            offsets = {
                line.split(":", 1)[1].strip()
                for line in definition
                if line.upper().startswith("TZOFFSETTO")
            }
            if len(offsets) == 1:  # a zone without summer time: its one offset
                return _fixed(offsets.pop())
        found = _OFFSET_NAME.search(name)
        if found and "(" not in name:
            sign, hours, minutes = found.groups()
            return _fixed(f"{sign}{int(hours):02d}{minutes or '00'}")
        return None


def _fixed(offset: str) -> dt.tzinfo | None:
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", offset.strip())
    if m is None:
        return None
    delta = dt.timedelta(hours=int(m[2]), minutes=int(m[3]))
    return dt.timezone(-delta if m[1] == "-" else delta)


@dataclass(slots=True)
class _Moment:
    """A DTSTART-like value: a local or UTC time, or a whole day."""

    value: dt.datetime  # aware for a time, naive midnight for a whole day
    all_day: bool

    def utc(self) -> dt.datetime:
        if self.all_day:
            return dt.datetime.combine(self.value.date(), dt.time(12), tzinfo=dt.UTC)
        return self.value.astimezone(dt.UTC)


class _BadTime(ValueError):
    pass


def _moment(prop: Property, zones: _Zones, warnings: set[str]) -> _Moment:
    text = prop.value.strip().replace("-", "").replace(":", "")
    m = _DATE_TIME.match(text.split(",")[0])
    if m is None:
        raise _BadTime(prop.value.strip()[:80])
    year, month, day, hour, minute, second, utc = m.groups()
    try:
        if hour is None or prop.param("VALUE").upper() == "DATE":
            return _Moment(dt.datetime(int(year), int(month), int(day)), True)
        naive = dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                            int(second or 0))  # fmt: skip
    except ValueError:
        raise _BadTime(prop.value.strip()[:80]) from None
    if utc:
        return _Moment(naive.replace(tzinfo=dt.UTC), False)
    tzid = prop.param("TZID")
    zone = zones.get(tzid) if tzid else None
    if tzid and zone is None:
        warnings.add(tzid)
    return _Moment(naive.replace(tzinfo=zone or zones.default), False)


def _duration(text: str) -> dt.timedelta | None:
    m = _DURATION.match(text.strip().upper())
    if m is None:
        return None
    sign, weeks, days, hours, minutes, seconds = m.groups()
    delta = dt.timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -delta if sign == "-" else delta


def _address(prop: Property) -> str:
    text = prop.value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip()
    return text.casefold() if "@" in text and " " not in text else ""


@dataclass(slots=True)
class _Person:
    address: str
    name: str
    me: bool
    met: bool  # accepted, tentative or not answered; not declined, delegated, a room, …


def _people(event: _Event, me: set[str]) -> tuple[_Person | None, list[_Person]]:
    """The organiser and every attendee (the organiser among them), once each."""
    organiser_prop = event.get("ORGANIZER")
    people: dict[str, _Person] = {}
    organiser = None
    for prop in ([organiser_prop] if organiser_prop else []) + event.all("ATTENDEE"):
        address = _address(prop)
        name = clean_text(prop.param("CN")).strip()[:200]
        if not address and not name:
            continue
        is_me = address in me or name.casefold() in ME_NAMES
        met = not (
            prop.param("PARTSTAT").upper() in _NOT_MET
            or prop.param("CUTYPE").upper() in _NOT_PEOPLE
            or prop.param("ROLE").upper() == "NON-PARTICIPANT"
            or bool(address and _NOT_PERSON_ADDRESS.search(address))
        )
        key = address or f"name:{name.casefold()}"
        person = _Person(address, name, is_me, met)
        if prop is organiser_prop:
            organiser = person
        if key in people:
            # The organiser listed again as attendee: their answer is what counts.
            people[key].met = met if prop is not organiser_prop else people[key].met
            people[key].me = people[key].me or is_me
            continue
        people[key] = person
    return organiser, list(people.values())


def read_calendar(
    opener: Opener,
    encoding: str,
    file: str,
    *,
    me_emails: Iterable[str] = (),
    now: dt.datetime | None = None,
    default_tz: str = "Europe/Brussels",
) -> Iterator[InteractionRecord | Problem]:
    """Meetings of an .ics file as interactions with everyone met but the account holder.

    A video link in the event makes it a call; otherwise one other attendee is a one-to-one
    meeting, a few a small group, many an event. Cancelled events and meetings after ``now``
    are skipped (without ``now``, a recurring event gives its first :data:`MAX_OCCURRENCES`).
    """
    with opener() as binary:
        lines = list(unfold(text_lines(text_stream(binary, encoding))))
    default = zoneinfo.ZoneInfo(default_tz)
    calendars: list[_Calendar] = []
    for block in _blocks(lines, file):
        if isinstance(block, Problem):
            yield block
        else:
            calendars.append(block)
    del lines
    me = {e.strip().casefold() for e in me_emails if e.strip()}
    counts: Counter[str] = Counter()
    events = 0
    for calendar in calendars:
        for event in calendar.events:
            events += 1
            _organiser, people = _people(event, me)
            me.update(p.address for p in people if p.me and p.address)
            counts.update({p.address for p in people if p.address})
    top = counts.most_common(2)
    if events > 1 and top and (len(top) == 1 or top[0][1] > top[1][1]):
        me.add(top[0][0])  # only a clear winner: in a tie, the holder may be either
    for calendar in calendars:
        zones = _Zones(default, calendar.zones)
        warnings: set[str] = set()
        overrides = _overrides(calendar.events, zones)
        for event in calendar.events:
            try:
                yield from _event(event, file, me, now, zones, warnings, overrides)
            except Exception as exc:  # a property in a shape this reader does not foresee
                yield Problem(file, event.line, "VEVENT", "unreadable_event",
                              {"detail": type(exc).__name__})  # fmt: skip
        for tzid in sorted(warnings):
            yield Problem(file, calendar.line, "TZID", "unknown_timezone",
                          {"tzid": tzid[:80], "used": default_tz}, skipped=False)  # fmt: skip


def _overrides(events: list[_Event], zones: _Zones) -> set[tuple[str, dt.datetime]]:
    """(UID, original start in UTC) of every occurrence a RECURRENCE-ID event replaces."""
    found = set()
    for event in events:
        prop = event.get("RECURRENCE-ID")
        if prop is None:
            continue
        try:
            found.add((event.text("UID"), _moment(prop, zones, set()).utc()))
        except _BadTime:
            continue
    return found


def _event(
    event: _Event,
    file: str,
    me: set[str],
    now: dt.datetime | None,
    zones: _Zones,
    warnings: set[str],
    overrides: set[tuple[str, dt.datetime]],
) -> Iterator[Item]:
    line = event.line
    if event.text("STATUS").upper() == "CANCELLED":
        return
    organiser, people = _people(event, me)
    if any(p.me and not p.met for p in people):
        return  # the account holder declined: nobody was met
    others = [p for p in people if p.met and not p.me and p.address not in me]
    if not others:
        return
    start_prop = event.get("DTSTART")
    if start_prop is None:
        yield Problem(file, line, "DTSTART", "no_start")
        return
    try:
        start = _moment(start_prop, zones, warnings)
    except _BadTime as exc:
        yield Problem(file, line, "DTSTART", "bad_date", {"value": str(exc)})
        return
    length = _length(event, start, zones, warnings)
    uid = event.text("UID")
    starts, problem = _occurrences(event, start, now, zones, warnings)
    if problem is not None:
        yield Problem(file, line, "RRULE", problem[0], problem[1], skipped=False)
    if event.get("RECURRENCE-ID") is None:
        starts = [s for s in starts if (uid, s.astimezone(dt.UTC)) not in overrides]
    if not starts:
        if now is not None and start.utc() > now and event.get("RRULE") is None:
            yield Problem(file, line, "DTSTART", "future")
        return
    minutes = max(1, min(int(length.total_seconds() // 60), 24 * 60))
    video = any(VIDEO_LINK.search(p.value) for p in event.props if p.name in _VIDEO_PROPERTIES)
    if video:
        channel = "call"
    elif len(others) == 1:
        channel = "in_person"
    elif len(others) <= SMALL_GROUP_MAX:
        channel = "small_group"
    else:
        channel = "event"
    summary = " ".join(event.text("SUMMARY").split())
    refs = [PersonRef(name=p.name, email=p.address) for p in others]
    by_them = organiser is not None and not organiser.me and organiser.address not in me
    for occurrence in starts:
        moment = occurrence.astimezone(dt.UTC)
        if start.all_day:
            moment = dt.datetime.combine(occurrence.date(), dt.time(12), tzinfo=dt.UTC)
        yield InteractionRecord(
            file=file,
            line=line,
            source="ical",
            occurred_at=moment,
            channel=channel,
            people=list(refs),
            minutes=minutes,
            initiated_by="them" if by_them else "me",
            answered=True,
            summary=summary[:500],
            key=hashlib.sha1(
                f"ical\x1f{uid or summary}\x1f{moment.isoformat()}".encode()
            ).hexdigest(),
        )


def _length(event: _Event, start: _Moment, zones: _Zones, warnings: set[str]) -> dt.timedelta:
    end_prop = event.get("DTEND")
    if end_prop is not None:
        try:
            end = _moment(end_prop, zones, warnings)
        except _BadTime:
            end = None
        if end is not None and end.value.tzinfo is not None and start.value.tzinfo is not None:
            if end.value > start.value:
                return end.value - start.value
        elif end is not None and end.all_day and start.all_day and end.value > start.value:
            return dt.timedelta(hours=1)  # a whole day is not a day of talking
    duration_prop = event.get("DURATION")
    if duration_prop is not None:
        found = _duration(duration_prop.value)
        if found is not None and found > dt.timedelta(0):
            return found
    return dt.timedelta(hours=1)


def _rule_text(value: str, start: _Moment) -> str:
    """An RRULE with its UNTIL in the form dateutil accepts beside the start."""
    parts = []
    for part in value.strip().split(";"):
        key, _, raw = part.partition("=")
        if key.strip().upper() == "UNTIL":
            m = _DATE_TIME.match(raw.strip().replace("-", "").replace(":", ""))
            if m is None:
                continue
            year, month, day, hour, minute, second, utc = m.groups()
            until = dt.datetime(int(year), int(month), int(day), int(hour or 23),
                                int(minute or 59), int(second or 59))  # fmt: skip
            if start.value.tzinfo is None:
                raw = until.strftime("%Y%m%dT%H%M%S")
            else:
                aware = until.replace(tzinfo=dt.UTC if utc else start.value.tzinfo)
                raw = aware.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{key.strip().upper()}={raw.strip()}")
    return ";".join(parts)


def _occurrences(
    event: _Event,
    start: _Moment,
    now: dt.datetime | None,
    zones: _Zones,
    warnings: set[str],
) -> tuple[list[dt.datetime], tuple[str, dict[str, object]] | None]:
    """The starts of an event's meetings up to ``now`` (the most recent, at most
    :data:`MAX_OCCURRENCES`), and a warning when some were left out or the rule is unreadable."""
    first = start.value
    limit = now if now is not None else None
    if first.tzinfo is None and limit is not None:
        limit = limit.astimezone(zones.default).replace(tzinfo=None)
    rules = event.all("RRULE")
    extra = event.all("RDATE")
    if not rules and not extra:
        return ([first] if limit is None or first <= limit else []), None
    excluded: set[dt.datetime] = set()
    for prop in event.all("EXDATE"):
        for value in prop.value.split(","):
            part = Property(prop.line, "", "EXDATE", prop.params, value)
            try:
                excluded.add(_moment(part, zones, warnings).value)
            except _BadTime:
                continue
    found: set[dt.datetime] = {first}
    for prop in extra:
        for value in prop.value.split(","):
            part = Property(prop.line, "", "RDATE", prop.params, value.split("/")[0])
            try:
                found.add(_moment(part, zones, warnings).value)
            except _BadTime:
                continue
    recent: deque[dt.datetime] = deque(maxlen=MAX_OCCURRENCES)
    problem: tuple[str, dict[str, object]] | None = None
    try:
        for prop in rules:
            rule = rrule.rrulestr(_rule_text(prop.value, start), dtstart=first, cache=False)
            for steps, moment in enumerate(rule):
                if (limit is not None and moment > limit) or steps >= MAX_RECURRENCE_STEPS:
                    break
                if limit is None and steps >= MAX_OCCURRENCES:
                    break
                found.add(moment)
    except (ValueError, TypeError, OverflowError):
        problem = ("recurrence_unreadable", {})
        found = {first}
    kept = sorted(m for m in found if m not in excluded and (limit is None or m <= limit))
    recent.extend(kept)
    if len(kept) > len(recent) and problem is None:
        problem = ("recurrence_cut", {"kept": MAX_OCCURRENCES})
    return list(recent), problem
