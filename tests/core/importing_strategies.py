"""Hypothesis strategies for the importers' readers, kept in one place and grown with them.

Each strategy makes files of one shape the way real exports write them — and with the traps
real files have: other separators and encodings, preambles, NUL bytes, fields longer than any
column, unclosed quotes and rows of the wrong length, quoted-printable in an unnamed
character set, photos with broken base64, several calendars in one file, recurring meetings,
declined attendees, ZIPs with parts missing, unknown or damaged.
"""

from __future__ import annotations

import base64
import csv
import io
import quopri
import zipfile

from hypothesis import strategies as st

# Text as people type it, and the awkward characters exports bring along.
NAME_CHARS = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])
AWKWARD = st.sampled_from(["\x00", '"', ",", ";", "\t", "\n", "\r\n", "=", ":", "\\", "ß", "ﬁ"])
names = st.text(NAME_CHARS, min_size=1, max_size=20) | st.sampled_from(
    ["Jan", "Zoë", "Anne-Marie", "van der Berg", "D'Hondt", "Ørsted", "Ñúñez", "ßtraße"]
)
long_text = st.text(NAME_CHARS, min_size=200, max_size=400)
cells = st.one_of(
    st.text(NAME_CHARS, max_size=30),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(NAME_CHARS, max_size=8),
        AWKWARD,
        st.text(NAME_CHARS, max_size=8),
    ),
    long_text,
)
emails = st.one_of(
    st.builds(
        lambda local, domain: f"{local}@{domain}.example",
        st.from_regex(r"[a-z][a-z0-9.]{0,12}", fullmatch=True),
        st.from_regex(r"[a-z]{1,10}", fullmatch=True),
    ),
    st.sampled_from(["NA", "n/a", "-", "not-an-address", "info@acme.example", "a@b", ""]),
    st.builds(lambda n: "x" * n + "@example.be", st.integers(240, 300)),  # too long to keep
)
phones = st.sampled_from(
    [
        "0470 12 34 56",
        "+32 2 512 34 56",
        "06-12345678",
        "+31 20 123 4567",
        "12",
        "tel:+32470999888",
        "",
        "n/a",
    ]
)
dates = st.one_of(
    st.dates().map(lambda d: d.strftime("%d %b %Y")),
    st.dates().map(lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}, 6:14 PM"),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    st.dates().map(lambda d: d.strftime("%d-%b-%y")),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "30 Feb 2026", "yesterday", "13/13/2013", "NA", "44123"]),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
DELIMITERS = st.sampled_from([",", ";", "\t"])

CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
GOOGLE_HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Organization Name",
    "Organization Title",
    "Birthday",
    "Notes",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
]
OUTLOOK_HEADER = [
    "First Name",
    "Last Name",
    "Company",
    "Job Title",
    "E-mail Address",
    "Mobile Phone",
    "Business Phone",
    "Birthday",
    "Notes",
]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def connection_rows(draw: st.DrawFn) -> list[str]:
    return [
        draw(names | st.just("")),
        draw(names | st.just("")),
        draw(st.sampled_from(["", "https://www.linkedin.com/in/someone-1", "not a url"])),
        draw(emails),
        draw(cells),
        draw(cells),
        draw(dates),
    ]


