"""Hostile uploads made on the spot: a ZIP bomb and a file over the size limit."""

from __future__ import annotations

import io
import zipfile

HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def zip_bomb(inflated_mb: int = 64) -> bytes:
    """A LinkedIn-looking ZIP whose Connections.csv inflates about a thousand times."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("Connections.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER)
        block = b"," * (1024 * 1024)
        for _ in range(inflated_mb):
            member.write(block)
    return out.getvalue()


def zip_too_large(member_mb: int = 110) -> bytes:
    """A ZIP whose part would unpack past the limit though each byte looks like a row."""
    out = io.BytesIO()
    row = b"Jan,Peeters,,jan@example.be,Peeters BV,Zaakvoerder,01 Jan 2024\n"
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("Connections.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER)
        block = row * (1024 * 1024 // len(row))
        for _ in range(member_mb + 1):
            member.write(block)
    return out.getvalue()


def oversized_csv(mb: int = 21) -> bytes:
    row = b"Jan,Peeters,,jan@example.be,Peeters BV,Zaakvoerder,01 Jan 2024\n"
    return HEADER + row * (mb * 1024 * 1024 // len(row) + 1)
