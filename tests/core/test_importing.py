"""The readers of kring.core.importing: CSV formats, encodings, dates, ZIPs, and fuzzing.

Every sample here is written for these tests, in the shapes real exports have (LinkedIn's
current and 2018 layouts, Excel re-saves in Belgium, Google and Outlook), with their traps.
"""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings

from kring.core.importing import (
    MESSAGES,
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    Problem,
    open_source,
)
from kring.core.importing.build import LIMITS
from kring.core.importing.values import BadValue, numeric_order, parse_date
from tests.core import importing_strategies as strategies

MODULES = [
    "build",
    "calendar",
    "contentlines",
    "csvformats",
    "encoding",
    "matching",
    "reader",
    "records",
    "values",
    "vcard",
]


def test_it_exposes_a_guarded_public_surface_with_true_examples():
    import kring.core.importing as importing

    assert sorted(importing.__all__) == sorted(
        [
            "FORMATS",
            "MESSAGES",
            "ContactRecord",
            "ImportFileError",
            "InteractionRecord",
            "PersonRef",
            "Problem",
            "SourceFile",
            "message_text",
            "open_source",
        ]
    )
    for name in MODULES:
        module = importlib.import_module(f"kring.core.importing.{name}")
        for public in module.__all__:
            assert getattr(module, public).__doc__ or public.isupper(), f"{name}.{public}"
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, name


HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROW = "Zoë,Van den Bossche,https://www.linkedin.com/in/zvdb,,Brouwerij Café,CEO,08 Feb 2026\n"


def _items(name, data, **kw):
    (source,) = open_source(name, data, **kw)
    return source, list(source.items())


def _records(items):
    return [i for i in items if isinstance(i, ContactRecord)]


def _problems(items):
    return [(p.line, p.field, p.code, p.skipped) for p in items if isinstance(p, Problem)]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("cp1252", "cp1252"),
        ("mac_roman", "mac_roman"),
    ],
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
    data += "Piet,Smet,,,Acme,CEO,some day\n"
    _source, items = _items("c.csv", ("Notes:\n\n" + data).encode())
    assert _problems(items) == [
        (4, "Email Address", "bad_email", False),
        (5, "First Name", "no_name", True),
        (6, "Connected On", "impossible_date", False),
        (8, "Connected On", "bad_date", False),
    ]
    assert [(r.given_name, r.emails, r.connected_on) for r in _records(items)] == [
        ("Jan", [], dt.date(2026, 2, 8)),
        ("Els", [], None),
        ("Ann", [], None),  # "NA" and "n/a" are how people write "nothing": no problem
        ("Piet", [], None),
    ]


# -- dates as people write them ----------------------------------------------------------------

LINKEDIN_2018 = (
    "First Name,Last Name,Address,Email Address,Company,Position,Connected On,Websites,"
    "Instant Messengers\n"
    'Jan,Peeters,,jan@acme.example,Acme,CEO,"1/8/18, 6:14 PM",,\n'
    'Els,Maes,,,Beta,CFO,"12/24/17, 9:05 AM",,\n'
)


def test_it_reads_the_2018_linkedin_layout_month_first_as_the_file_shows():
    source, items = _items("Connections.csv", LINKEDIN_2018.encode())
    assert source.format == "linkedin_connections"
    assert [(r.given_name, r.connected_on) for r in _records(items)] == [
        ("Jan", dt.date(2018, 1, 8)),  # not 1 August: "12/24/17" can only be month first
        ("Els", dt.date(2017, 12, 24)),
    ]


def test_it_reads_times_with_am_pm_month_first_when_no_row_decides():
    data = LINKEDIN_2018.splitlines(keepends=True)
    _source, items = _items("Connections.csv", "".join(data[:2]).encode())
    assert _records(items)[0].connected_on == dt.date(2018, 1, 8)


EXCEL_BELGIUM = (
    "Notes:;;;;;;\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing.";;;;;;\n;;;;;;\n'
    "First Name;Last Name;URL;Email Address;Company;Position;Connected On\n"
    "Jérôme;Dubois;;jerome@acme.example;Brasserie Zoë;Zaakvoerder;5/04/2023\n"
    "Lotte;Maes;;;Beta;CFO;23/04/2023\n"
    "Piet;Wouters;;;;;1/05/2023\n"
)


