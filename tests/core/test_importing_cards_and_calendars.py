"""vCards and calendars read whole: one bad property costs that property, never the card;
recurring meetings, declined attendees, the account holder and time zones as they really come.

The cards and calendars are written here in the shapes Outlook, Apple, Google, Lotus Notes,
The Bat! and Android export, with the traps those exports have.
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kring.core.importing import (
    ContactRecord,
    InteractionRecord,
    Problem,
    open_source,
)
from kring.core.importing.calendar import MAX_OCCURRENCES

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _items(name, data, **kw):
    sources = open_source(name, data, **kw)
    return [item for source in sources for item in source.items()]


def _cards(text: str, encoding: str = "utf-8"):
    items = _items("contacts.vcf", text.replace("\n", "\r\n").encode(encoding))
    records = [i for i in items if isinstance(i, ContactRecord)]
    problems = [(p.line, p.field, p.code, p.skipped) for p in items if isinstance(p, Problem)]
    return records, problems


VCARD_21 = """BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Pe=C3=ABters;J=C3=A9r=C3=B4me;;;
TEL;WORK;VOICE:+32 2 512 34 56
TEL;CELL:0470 11 22 33
EMAIL;PREF;INTERNET:jerome@example.be
item1.EMAIL;type=INTERNET:jp@home.example
item1.X-ABLabel:_$!<Home>!$_
ORG:Acme NV;R&D
TITLE:CTO
BDAY:1980-02-29
NOTE;ENCODING=QUOTED-PRINTABLE:Eerste lijn=0D=0Atweede =
lijn
END:VCARD
"""


def test_it_reads_vcard_21_with_quoted_printable_types_and_groups():
    (record,), problems = _cards(VCARD_21)
    assert problems == []
    assert (record.given_name, record.surname) == ("Jérôme", "Peëters")
    assert record.phones == [("+3225123456", "work"), ("+32470112233", "mobile")]
    assert record.emails == [("jerome@example.be", ""), ("jp@home.example", "home")]
    assert (record.organisation, record.title) == ("Acme NV", "CTO")
    assert record.birthday == dt.date(1980, 2, 29)
    assert record.note == "Eerste lijn\r\ntweede lijn"


def test_it_reads_vcard_40_with_folded_lines_uri_phones_and_escapes():
    card = (
        "BEGIN:VCARD\nVERSION:4.0\nFN:Marie De Smet\nN:De Smet;Marie;;;\n"
        "EMAIL;TYPE=work:marie@beta.example\n"
        'TEL;VALUE=uri;TYPE="voice,cell":tel:+31-6-1234-5678\n'
        "NOTE:een lange notitie die over twee\n  regels gevouwen is\\, met een komma\n"
        "ORG:Beta\\, Gamma & Co;Verkoop\nEND:VCARD\n"
    )
    (record,), _ = _cards(card)
    assert (record.particles, record.surname) == ("De", "Smet")
    assert record.phones == [("+31612345678", "mobile")]
    assert record.note == "een lange notitie die over twee regels gevouwen is, met een komma"
    assert record.organisation == "Beta, Gamma & Co"


OUTLOOK_21_WINDOWS_1252 = """BEGIN:VCARD
VERSION:2.1
N;LANGUAGE=nl-be;ENCODING=QUOTED-PRINTABLE:Dupr=E9;Ren=E9
FN;ENCODING=QUOTED-PRINTABLE:Ren=E9 Dupr=E9
ORG;ENCODING=QUOTED-PRINTABLE:Caf=E9 de la Gare
TEL;WORK;VOICE:+32 9 223 45 67
TEL;CELL;VOICE:0475 12 34 56
NOTE;ENCODING=QUOTED-PRINTABLE:Ontmoet op de beurs=0D=0A=
Houdt van cr=E8me br=FBl=E9e
EMAIL;PREF;INTERNET:rene@gare.example
X-MS-OL-DEFAULT-POSTAL-ADDRESS:2
END:VCARD
"""


def test_it_decodes_8_bit_quoted_printable_without_a_charset_as_windows_1252():
    (record,), problems = _cards(OUTLOOK_21_WINDOWS_1252)
    assert problems == []
    assert (record.given_name, record.surname, record.organisation) == (
        "René",
        "Dupré",
        "Café de la Gare",
    )
    assert record.note == "Ontmoet op de beurs\r\nHoudt van crème brûlée"


def test_it_decodes_quoted_printable_with_the_charset_another_property_of_the_card_names():
    card = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "N;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:Nov=E1k;Ji=F8=ED\n"
        "ORG;ENCODING=QUOTED-PRINTABLE:=A9koda Auto\n"  # the Bat! leaves the charset off here
        "TEL;CELL:+420 601 123 456\nEND:VCARD\n"
    )
    (record,), _ = _cards(card)
    assert (record.given_name, record.surname, record.organisation) == (
        "Jiří",
        "Novák",
        "Škoda Auto",
    )


def test_it_reads_utf_8_quoted_printable_without_a_charset_as_utf_8():
    card = "BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Zo=C3=AB\nEND:VCARD\n"
    (record,), _ = _cards(card)
    assert (record.given_name, record.surname) == ("Zoë", "Müller")


def _photo(lines: int) -> str:
    data = base64.b64encode(bytes(range(256)) * (lines * 54 // 256 + 1)).decode()[: lines * 72]
    return "\n ".join(data[i : i + 72] for i in range(0, len(data), 72))


def test_it_skips_photos_long_or_broken_and_keeps_the_card():
    cards = (
        f"BEGIN:VCARD\nVERSION:3.0\nN:Peeters;Jan;;;\nPHOTO;ENCODING=b;TYPE=JPEG:{_photo(6000)}\n"
        "EMAIL:jan@acme.example\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Maes;Els;;;\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ%%%%not base64 at all\n  @@@@\n"
        "EMAIL:els@beta.example\nEND:VCARD\n"
        # vCard 2.1 as old phones write it: base64 lines without indentation, a blank line.
        "BEGIN:VCARD\nVERSION:2.1\nN:Wouters;Koen\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\n"
        "/9j/4AAQSkZJRgABAQEAYABgAAD\nAAgAAYdpAAQAAAABAAAAGgAAAAAAAqACAAQ\n\n"
        "TEL;CELL:0476 99 88 77\nEND:VCARD\n"
    )
    records, problems = _cards(cards)
    assert [
        (r.given_name, [e for e, _ in r.emails] + [p for p, _ in r.phones]) for r in records
    ] == [
        ("Jan", ["jan@acme.example"]),
        ("Els", ["els@beta.example"]),
        ("Koen", ["+32476998877"]),
    ]
    assert problems == []


def test_it_leaves_out_one_bad_property_with_a_warning_and_keeps_the_card():
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Claes;Bart;;;\nNOTE;ENCODING=b:@@@ not base64 @@@\n"
        "TEL;TYPE=cell:not a number\nEMAIL:bart@delta.example\nBDAY:someday\nEND:VCARD\n"
    )
    (record,), problems = _cards(card)
    assert record.emails == [("bart@delta.example", "")]
    assert problems == [
        (4, "NOTE", "bad_property", False),
        (1, "TEL", "bad_phone", False),
        (1, "BDAY", "bad_date", False),
    ]


def test_it_reads_lotus_notes_cards_that_start_with_profile_vcard():
    card = (
        "BEGIN:VCARD\nPROFILE:VCARD\nVERSION:3.0\nNAME:Notes export\nSOURCE:ldap://example\n"
        "FN:Anne Wils\nN:Wils;Anne;;;\nORG:Gamma\nEMAIL;TYPE=INTERNET:anne@gamma.example\n"
        "END:VCARD\n"
    )
    (record,), problems = _cards(card)
    assert (record.given_name, record.surname, record.organisation) == ("Anne", "Wils", "Gamma")
    assert problems == []


@pytest.mark.parametrize(
    "marker",
    ["X-ABShowAs:COMPANY", "KIND:org"],
)
def test_it_makes_a_companys_own_card_an_organisation_not_a_person(marker):
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//macOS 14.2//EN\nN:;;;;\n"
        "FN:Brouwerij Het Anker\nORG:Brouwerij Het Anker;\n"
        "TEL;type=WORK;type=VOICE:+32 15 28 71 41\n"
        f"item1.URL;type=pref:www.hetanker.example\n{marker}\nEND:VCARD\n"
    )
    (record,), problems = _cards(card)
    assert (record.kind, record.organisation, record.given_name) == (
        "organisation",
        "Brouwerij Het Anker",
        "",
    )
    assert record.website == "https://www.hetanker.example"
    assert problems == []


def test_it_reports_a_card_without_end_and_reads_the_next_and_skips_a_nested_agent():
    cards = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Half;Kaart;;;\n"
        "BEGIN:VCARD\nVERSION:2.1\nN:Smet;Piet\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nN:Agent;Secret\n"
        "END:VCARD\nTEL;CELL:0470 00 11 22\nEND:VCARD\n"
    )
    records, problems = _cards(cards)
    assert [(r.given_name, r.surname) for r in records] == [("Piet", "Smet")]
    assert problems == [(1, "END:VCARD", "no_end", True)]


# -- calendars -----------------------------------------------------------------------------------


def _calendar(*events: str, extra: str = "") -> bytes:
    body = "".join(events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//NL\n{extra}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def _event(uid: str, *lines: str, organiser: str = "ORGANIZER;CN=Alice:mailto:alice@example.be"):
    return (
        "BEGIN:VEVENT\n"
        + f"UID:{uid}\n"
        + "".join(f"{line}\n" for line in (*lines, organiser))
        + ("END:VEVENT\n")
    )


def _meetings(data: bytes, **kw):
    kw.setdefault("me_emails", ["alice@example.be"])
    kw.setdefault("now", NOW)
    items = _items("agenda.ics", data, **kw)
    return (
        [i for i in items if isinstance(i, InteractionRecord)],
        [(p.field, p.code, p.skipped) for p in items if isinstance(p, Problem)],
    )


def test_it_makes_each_occurrence_of_a_weekly_one_to_one_up_to_now_an_interaction():
    weekly = _event(
        "weekly-1on1",
        "DTSTART;TZID=Europe/Brussels:20260302T090000",
        "DTEND;TZID=Europe/Brussels:20260302T093000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "EXDATE;TZID=Europe/Brussels:20260316T090000",
        "SUMMARY:Wekelijks overleg",
        "ATTENDEE;CN=Jan Peeters;PARTSTAT=ACCEPTED:mailto:jan@acme.example",
    )
    moved = _event(
        "weekly-1on1",
        "RECURRENCE-ID;TZID=Europe/Brussels:20260323T090000",
        "DTSTART;TZID=Europe/Brussels:20260324T140000",
        "DTEND;TZID=Europe/Brussels:20260324T143000",
        "SUMMARY:Wekelijks overleg (verplaatst)",
        "ATTENDEE;CN=Jan Peeters:mailto:jan@acme.example",
    )
    meetings, problems = _meetings(
        _calendar(weekly, moved), now=dt.datetime(2026, 4, 7, 12, tzinfo=dt.UTC)
    )
    starts = sorted(m.occurred_at for m in meetings)
    assert starts == [
        dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC),  # 09:00 in Brussels, winter time
        dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 24, 13, 0, tzinfo=dt.UTC),  # the one moved to Tuesday
        dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC),  # summer time: still 09:00 there
        dt.datetime(2026, 4, 6, 7, 0, tzinfo=dt.UTC),
    ]
    assert {(m.channel, m.minutes, m.people[0].email) for m in meetings} == {
        ("in_person", 30, "jan@acme.example")
    }
    assert len({m.key for m in meetings}) == 5
    assert problems == []


def test_it_keeps_the_most_recent_occurrences_of_an_endless_daily_meeting_and_says_so():
    daily = _event(
        "daily-standup",
        "DTSTART:20150105T083000Z",
        "DURATION:PT15M",
        "RRULE:FREQ=DAILY",
        "ATTENDEE:mailto:jan@acme.example",
        "ATTENDEE:mailto:els@acme.example",
    )
    meetings, problems = _meetings(_calendar(daily))
    assert len(meetings) == MAX_OCCURRENCES
    assert max(m.occurred_at for m in meetings) == dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC)
    assert {(m.channel, m.minutes) for m in meetings} == {("small_group", 15)}
    assert problems == [("RRULE", "recurrence_cut", False)]


def test_it_imports_the_first_meeting_of_a_rule_it_cannot_read_and_says_so():
    odd = _event(
        "odd",
        "DTSTART:20260105T083000Z",
        "RRULE:FREQ=SOMETIMES;BYDAY=XX",
        "ATTENDEE:mailto:jan@acme.example",
    )
    meetings, problems = _meetings(_calendar(odd))
    assert [m.occurred_at for m in meetings] == [dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC)]
    assert problems == [("RRULE", "recurrence_unreadable", False)]


def test_it_does_not_count_declined_delegated_rooms_or_resources_as_met():
    meeting = _event(
        "m1",
        "DTSTART:20260301T090000Z",
        "DTEND:20260301T100000Z",
        "ATTENDEE;CN=Jan;PARTSTAT=ACCEPTED:mailto:jan@acme.example",
        "ATTENDEE;CN=Els;PARTSTAT=DECLINED:mailto:els@acme.example",
        'ATTENDEE;CN="Maes, Piet";PARTSTAT=DELEGATED;DELEGATED-TO="mailto:jan@acme.example"'
        ":mailto:piet@acme.example",
        "ATTENDEE;CUTYPE=ROOM;CN=Zaal Schelde:mailto:zaal-schelde@acme.example",
        "ATTENDEE;CUTYPE=RESOURCE;CN=Beamer:mailto:c_188@resource.calendar.google.com",
        "ATTENDEE;ROLE=NON-PARTICIPANT;CN=Secretariaat:mailto:secretariaat@acme.example",
    )
    (one,), problems = _meetings(_calendar(meeting))
    assert problems == []
    assert [p.email for p in one.people] == ["jan@acme.example"]
    assert one.channel == "in_person"
    declined_by_me = _event(
        "m2",
        "DTSTART:20260302T090000Z",
        "ATTENDEE;CN=Jan:mailto:jan@acme.example",
        "ATTENDEE;CN=Alice;PARTSTAT=DECLINED:mailto:alice@example.be",
        organiser="ORGANIZER;CN=Jan:mailto:jan@acme.example",
    )
    assert _meetings(_calendar(declined_by_me)) == ([], [])


def test_it_never_takes_the_account_holder_for_someone_else():
    # Outlook in Dutch names the holder "Ik", with the work address Kring was not told.
    by_me = _event(
        "m1",
        "DTSTART:20260301T090000Z",
        "ATTENDEE;CN=Jan Peeters:mailto:jan@acme.example",
        organiser="ORGANIZER;CN=Ik:mailto:alice.a@werk.example",
    )
    by_jan = _event(
        "m2",
        "DTSTART:20260302T090000Z",
        "ATTENDEE;CN=Alice (werk);PARTSTAT=ACCEPTED:mailto:alice.a@werk.example",
        organiser="ORGANIZER;CN=Jan Peeters:mailto:jan@acme.example",
    )
    meetings, _ = _meetings(_calendar(by_me, by_jan), me_emails=["alice@example.be"])
    assert [([p.email for p in m.people], m.initiated_by) for m in meetings] == [
        (["jan@acme.example"], "me"),
        (["jan@acme.example"], "them"),
    ]
    # The addresses the account names as its own are never someone else either.
    single = _event(
        "m3",
        "DTSTART:20260303T090000Z",
        "ATTENDEE:mailto:jan@acme.example",
        organiser="ORGANIZER:mailto:alice@werk.example",
    )
    (meeting,), _ = _meetings(
        _calendar(single), me_emails=["alice@example.be", "alice@werk.example"]
    )
    assert [p.email for p in meeting.people] == ["jan@acme.example"]
    assert meeting.initiated_by == "me"


def test_it_reads_a_dtend_with_a_leading_space_and_windows_time_zones():
    meeting = _event(
        "m1",
        "DTSTART;TZID=W. Europe Standard Time:20260115T140000",
        "DTEND: 20260115T133000Z",
        "ATTENDEE:mailto:jan@acme.example",
    )
    local = _event(
        "m2",
        'DTSTART;TZID="Brussel, Kopenhagen, Madrid, Parijs":20260116T140000',
        'DTEND;TZID="Brussel, Kopenhagen, Madrid, Parijs":20260116T150000',
        "ATTENDEE:mailto:jan@acme.example",
    )
    meetings, problems = _meetings(_calendar(meeting, local))
    assert [(m.occurred_at, m.minutes) for m in meetings] == [
        (dt.datetime(2026, 1, 15, 13, 0, tzinfo=dt.UTC), 30),
        (dt.datetime(2026, 1, 16, 13, 0, tzinfo=dt.UTC), 60),  # read in Brussels time
    ]
    assert problems == [("TZID", "unknown_timezone", False)]


def test_it_reads_every_vcalendar_block_and_reports_the_broken_one():
    first = _calendar(_event("a", "DTSTART:20260301T090000Z", "ATTENDEE:mailto:jan@acme.example"))
    broken = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260302T090000Z\r\n"
        b"ATTENDEE:mailto:els@acme.example\r\nEND:VCALENDAR\r\n"
    )
    last = _calendar(_event("c", "DTSTART:20260303T090000Z", "ATTENDEE:mailto:piet@acme.example"))
    meetings, problems = _meetings(first + broken + last)
    assert [m.people[0].email for m in meetings] == ["jan@acme.example", "piet@acme.example"]
    assert problems == [("VCALENDAR", "unreadable_calendar", True)]


def test_it_skips_cancelled_meetings_and_says_which_are_still_to_come():
    cancelled = _event(
        "a", "DTSTART:20260301T090000Z", "STATUS:CANCELLED", "ATTENDEE:mailto:jan@acme.example"
    )
    coming = _event("b", "DTSTART:20261201T090000Z", "ATTENDEE:mailto:jan@acme.example")
    assert _meetings(_calendar(cancelled, coming)) == ([], [("DTSTART", "future", True)])


def test_it_gives_calendar_events_their_channel():
    def event(uid, attendees, location=""):
        lines = ["DTSTART:20260301T090000Z", "DTEND:20260301T093000Z", "SUMMARY:Overleg"]
        lines += [f"ATTENDEE:mailto:{a}" for a in attendees]
        if location:
            lines.append(f"LOCATION:{location}")
        return _event(uid, *lines, organiser="ORGANIZER:mailto:me@example.be")

    ics = _calendar(
        event(1, ["a@x.be"]),
        event(2, ["a@x.be", "b@x.be", "c@x.be"]),
        event(3, ["a@x.be"], "https://teams.microsoft.com/l/meetup-join/1"),
        event(4, [f"p{i}@x.be" for i in range(20)]),
    )
    meetings, _ = _meetings(ics, me_emails=["me@example.be"])
    assert [(i.channel, len(i.people), i.minutes) for i in meetings] == [
        ("in_person", 1, 30),
        ("small_group", 3, 30),
        ("call", 1, 30),
        ("event", 20, 30),
    ]
    assert all(i.initiated_by == "me" for i in meetings)