@st.composite
def csv_files(draw: st.DrawFn, *, broken: bool = True) -> bytes:
    """A LinkedIn, Google or Outlook CSV in any separator and encoding, sometimes broken: a
    row of the wrong length, or a quote that is not closed."""
    kind = draw(st.sampled_from(["connections", "google", "outlook"]))
    header = {
        "connections": CONNECTIONS_HEADER,
        "google": GOOGLE_HEADER,
        "outlook": OUTLOOK_HEADER,
    }[kind]
    delimiter = draw(DELIMITERS)
    rows = draw(
        st.lists(
            connection_rows()
            if kind == "connections"
            else st.lists(
                st.one_of(cells, emails, phones, dates), min_size=len(header), max_size=len(header)
            ),
            max_size=8,
        )
    )
    out = io.StringIO()
    if kind == "connections" and draw(st.booleans()):
        out.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if broken and draw(st.integers(0, 4)) == 0:
        trap = draw(st.sampled_from(["short row", "unclosed quote", "long row"]))
        if trap == "short row":
            text += delimiter.join(["Jan", "Peeters"]) + "\n"
        elif trap == "long row":
            text += delimiter.join(["Jan"] * (len(header) + 2)) + "\n"
        else:
            text += delimiter.join(["Jan", '"Peeters', "x", "Acme"] + [""] * len(header)) + "\n"
            text += delimiter.join(["Els", "Maes"] + [""] * (len(header) - 2)) + "\n"
    data = _encode(text, draw(ENCODINGS))
    if draw(st.integers(0, 5)) == 0:  # a NUL byte somewhere, also after the first 4 KB
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    return data


PROPERTIES = st.sampled_from(
    [
        "N",
        "FN",
        "EMAIL",
        "EMAIL;TYPE=work",
        "TEL",
        "TEL;TYPE=cell",
        "TEL;WORK;VOICE",
        "ORG",
        "TITLE",
        "BDAY",
        "NOTE",
        "item1.EMAIL",
        "item1.X-ABLabel",
        "URL",
        "X-FOO",
        "PROFILE",
        "N;ENCODING=QUOTED-PRINTABLE",
        "NOTE;QUOTED-PRINTABLE",
        "KIND",
        "X-ABShowAs",
        "UID",
    ]
)


def _qp(text: str, charset: str) -> str:
    return (
        quopri.encodestring(text.encode(charset, errors="replace"))
        .decode("ascii")
        .replace("\n", "=\r\n")
    )


@st.composite
def vcards(draw: st.DrawFn) -> str:
    """One card of any version, with folded lines, quoted-printable in a named or unnamed
    character set, a photo (sometimes broken, sometimes long), and sometimes no end."""
    version = draw(st.sampled_from(["2.1", "3.0", "4.0"]))
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    given, family = draw(names), draw(names)
    if draw(st.booleans()):
        charset = draw(st.sampled_from(["", "utf-8", "windows-1252", "iso-8859-1"]))
        head = "N;ENCODING=QUOTED-PRINTABLE" + (f";CHARSET={charset}" if charset else "")
        lines.append(f"{head}:{_qp(family + ';' + given, charset or 'cp1252')};;;")
    else:
        lines.append(f"N:{family};{given};;;")
    for name, value in draw(
        st.lists(st.tuples(PROPERTIES, cells | emails | phones | dates), max_size=8)
    ):
        lines.append(f"{name}:{value}".replace("\n", "\\n").replace("\r", ""))
    if draw(st.booleans()):
        photo = base64.b64encode(draw(st.binary(min_size=10, max_size=3000))).decode()
        if draw(st.booleans()):
            photo = photo[: len(photo) // 2] + "!!not base64!!"
        folded = "\r\n ".join(photo[i : i + 72] for i in range(0, len(photo), 72))
        lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}")
    long_line = "\r\n".join(lines)
    if draw(st.booleans()):
        long_line += "\r\nEND:VCARD"
    return long_line + "\r\n"


@st.composite
def vcard_files(draw: st.DrawFn) -> bytes:
    cards = draw(st.lists(vcards(), min_size=1, max_size=4))
    return _encode("".join(cards), draw(ENCODINGS))


PARTSTAT = st.sampled_from(["", "ACCEPTED", "DECLINED", "DELEGATED", "TENTATIVE", "NEEDS-ACTION"])
CUTYPE = st.sampled_from(["", "INDIVIDUAL", "ROOM", "RESOURCE", "GROUP"])
moments = st.datetimes(
    min_value=__import__("datetime").datetime(2015, 1, 1),
    max_value=__import__("datetime").datetime(2030, 1, 1),
)