def test_it_reads_a_connections_file_belgian_excel_resaved_with_semicolons_in_windows_1252():
    source, items = _items("Connections.csv", EXCEL_BELGIUM.encode("cp1252"))
    assert (source.format, source.encoding) == ("linkedin_connections", "cp1252")
    assert [(r.given_name, r.organisation, r.connected_on) for r in _records(items)] == [
        ("Jérôme", "Brasserie Zoë", dt.date(2023, 4, 5)),  # day first: 23/04 says so
        ("Lotte", "Beta", dt.date(2023, 4, 23)),
        ("Piet", "", dt.date(2023, 5, 1)),
    ]
    assert not _problems(items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23-Apr-23", dt.date(2023, 4, 23)),  # Excel in English
        ("23-apr-23", dt.date(2023, 4, 23)),  # Excel in Dutch
        ("1-mrt-19", dt.date(2019, 3, 1)),
        ("14 mei 2019", dt.date(2019, 5, 14)),
        ("3 août 2021", dt.date(2021, 8, 3)),
        ("Feb 8, 2026", dt.date(2026, 2, 8)),
        ("2026-02-08 10:00:00 UTC", dt.date(2026, 2, 8)),
        ("08.02.2026", dt.date(2026, 2, 8)),
        ("44963", dt.date(2023, 2, 6)),  # a date Excel turned into its day number
    ],
)
def test_it_reads_the_dates_excel_writes_when_it_resaves_an_export(text, expected):
    data = HEADER + f'Jan,Peeters,,,Acme,CEO,"{text}"\n'
    _source, items = _items("Connections.csv", data.encode())
    assert _records(items)[0].connected_on == expected
    assert not _problems(items)


def test_it_decides_the_order_of_day_and_month_per_file_from_all_rows():
    assert numeric_order(["01/02/2020", "03/04/2021", "25/12/2021"]) == "day"
    assert numeric_order(["01/02/2020", "12/25/2021"]) == "month"
    assert numeric_order(["01/02/2020", "25/12/2021", "12/25/2021"]) == ""  # a mixed file
    with pytest.raises(BadValue) as caught:
        parse_date("31/02/2024")
    assert caught.value.code == "impossible_date"


# -- strict where it matters --------------------------------------------------------------------


def test_it_stops_at_a_quote_that_is_never_closed_and_names_its_line():
    data = HEADER + 'Jan,Peeters,,,"Acme,Sales,08 Feb 2026\n'
    data += "".join(f"Person{i},Name{i},,,Beta,CEO,08 Feb 2026\n" for i in range(20))
    (source,) = open_source("Connections.csv", data.encode())
    with pytest.raises(ImportFileError) as caught:
        list(source.items())
    assert (caught.value.code, caught.value.line) == ("unclosed_quote", 2)
    assert str(caught.value).startswith("Connections.csv, line 2: a quote opened on line 2")


def test_it_stops_at_a_row_with_the_wrong_number_of_fields_and_names_its_line():
    data = HEADER + "Jan,Peeters,,,Acme,CEO,08 Feb 2026\n" + "Els,Maes,,,Acme, Inc,CFO,1 Feb 2026\n"
    (source,) = open_source("Connections.csv", data.encode())
    with pytest.raises(ImportFileError) as caught:
        list(source.items())
    assert (caught.value.code, caught.value.line) == ("field_count", 3)
    assert caught.value.params == {"start": 3, "end": 3, "found": 8, "expected": 7}


def test_it_accepts_trailing_separators_and_notes_over_several_lines():
    google = (
        "First Name,Middle Name,Last Name,Notes,E-mail 1 - Label,E-mail 1 - Value,,\n"
        'Anne,,Wils,"Met at the fair,\nlikes golf",* Work,anne@gamma.example,,\n'
    )
    _source, items = _items("contacts.csv", google.encode())
    (record,) = _records(items)
    assert record.note == "Met at the fair,\nlikes golf"


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_it_reads_each_separator(separator):
    data = separator.join(HEADER.strip().split(",")) + "\n"
    data += separator.join(["Jan", "Peeters", "", "jan@acme.example", "Acme", "CEO", "1 Feb 2026"])
    source, items = _items("Connections.csv", (data + "\n").encode())
    assert source.format == "linkedin_connections"
    assert _records(items)[0].emails == [("jan@acme.example", "")]


