"""The one CSV writer of every export (contacts, the club report, team rotations, table plans).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return) as a formula, so a contact named ``=HYPERLINK("http://evil", "Click")``
would become a live link, or worse, in the reader's Excel. The rule, as OWASP advises for "CSV
injection":

* **Text** (names, organisations, notes, tags, departments: anything a person typed or a file
  brought in) that starts with one of those characters, after any spaces, gets a leading
  apostrophe: ``=1+1`` is written ``'=1+1``; a spreadsheet shows it as text.
* **Numbers Kring computed** (counts, rounds, amounts in euro) are given to the writer as
  ``int``, ``float`` or ``Decimal`` and written as they are, so a negative amount stays the
  number ``-12.50``. The same characters typed as text (a name ``-12.50``) are text, and get the
  apostrophe.
* **Phone numbers Kring normalised** (``+32470123456``) are given as :class:`Phones` and written
  as they are when they are exactly that (``+`` and digits, separated by spaces): a spreadsheet
  reads them as numbers, never as a formula, and address books that import the file keep the
  ``+``. Anything else given as :class:`Phones` is treated as text.

Dates are written in ISO form, ``None`` as an empty cell. Lines end in CRLF (RFC 4180).

This module imports no Django: the compute-only ``kring seat`` writes its plans with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Protocol

__all__ = ["FORMULA_STARTS", "Cell", "Phones", "cell_text", "csv_lines", "csv_text", "write_csv"]

# The first characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PHONES = re.compile(r"\+[0-9]{4,17}( \+[0-9]{4,17})*")


class Phones(str):
    """Phone numbers in international form, separated by spaces, that Kring normalised itself:
    written without an apostrophe when they are exactly that."""

    __slots__ = ()


Cell = str | int | float | Decimal | dt.date | None


def cell_text(value: Cell) -> str:
    """The text of one cell, neutralised if a spreadsheet would run it as a formula.

    >>> [cell_text(v) for v in ("=1+1", "@SUM(A1)", "Acme", Decimal("-12.50"), -3, None)]
    ["'=1+1", "'@SUM(A1)", 'Acme', '-12.50', '-3', '']
    """
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int to Python; write it as a word
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    text = str(value)
    if isinstance(value, Phones) and _PHONES.fullmatch(text):
        return text
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Sequence[Cell]], *, header: Sequence[str] = ()) -> Iterator[str]:
    """One line of CSV text per row (CRLF-terminated), after the ``header`` if one is given,
    to stream a large export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in itertools.chain([header] if header else [], rows):
        writer.writerow([cell_text(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_text(rows: Iterable[Sequence[Cell]], *, header: Sequence[str] = ()) -> str:
    """The whole CSV text of ``rows``, after the ``header`` if one is given."""
    return "".join(csv_lines(rows, header=header))


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def write_csv(out: Writable, rows: Iterable[Sequence[Cell]], *, header: Sequence[str] = ()) -> None:
    """Write ``rows`` as CSV, after the ``header`` if one is given, to a file, the terminal or
    an HTTP response."""
    for line in csv_lines(rows, header=header):
        out.write(line)
