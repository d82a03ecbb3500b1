"""Realistic sample files, made by the tests (no fixtures committed)."""

from __future__ import annotations

import csv
import io
import random
import zipfile

from faker import Faker

LINKEDIN_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address using this setting."\n\n'
)


def connections_csv(
    rows: list[dict[str, str]], *, preamble: bool = True, url: bool = True
) -> bytes:
    """A LinkedIn Connections.csv as LinkedIn writes it (with the URL column since mid-2023)."""
    header = [
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ]
    if not url:
        header.remove("URL")
    out = io.StringIO()
    if preamble:
        out.write(LINKEDIN_PREAMBLE)
    writer = csv.DictWriter(out, header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def connection(
    given: str,
    last: str,
    company: str = "",
    *,
    email: str = "",
    slug: str = "",
    position: str = "",
    on: str = "08 Feb 2026",
) -> dict[str, str]:
    return {
        "First Name": given,
        "Last Name": last,
        "URL": f"https://www.linkedin.com/in/{slug}" if slug else "",
        "Email Address": email,
        "Company": company,
        "Position": position,
        "Connected On": on,
    }


def vcard(
    given: str,
    last: str,
    *,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    org: str = "",
    title: str = "",
    version: str = "3.0",
    note: str = "",
    bday: str = "",
) -> str:
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"N:{last};{given};;;", f"FN:{given} {last}"]
    for i, email in enumerate(emails):
        lines.append(f"EMAIL;TYPE={'work' if i == 0 else 'home'}:{email}")
    for phone in phones:
        lines.append(f"TEL;TYPE=cell:{phone}")
    if org:
        lines.append(f"ORG:{org};")
    if title:
        lines.append(f"TITLE:{title}")
    if bday:
        lines.append(f"BDAY:{bday}")
    if note:
        lines.append(f"NOTE:{note}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def many_connections(n: int, seed: int = 1) -> bytes:
    """``n`` distinct Flemish and Dutch connections, every one with a profile URL."""
    rng = random.Random(seed)
    fake = Faker(["nl_BE", "nl_NL"])
    fake.seed_instance(seed)
    companies = [fake.company() for _ in range(max(10, n // 20))]
    rows = []
    for i in range(n):
        rows.append(
            connection(
                fake.first_name(),
                fake.last_name(),
                rng.choice(companies),
                slug=f"person-{i}-{rng.randrange(10**6)}",
                position=fake.job()[:60],
                on=f"{rng.randint(1, 28):02d} {rng.choice(['Jan', 'Feb', 'Mar', 'Oct'])} "
                f"{rng.randint(2012, 2025)}",
            )
        )
    return connections_csv(rows)


def linkedin_zip(connections: bytes, messages: str = "", invitations: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Basic_LinkedInDataExport_02-08-2026/Connections.csv", connections)
        if messages:
            archive.writestr("Basic_LinkedInDataExport_02-08-2026/messages.csv", messages)
        if invitations:
            archive.writestr("Basic_LinkedInDataExport_02-08-2026/Invitations.csv", invitations)
        archive.writestr("Basic_LinkedInDataExport_02-08-2026/Profile.csv", "First Name\nAlice\n")
    return buffer.getvalue()