def test_it_honours_the_sep_line_excel_writes():
    data = "sep=;\nFirst Name;Last Name;E-mail Address;Company;Job Title\nKoen;Wouters;;Acme;CEO\n"
    source, items = _items("contacts.csv", data.encode())
    assert source.format == "outlook"
    assert _records(items)[0].organisation == "Acme"


def test_it_drops_nul_bytes_wherever_they_are():
    rows = "".join(f"Person{i},Name{i},,,Acme,CEO,08 Feb 2026\n" for i in range(200))
    data = (HEADER + rows).encode()
    data = data[:5000] + b"\x00\x00" + data[5000:]  # after the first 4 KB the sniffer reads
    _source, items = _items("Connections.csv", data)
    records = _records(items)
    assert len(records) == 200
    assert not any("\x00" in r.given_name + r.surname + r.organisation for r in records)


# -- ZIPs: what can be read goes in, the rest is reported -----------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


MESSAGES_2018 = (
    "From,To,Date,Subject,Content,Direction,Folder\n"
    'Alice A,Jan Peeters,"1/9/18, 10:00 AM",Koffie?,Zullen we eens koffie drinken?,OUTGOING,SENT\n'
    'Jan Peeters,Alice A,"1/9/18, 4:30 PM",RE: Koffie?,Graag!,INCOMING,INBOX\n'
    'Recruiter X,Alice A,"2/1/18, 9:00 AM",Job,A job for you,INCOMING,INBOX\n'
)


def test_it_reads_a_2018_linkedin_zip_with_the_old_messages_layout():
    data = _zip(
        {
            "Connections.csv": LINKEDIN_2018.encode(),
            "Messages.csv": MESSAGES_2018.encode(),
            "Skills.csv": b"Name\nPython\n",
        }
    )
    sources = open_source("Basic_LinkedInDataExport_01-10-2018.zip", data)
    assert [s.format for s in sources] == ["linkedin_connections", "linkedin_messages"]
    messages = [i for i in sources[1].items() if isinstance(i, InteractionRecord)]
    by_person = {m.people[0].name: m for m in messages}
    assert set(by_person) == {"Jan Peeters", "Recruiter X"}
    coffee = by_person["Jan Peeters"]
    assert (coffee.initiated_by, coffee.answered) == ("me", True)
    assert coffee.occurred_at == dt.datetime(2018, 1, 9, 10, 0, tzinfo=dt.UTC)
    assert (by_person["Recruiter X"].initiated_by, by_person["Recruiter X"].answered) == (
        "them",
        False,
    )


def test_it_reports_an_unknown_part_of_a_zip_and_reads_the_rest():
    data = _zip(
        {
            "export/Connections.csv": (HEADER + ROW).encode(),
            "export/messages.csv": b"Id,Sender,Recipient,Body\n1,a,b,c\n",
            "export/agenda.ics": b"\x00\x01\x02\x03",
        }
    )
    sources = open_source("export.zip", data)
    assert [s.format for s in sources] == ["linkedin_connections", "unreadable", "unreadable"]
    assert len(_records(list(sources[0].items()))) == 1
    reported = [next(iter(s.items())) for s in sources[1:]]
    assert [(p.file, p.code) for p in reported] == [
        ("export.zip/export/messages.csv", "unknown_format"),
        ("export.zip/export/agenda.ics", "binary_file"),
    ]


def test_it_says_a_zip_is_damaged_instead_of_failing_while_reading_it():
    good = _zip({"Connections.csv": (HEADER + ROW * 500).encode()})
    at = good.index(b"PK\x01\x02") - 40  # in the compressed data, before the directory
    damaged = good[:at] + bytes(b ^ 0xFF for b in good[at : at + 20]) + good[at + 20 :]
    try:
        sources = open_source("export.zip", damaged)
    except ImportFileError as exc:
        assert exc.code in {"damaged_zip", "unknown_format"}
        return
    with pytest.raises(ImportFileError) as caught:
        for source in sources:
            list(source.items())
    assert caught.value.code == "damaged_zip"


