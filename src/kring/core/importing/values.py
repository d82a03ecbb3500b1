"""Reading the values of one field: dates, names, LinkedIn profile URLs."""

from __future__ import annotations

import datetime as dt
import re

from kring.core.names import PARTICLES, fold, split_name

__all__ = [
    "BadValue",
    "linkedin_key",
    "parse_date",
    "parse_datetime",
    "split_given_and_surname",
    "split_surname",
]

_MONTHS = {
    # English as LinkedIn writes them, and the Dutch and French abbreviations that differ.
    **{
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    "mrt": 3,
    "mei": 5,
    "okt": 10,
    "sept": 9,
    "janv": 1,
    "févr": 2,
    "fevr": 2,
    "mars": 3,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "déc": 12,
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ \-]([^\W\d_]+)\.?[ \-,]+(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,? .*)?$")


class BadValue(ValueError):
    """A field whose text cannot be read as the value it should hold."""


def parse_date(text: str, *, month_first: bool = False) -> dt.date | None:
    """A date from the ways exports write them; ``None`` for an empty field.

    ``month_first`` reads ``2/8/26`` as 8 February (Outlook and LinkedIn in US English).

    Raises
    ------
    BadValue
        If the text is no date, or an impossible one (31 February).

    Examples
    --------
    >>> parse_date("08 Feb 2026")
    datetime.date(2026, 2, 8)
    >>> parse_date("1980-02-29")
    datetime.date(1980, 2, 29)
    >>> parse_date("2/8/26", month_first=True)
    datetime.date(2026, 2, 8)
    """
    text = text.strip()
    if not text or text in {"0/0/00", "00/00/0000"}:
        return None
    try:
        if m := _DAY_MONTH_YEAR.match(text):
            month = _MONTHS.get(fold(m.group(2))[:4]) or _MONTHS.get(fold(m.group(2))[:3])
            if month is None:
                raise BadValue(f"{text!r}: unknown month")
            return dt.date(int(m.group(3)), month, int(m.group(1)))
        if m := _ISO_DATE.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _SLASHED.match(text):
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if year < 100:
                year += 2000 if year < 70 else 1900
            month, day = (a, b) if month_first else (b, a)
            return dt.date(year, month, day)
    except ValueError as exc:
        if isinstance(exc, BadValue):
            raise
        raise BadValue(f"{text!r} is an impossible date") from None
    raise BadValue(f"{text!r} is not a date")


def parse_datetime(text: str, *, month_first: bool = True) -> dt.datetime:
    """A moment as LinkedIn writes it: ``2024-03-05 14:22:10 UTC`` or ``2/8/26, 10:15 AM``.

    Times without a zone are read as UTC.

    >>> parse_datetime("2024-03-05 14:22:10 UTC")
    datetime.datetime(2024, 3, 5, 14, 22, 10, tzinfo=datetime.timezone.utc)
    """
    raw = text.strip()
    cleaned = raw.removesuffix(" UTC").removesuffix("Z")
    try:
        value = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        value = None
    if value is None:
        for pattern in ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%d/%m/%Y %H:%M"):
            if not month_first and pattern.startswith("%m"):
                continue
            try:
                value = dt.datetime.strptime(cleaned, pattern)
                break
            except ValueError:
                continue
    if value is None:
        day = parse_date(raw, month_first=month_first)
        if day is None:
            raise BadValue("no date")
        value = dt.datetime.combine(day, dt.time(12))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def split_surname(last: str) -> tuple[str, str]:
    """Particles and surname of a family name as written: ``van der Berg`` → (van der, Berg).

    >>> split_surname("van der Berg")
    ('van der', 'Berg')
    >>> split_surname("De Smet")
    ('De', 'Smet')
    """
    words = last.split()
    cut = 0
    while cut < len(words) - 1 and fold(words[cut]) in PARTICLES:
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def split_given_and_surname(given: str, last: str, full: str = "") -> tuple[str, str, str]:
    """Given name, particles and surname from separate fields, or from the full name.

    >>> split_given_and_surname("Anne Marie", "van den Broeck")
    ('Anne Marie', 'van den', 'Broeck')
    >>> split_given_and_surname("", "", "Jan van der Berg")
    ('Jan', 'van der', 'Berg')
    """
    given, last = " ".join(given.split()), " ".join(last.split())
    if given or last:
        particles, surname = split_surname(last)
        if not given:  # only a family name: keep it whole as the name to show
            return last, "", ""
        return given, particles, surname
    return tuple(split_name(" ".join(full.split())))  # type: ignore[return-value]


_LINKEDIN = re.compile(r"linkedin\.com/(in|pub)/([^/?#\s]+)", re.IGNORECASE)


def linkedin_key(url: str) -> str:
    """The part of a LinkedIn profile URL that identifies the person, lower-cased.

    >>> linkedin_key("https://www.linkedin.com/in/Jan-Peeters-123/?locale=nl_NL")
    'linkedin.com/in/jan-peeters-123'
    >>> linkedin_key("")
    ''
    """
    m = _LINKEDIN.search(url or "")
    if not m:
        return ""
    return f"linkedin.com/{m.group(1).lower()}/{m.group(2).lower()}"
