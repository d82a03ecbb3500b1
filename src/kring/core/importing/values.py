"""Reading the values of one field: dates, names, LinkedIn profile URLs."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

from kring.core.names import PARTICLES, fold, split_name

__all__ = [
    "EMPTY_VALUES",
    "BadValue",
    "has_time_of_day",
    "linkedin_key",
    "numeric_order",
    "parse_date",
    "parse_datetime",
    "parse_moment",
    "split_given_and_surname",
    "split_surname",
]

_MONTH_NAMES = {
    # English, Dutch, French and German, full and as they are shortened (folded: no accents).
    1: "january jan januari janvier janv januar jän",
    2: "february feb febr februari fevrier fevr fev februar",
    3: "march mar maart mrt mars marz mrz maerz",
    4: "april apr avril avr",
    5: "may mei mai",
    6: "june jun juni juin",
    7: "july jul juli juillet juil",
    8: "august aug augustus aout",
    9: "september sep sept septembre",
    10: "october oct oktober okt octobre",
    11: "november nov novembre",
    12: "december dec décembre decembre dez dezember",
}
_MONTHS = {fold(word): month for month, words in _MONTH_NAMES.items() for word in words.split()}
_TIME = r"(?:[T,\s]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?\s*([AaPp])?\.?(?:[Mm]\.?)?)?"
_ZONE = r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_DAY_WORD_YEAR = re.compile(
    r"^(\d{1,2})\.?[\s\-/]*([^\W\d_]+)\.?[\s\-/,.]*(\d{4}|\d{2})" + _TIME + _ZONE + "$"
)
_WORD_DAY_YEAR = re.compile(
    r"^(?:[^\W\d_]+,?\s+)?([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
    + _TIME
    + _ZONE
    + "$"
)
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.]?(\d{2}|\d(?=[-/.]))[-/.]?(\d{1,2})" + _TIME + _ZONE + "$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + _ZONE + "$")
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_NO_YEAR = re.compile(r"^--\d{2}-?\d{2}$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Texts people put in a field to say "nothing here".
_EMPTY = "na n/a n.a. nvt n.v.t. - -- none null nil 0/0/00 00/00/0000 0000-00-00 unknown onbekend ?"
EMPTY_VALUES = frozenset(_EMPTY.split())


class BadValue(ValueError):
    """A field whose text cannot be read as the value it should hold (``code``, ``value``)."""

    def __init__(self, code: str, value: str) -> None:
        super().__init__(f"{value!r}: {code}")
        self.code = code
        self.value = value


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


@functools.lru_cache(maxsize=1024)
def _month(word: str) -> int | None:
    key = fold(word).rstrip(".")
    found = _MONTHS.get(key)
    if found is None and len(key) >= 3:
        candidates = {m for name, m in _MONTHS.items() if name.startswith(key)}
        if len(candidates) == 1:
            found = candidates.pop()
    return found


def _time(match: re.Match[str], first: int) -> dt.time | None:
    hour = match.group(first)
    if hour is None:
        return None
    h, m, s = int(hour), int(match.group(first + 1)), int(match.group(first + 2) or 0)
    half = (match.group(first + 3) or "").lower()
    if half == "p" and h < 12:
        h += 12
    elif half == "a" and h == 12:
        h = 0
    return dt.time(h, m, s)


def numeric_order(texts: Iterable[str]) -> str:
    """Whether the numeric dates of one file are written day first or month first.

    Returns ``"day"`` when some date can only be read day first (``23/4/2023``), ``"month"``
    when some can only be read month first (``4/23/2023``), and ``""`` when no date decides
    it or the file contradicts itself.

    >>> numeric_order(["1/8/18, 6:14 PM", "12/24/18, 9:00 AM"])
    'month'
    >>> numeric_order(["01/08/2018", "24/12/2018"])
    'day'
    >>> numeric_order(["01/08/2018", "08 Feb 2026"])
    ''
    """
    day = month = False
    for text in texts:
        m = _NUMERIC.match(text.strip())
        if m is None:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        day = day or (a > 12 and b <= 12)
        month = month or (b > 12 and a <= 12)
        if day and month:
            return ""
    return "day" if day else "month" if month else ""


def has_time_of_day(texts: Iterable[str]) -> bool:
    """Whether the first numeric date among ``texts`` has an AM/PM time (US style)."""
    for text in texts:
        m = _NUMERIC.match(text.strip())
        if m is not None:
            return m.group(7) is not None
    return False


def parse_moment(text: str, *, month_first: bool = False) -> tuple[dt.date, dt.time | None] | None:
    """The date (and time of day, if written) of ``text``; ``None`` for an empty field.

    ``month_first`` reads ``2/8/26`` as 8 February (US English: Outlook, older LinkedIn).

    Raises
    ------
    BadValue
        If the text is no date (code ``bad_date``), or an impossible one such as 31 February
        (code ``impossible_date``).

    Examples
    --------
    >>> parse_moment("1/8/18, 6:14 PM", month_first=True)
    (datetime.date(2018, 1, 8), datetime.time(18, 14))
    >>> parse_moment("23-Apr-23")
    (datetime.date(2023, 4, 23), None)
    """
    text = " ".join(text.split())
    if not text or text.casefold() in EMPTY_VALUES or _NO_YEAR.match(text):
        return None
    try:
        if m := _YEAR_FIRST.match(text):
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return day, _time(m, 4)
        if m := _NUMERIC.match(text):
            a, b = int(m.group(1)), int(m.group(2))
            month, day_of_month = (a, b) if month_first else (b, a)
            return dt.date(_year(m.group(3)), month, day_of_month), _time(m, 4)
        if m := _DAY_WORD_YEAR.match(text):
            named = _month(m.group(2))
            if named is not None:
                return dt.date(_year(m.group(3)), named, int(m.group(1))), _time(m, 4)
        if m := _WORD_DAY_YEAR.match(text):
            named = _month(m.group(1))
            if named is not None:
                return dt.date(int(m.group(3)), named, int(m.group(2))), _time(m, 4)
        if m := _EXCEL_SERIAL.match(text):
            serial = int(m.group(1))
            if 20000 <= serial <= 80000:  # 1954 to 2119: a date Excel wrote as a number
                return _EXCEL_EPOCH + dt.timedelta(days=serial), None
    except ValueError:
        raise BadValue("impossible_date", text) from None
    raise BadValue("bad_date", text)


def parse_date(text: str, *, month_first: bool = False) -> dt.date | None:
    """A date from the ways exports write them; ``None`` for an empty field.

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
    >>> parse_date("23-apr-23"), parse_date("1 mei 2019"), parse_date("Feb 8, 2026")
    (datetime.date(2023, 4, 23), datetime.date(2019, 5, 1), datetime.date(2026, 2, 8))
    """
    found = parse_moment(text, month_first=month_first)
    return found[0] if found else None


def parse_datetime(text: str, *, month_first: bool = True) -> dt.datetime:
    """A moment as LinkedIn writes it: ``2024-03-05 14:22:10 UTC`` or ``2/8/26, 10:15 AM``.

    Times without a zone are read as UTC; a date without a time is noon.

    Raises
    ------
    BadValue
        For an empty field and for anything that is no date.

    >>> parse_datetime("2024-03-05 14:22:10 UTC")
    datetime.datetime(2024, 3, 5, 14, 22, 10, tzinfo=datetime.timezone.utc)
    """
    raw = " ".join(text.split())
    try:
        value = dt.datetime.fromisoformat(raw.removesuffix(" UTC").removesuffix("Z"))
    except ValueError:
        found = parse_moment(raw, month_first=month_first)
        if found is None:
            raise BadValue("bad_date", raw) from None
        value = dt.datetime.combine(found[0], found[1] or dt.time(12))
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


@functools.lru_cache(maxsize=4096)  # one record asks for its own key several times
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