def test_it_refuses_what_it_cannot_read_and_says_where():
    with pytest.raises(ImportFileError, match=r"^empty.csv: the file is empty"):
        open_source("empty.csv", b"")
    with pytest.raises(ImportFileError, match="binary"):
        open_source("x.csv", bytes(range(256)) * 10)
    with pytest.raises(ImportFileError, match="damaged ZIP"):
        open_source("x.zip", b"PK\x03\x04broken")


GOOGLE = (
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,"
    "Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
    "Anne,Marie,van Dijk,,Gamma BV,HR,1985-06-01,,* myContacts,* Work,"
    "anne@gamma.example ::: anne@home.example,Mobile,06 12345678\n"
    ",,,,Delta Logistics,,,,* myContacts,Work,info@delta.example,Work,+32 3 123 45 67\n"
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
    "Koen,,Wouters,Mr.,Epsilon NV,Sales,koen@epsilon.example; k.wouters@home.example,"
    "0475 11 22 33,,2/29/1980,Golf\n"
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
    source, items = _items("contacts.csv", data.encode(), region="NL")
    assert source.format == fmt
    record = _records(items)[0]
    assert (record.given_name, record.particles, record.surname) == name
    assert record.organisation == org
    assert record.emails[0][0] == email
    assert record.phones


def test_it_reads_several_addresses_in_one_outlook_cell_and_birthdays_month_first():
    _source, items = _items("contacts.csv", OUTLOOK.encode())
    (record,) = _records(items)
    assert [e for e, _ in record.emails] == ["koen@epsilon.example", "k.wouters@home.example"]
    assert record.birthday == dt.date(1980, 2, 29)


def test_it_reads_a_google_contact_with_only_a_company_as_an_organisation():
    _source, items = _items("contacts.csv", GOOGLE.encode())
    organisation = _records(items)[1]
    assert (organisation.kind, organisation.organisation, organisation.given_name) == (
        "organisation",
        "Delta Logistics",
        "",
    )


# -- fuzzing: whatever the input, a reader imports or reports, and nothing too long ----------------


def _read_all(data: bytes, name: str = "anything") -> list[object]:
    try:
        sources = open_source(name, data, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    except ImportFileError as exc:
        assert exc.code in MESSAGES
        return []
    items: list[object] = []
    for source in sources:
        try:
            items += list(source.items())
        except ImportFileError as exc:
            assert exc.code in MESSAGES
            assert exc.file.startswith(name)
    return items


def _check(items: list[object]) -> None:
    for item in items:
        assert isinstance(item, ContactRecord | InteractionRecord | Problem)
        if isinstance(item, Problem):
            assert item.code in MESSAGES and item.message
            continue
        if isinstance(item, InteractionRecord):
            assert item.people and item.occurred_at.tzinfo is not None
            assert 1 <= item.minutes <= 24 * 60 and len(item.summary) <= 500
            continue
        assert item.kind in {"person", "organisation"}
        assert item.given_name or item.kind == "organisation"
        for attribute, limit in LIMITS.items():
            value = getattr(item, attribute, "")
            assert len(value) <= limit if isinstance(value, str) else True
        texts = [
            item.given_name,
            item.particles,
            item.surname,
            item.organisation,
            item.title,
            item.note,
            *(e for e, _ in item.emails),
            *(p for p, _ in item.phones),
        ]
        assert not any("\x00" in t for t in texts)
        assert all(len(e) <= 254 and "@" in e for e, _ in item.emails)
        assert all(p.startswith("+") for p, _ in item.phones)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.csv_files())
def test_it_never_crashes_on_generated_csv_files(data):
    _check(_read_all(data, "contacts.csv"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.vcard_files())
def test_it_never_crashes_on_generated_vcards(data):
    _check(_read_all(data, "contacts.vcf"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.calendar_files())
def test_it_never_crashes_on_generated_calendars(data):
    _check(_read_all(data, "agenda.ics"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.zip_files())
def test_it_never_crashes_on_generated_zips_whole_or_damaged(data):
    _check(_read_all(data, "export.zip"))


@settings(max_examples=60, deadline=None)
@given(strategies.any_file)
def test_it_never_crashes_on_arbitrary_bytes(data):
    _check(_read_all(data))
