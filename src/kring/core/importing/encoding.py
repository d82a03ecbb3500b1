"""Reading bytes as text: UTF-8 with or without BOM, UTF-16, Windows-1252 and Mac Roman.

Exports from Excel on Windows are Windows-1252 (older Excel for Mac: Mac Roman); LinkedIn and
Google write UTF-8, Outlook sometimes UTF-16. A UTF-8 file with a few stray Windows-1252 bytes
(a hand-edited CSV) is read with those bytes as Windows-1252 rather than refused. NUL bytes
are dropped as the text is read: no database stores them alike (PostgreSQL refuses them).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

__all__ = ["SNIFF_BYTES", "decode_text", "detect_encoding", "text_lines", "text_stream"]

SNIFF_BYTES = 64 * 1024
_CONTROL_BYTES = [*range(0, 9), *range(14, 32)]
_FALLBACK = "kring-cp1252-fallback"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


def detect_encoding(head: bytes) -> str | None:
    """The encoding of a file that starts with ``head``; ``None`` for a binary file.

    Examples
    --------
    >>> detect_encoding(b"\\xef\\xbb\\xbfFirst Name")
    'utf-8-sig'
    >>> detect_encoding("Zoë".encode("utf-16"))
    'utf-16'
    >>> detect_encoding("Zoë".encode("cp1252"))
    'cp1252'
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if sample and sample.count(0) > len(sample) // 4:
        # UTF-16 without a BOM: ASCII text has a zero in every other byte.
        if sample[1::2].count(0) > len(sample) // 3:
            return "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 3:
            return "utf-16-be"
        return None
    # Text has (almost) no control characters; a picture or a spreadsheet has many. A stray
    # NUL byte or two in a damaged export does not make it binary: they are dropped.
    if sum(sample.count(byte) for byte in _CONTROL_BYTES) > len(sample) // 20:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # A character cut at the end of a full sample is fine; at the end of the file it is not.
        decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        return _eight_bit(head)
    return "utf-8"


# Accented letters of Dutch, French and German words: what a right guess produces.
_ACCENTED = re.compile(r"(?<=[a-zA-Z])[àáâäçèéêëìíîïñòóôöùúûüÀÁÂÄÇÈÉÊËÌÍÎÏÑÒÓÔÖÙÚÛÜß]")


def _eight_bit(head: bytes) -> str:
    """Windows-1252 or, when that reads as fewer accented letters inside words, Mac Roman."""
    windows = head.decode("cp1252", errors="replace")
    mac = head.decode("mac_roman", errors="replace")
    if len(_ACCENTED.findall(mac)) > len(_ACCENTED.findall(windows)):
        return "mac_roman"
    return "cp1252"


def text_stream(binary: BinaryIO, encoding: str) -> io.TextIOWrapper:
    """``binary`` as text, decoded lazily; undecodable bytes never raise."""
    errors = _FALLBACK if encoding.startswith("utf-8") else "replace"
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="")


def text_lines(lines: Iterable[str]) -> Iterator[str]:
    """``lines`` without NUL bytes (a text file has none; a damaged one may have many)."""
    for line in lines:
        yield line.replace("\x00", "") if "\x00" in line else line


def decode_text(raw: bytes) -> str | None:
    """A small uploaded file as text, in whichever of the encodings above it is; ``None`` for
    a binary file.

    Examples
    --------
    >>> decode_text("email;naam\\nzoë@x.be;Zoë".encode("cp1252"))
    'email;naam\\nzoë@x.be;Zoë'
    >>> decode_text(b"\\x00\\x01\\x02") is None
    True
    """
    encoding = detect_encoding(raw[:SNIFF_BYTES])
    if encoding is None:
        return None
    errors = _FALLBACK if encoding.startswith("utf-8") else "replace"
    return raw.decode(encoding, errors=errors).replace("\x00", "")