@st.composite
def events(draw: st.DrawFn) -> str:
    start = draw(moments)
    lines = ["BEGIN:VEVENT", f"UID:{draw(st.uuids())}"]
    tz = draw(
        st.sampled_from(
            [
                "Z",
                ";TZID=Europe/Brussels",
                ";TZID=W. Europe Standard Time",
                ";TZID=Brussel, Kopenhagen, Madrid, Parijs",
                ";VALUE=DATE",
            ]
        )
    )
    stamp = start.strftime("%Y%m%d") if tz == ";VALUE=DATE" else start.strftime("%Y%m%dT%H%M%S")
    if tz == "Z":
        lines.append(f"DTSTART:{stamp}Z")
    else:
        lines.append(f"DTSTART{tz}:{stamp}")
    lines.append(draw(st.sampled_from(["DTEND: " + stamp, "DURATION:PT30M", "", "DTEND:junk"])))
    if draw(st.booleans()):
        lines.append(
            draw(
                st.sampled_from(
                    [
                        "RRULE:FREQ=WEEKLY",
                        "RRULE:FREQ=DAILY;COUNT=5",
                        "RRULE:FREQ=MONTHLY;UNTIL=20260101T000000Z",
                        "RRULE:FREQ=SECONDLY",
                        "RRULE:NONSENSE",
                    ]
                )
            )
        )
    lines.append("SUMMARY:" + draw(cells).replace("\n", " ").replace("\r", " "))
    lines.append("ORGANIZER;CN=Ik:mailto:me@example.be")
    for _ in range(draw(st.integers(0, 4))):
        stat, kind = draw(PARTSTAT), draw(CUTYPE)
        params = (f";PARTSTAT={stat}" if stat else "") + (f";CUTYPE={kind}" if kind else "")
        lines.append(
            f'ATTENDEE;CN="{draw(names).replace(chr(34), "")}"{params}:mailto:' + draw(emails)
        )
    lines.append("END:VEVENT")
    return "\r\n".join(line for line in lines if line) + "\r\n"


@st.composite
def calendar_files(draw: st.DrawFn) -> bytes:
    """One or several VCALENDAR blocks (sometimes one without its end) of generated events."""
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        body = "".join(draw(st.lists(events(), max_size=4)))
        end = "END:VCALENDAR\r\n" if draw(st.integers(0, 5)) else ""
        blocks.append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + body + end)
    return _encode("".join(blocks), draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))


@st.composite
def zip_files(draw: st.DrawFn) -> bytes:
    """A LinkedIn-like ZIP: some of its parts generated, an unknown part, sometimes damaged."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        folder = "Basic_LinkedInDataExport_02-08-2026/"
        if draw(st.booleans()):
            archive.writestr(folder + "Connections.csv", draw(csv_files()))
        if draw(st.booleans()):
            archive.writestr(
                folder + "messages.csv",
                draw(
                    st.sampled_from(
                        [
                            b"From,To,Date,Subject,Content,Direction,Folder\n"
                            b'Jan,Alice,"1/8/18, 6:14 PM",Hi,Hello,INCOMING,INBOX\n',
                            b"Something else entirely\n1,2,3\n",
                            b"",
                        ]
                    )
                ),
            )
        if draw(st.booleans()):
            archive.writestr(folder + "contacts.vcf", draw(vcard_files()))
        if draw(st.booleans()):
            archive.writestr(folder + "agenda.ics", draw(calendar_files()))
        archive.writestr(folder + "Profile.csv", "First Name\nAlice\n")
    data = buffer.getvalue()
    if draw(st.integers(0, 3)) == 0:  # a download cut short, or bytes flipped in transit
        at = draw(st.integers(4, max(4, len(data) - 1)))
        data = data[:at] + (
            draw(st.binary(min_size=1, max_size=20)) if draw(st.booleans()) else b""
        )
    return data


any_file = st.one_of(
    csv_files(), vcard_files(), calendar_files(), zip_files(), st.binary(max_size=400)
)
