"""The readers of kring.core.importing: formats, encodings, rows that go wrong, and fuzzing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.core.importing import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    Problem,
    open_source,
)
from kring.core.importing.matching import PeopleIndex, name_key

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROW = "Zoë,Van den Bossche,https://www.linkedin.com/in/zvdb,,Brouwerij Café,CEO,08 Feb 2026\n"


def _items(name, data, **kw):
    (source,) = open_source(name, data, **kw)
    return source, list(source.items())


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_it_reads_each_encoding_exports_use(encoding, expected):
    source, items = _items("Connections.csv", ("Notes:\n\n" + HEADER + ROW).encode(encoding))
    assert (source.format, source.encoding) == ("linkedin_connections", expected)
    (record,) = items
    assert (record.given_name, record.particles, record.surname) == ("Zoë", "Van den", "Bossche")
    assert record.organisation == "Brouwerij Café"


def test_it_finds_the_header_without_preamble_and_without_url_column():
    data = "First Name,Last Name,Email Address,Company,Position,Connected On\n"
    data += "Jan,Peeters,jan@example.be,Acme,CEO,14 Mar 2019\n"
    _source, (record,) = _items("Connections.csv", data.encode())
    assert record.emails == [("jan@example.be", "")]
    assert record.connected_on == dt.date(2019, 3, 14)
    assert record.linkedin_url == ""


def test_it_reports_row_problems_with_line_and_field_and_loses_only_the_field():
    data = HEADER + "Jan,Peeters,,not-an-address,Acme,CEO,08 Feb 2026\n"
    data += ",,,,Acme,,08 Feb 2026\n" + "Els,Maes,,,,,30 Feb 2026\n" + "Ann,Wils,,NA,,,n/a\n"
    _source, items = _items("c.csv", ("Notes:\n\n" + data).encode())
    problems = [(p.line, p.field, p.code, p.skipped) for p in items if isinstance(p, Problem)]
    assert problems == [
        (4, "Email Address", "bad_email", False),
        (5, "First Name", "no_name", True),
        (6, "Connected On", "impossible_date", False),
    ]
    people = [r for r in items if isinstance(r, ContactRecord)]
    assert [(r.given_name, r.emails, r.connected_on) for r in people] == [
        ("Jan", [], dt.date(2026, 2, 8)),
        ("Els", [], None),
        ("Ann", [], None),  # "NA" and "n/a" are how people write "nothing": no problem
    ]


VCARD_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Pe=C3=ABters;J=C3=A9r=C3=B4me;;;\r\n"
    "TEL;WORK;VOICE:+32 2 512 34 56\r\nTEL;CELL:0470 11 22 33\r\n"
    "EMAIL;PREF;INTERNET:jerome@example.be\r\n"
    "item1.EMAIL;type=INTERNET:jp@home.example\r\nitem1.X-ABLabel:_$!<Home>!$_\r\n"
    "ORG:Acme NV;R&D\r\nTITLE:CTO\r\nBDAY:1980-02-29\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:Eerste lijn=0D=0Atweede =\r\nlijn\r\n"
    "END:VCARD\r\n"
)
VCARD_40 = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Marie De Smet\r\nN:De Smet;Marie;;;\r\n"
    "EMAIL;TYPE=work:marie@beta.example\r\n"
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+31-6-1234-5678\r\n'
    "NOTE:een lange notitie die over twee\r\n  regels gevouwen is\r\nEND:VCARD\r\n"
)


def test_it_reads_vcard_21_with_quoted_printable_types_and_groups():
    source, (record,) = _items("phone.vcf", VCARD_21.encode())
    assert source.format == "vcard"
    assert (record.given_name, record.surname) == ("Jérôme", "Peëters")
    assert record.phones == [("+3225123456", "work"), ("+32470112233", "mobile")]
    assert record.emails == [("jerome@example.be", ""), ("jp@home.example", "home")]
    assert (record.organisation, record.title) == ("Acme NV", "CTO")
    assert record.birthday == dt.date(1980, 2, 29)
    assert record.note == "Eerste lijn\r\ntweede lijn"


def test_it_reads_vcard_40_with_folded_lines_and_uri_phones():
    _source, (record,) = _items("a.vcf", VCARD_40.encode())
    assert (record.particles, record.surname) == ("De", "Smet")
    assert record.phones == [("+31612345678", "mobile")]
    assert record.note == "een lange notitie die over twee regels gevouwen is"


def test_it_skips_a_broken_card_and_reads_the_next():
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nEND:VCARD\r\n" + VCARD_40
    _source, items = _items("a.vcf", data.encode())
    assert isinstance(items[0], Problem) and items[0].line == 1
    assert isinstance(items[1], ContactRecord)


GOOGLE = (
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,"
    "Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
    "Anne,Marie,van Dijk,,Gamma BV,HR,1985-06-01,,* myContacts,* Work,"
    "anne@gamma.example ::: anne@home.example,Mobile,06 12345678\n"
)
GOOGLE_LEGACY = (
    "Name,Given Name,Additional Name,Family Name,Birthday,Notes,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,"
    "Organization 1 - Title\n"
    "Bart Claes,Bart,,Claes,,,* My Contacts,* Work,bart@delta.example,Mobile,+32 470 22 33 44,"
    "Delta,CEO\n"
)
OUTLOOK = (
    "First Name,Middle Name,Last Name,Title,Company,Job Title,E-mail Address,"
    "Mobile Phone,Business Phone,Birthday,Notes\n"
    "Koen,,Wouters,Mr.,Epsilon NV,Sales,koen@epsilon.example,0475 11 22 33,,2/29/1980,Golf\n"
)


@pytest.mark.parametrize(
    ("data", "fmt", "name", "org", "email"),
    [
        (GOOGLE, "google", ("Anne Marie", "van", "Dijk"), "Gamma BV", "anne@gamma.example"),
        (GOOGLE_LEGACY, "google_legacy", ("Bart", "", "Claes"), "Delta", "bart@delta.example"),
        (OUTLOOK, "outlook", ("Koen", "", "Wouters"), "Epsilon NV", "koen@epsilon.example"),
    ],
)
def test_it_reads_google_and_outlook_csv_by_header(data, fmt, name, org, email):
    source, (record,) = _items("contacts.csv", data.encode(), region="NL")
    assert source.format == fmt
    assert (record.given_name, record.particles, record.surname) == name
    assert record.organisation == org
    assert record.emails[0][0] == email
    assert record.phones


def test_it_reads_outlook_birthdays_month_first():
    _source, (record,) = _items("contacts.csv", OUTLOOK.encode())
    assert record.birthday == dt.date(1980, 2, 29)


def _event(uid, attendees, location=""):
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTART:20260301T090000Z", "DTEND:20260301T093000Z",
             "SUMMARY:Overleg", "ORGANIZER:mailto:me@example.be"]  # fmt: skip
    lines += [f"ATTENDEE:mailto:{a}" for a in attendees]
    if location:
        lines.append(f"LOCATION:{location}")
    return "\r\n".join([*lines, "END:VEVENT"]) + "\r\n"


def test_it_gives_calendar_events_their_channel():
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
    ics += _event(1, ["a@x.be"]) + _event(2, ["a@x.be", "b@x.be", "c@x.be"])
    ics += _event(3, ["a@x.be"], "https://teams.microsoft.com/l/meetup-join/1")
    ics += _event(4, [f"p{i}@x.be" for i in range(20)]) + "END:VCALENDAR\r\n"
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    source, items = _items("a.ics", ics.encode(), me_emails=["me@example.be"], now=now)
    assert source.format == "ical"
    assert [(i.channel, len(i.people), i.minutes) for i in items] == [
        ("in_person", 1, 30),
        ("small_group", 3, 30),
        ("call", 1, 30),
        ("event", 20, 30),
    ]
    assert all(isinstance(i, InteractionRecord) and i.initiated_by == "me" for i in items)


def test_it_refuses_what_it_cannot_read_and_says_where():
    with pytest.raises(ImportFileError, match=r"^empty.csv: the file is empty"):
        open_source("empty.csv", b"")
    with pytest.raises(ImportFileError, match="binary"):
        open_source("x.csv", bytes(range(256)) * 10)
    with pytest.raises(ImportFileError, match="damaged ZIP"):
        open_source("x.zip", b"PK\x03\x04broken")


def test_it_matches_by_identifier_surely_and_by_name_probably():
    index = PeopleIndex()
    index.add(1, given="Jan", particles="van der", surname="Berg", organisation="Acme NV",
              emails=["jan@acme.example"], phones=["+32470123456"])  # fmt: skip
    same_email = ContactRecord("f", 1, "vcard", "J.", "", "Berg", emails=[("JAN@acme.example", "")])
    assert index.exact(same_email) == 1
    typo = ContactRecord("f", 1, "vcard", "Jan", "", "Vanderberg", organisation="acme")
    assert index.likely(ContactRecord("f", 1, "vcard", "Jàn", "Van Der", "Berg")) == (1, 100.0)
    assert index.likely(typo) is None  # a different surname is not folded into "Berg"
    elsewhere = ContactRecord("f", 1, "vcard", "Jan", "van der", "Berg", organisation="Zeta")
    assert index.likely(elsewhere) is None
    assert name_key("Élise", "de", "Wit") == name_key("elise", "", "WIT")


# -- fuzzing: whatever the input, a reader imports or reports --------------------------------

cells = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=7, max_size=7), max_size=8), st.booleans())
def test_it_never_crashes_on_generated_connections(rows, preamble):
    out = io.StringIO()
    if preamble:
        out.write("Notes:\n\n")
    writer = csv.writer(out)
    writer.writerow(HEADER.strip().split(","))
    writer.writerows(rows)
    try:
        sources = open_source("Connections.csv", out.getvalue().encode())
    except ImportFileError:
        return  # a NUL byte makes it a binary file: reported, not imported
    for source in sources:
        for item in source.items():
            assert isinstance(item, ContactRecord | Problem)
            if isinstance(item, ContactRecord):
                assert item.given_name and len(item.given_name) <= 100


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "N",
                    "FN",
                    "EMAIL",
                    "TEL",
                    "ORG",
                    "BDAY",
                    "NOTE",
                    "item1.EMAIL",
                    "TEL;TYPE=cell",
                    "N;ENCODING=QUOTED-PRINTABLE",
                    "X-FOO",
                    "TITLE",
                ]
            ),
            cells,
        ),
        max_size=10,
    ),
    st.sampled_from(["2.1", "3.0", "4.0"]),
    st.booleans(),
)
def test_it_never_crashes_on_generated_vcards(props, version, finished):
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    lines += [f"{name}:{value}" for name, value in props]
    if finished:
        lines.append("END:VCARD")
    data = "\r\n".join(lines).encode()
    try:
        sources = open_source("fuzz.vcf", data)
    except ImportFileError:
        return
    for source in sources:
        for item in source.items():
            assert isinstance(item, ContactRecord | Problem)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_it_never_crashes_on_arbitrary_bytes(data):
    try:
        sources = open_source("anything", data)
    except ImportFileError:
        return
    for source in sources:
        try:
            for _item in source.items():
                pass
        except ImportFileError:
            pass
