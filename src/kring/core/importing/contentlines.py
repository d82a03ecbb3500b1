"""The content lines vCard and iCalendar share: ``group.NAME;PARAM=value:value``.

Both formats fold long lines (a line that starts with a space or tab goes on the one before)
and quote parameter values that hold ``;``, ``:`` or ``,`` (``CN="Peeters, Jan"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Property", "parse_property", "unescape_text", "unfold"]

_NAME = re.compile(r"[A-Za-z0-9-]+")
# vCard 2.1 writes parameters without a name: TEL;WORK;VOICE, NOTE;QUOTED-PRINTABLE.
_ENCODINGS = frozenset(["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"])


@dataclass(slots=True)
class Property:
    """One property as written: its line, group, name (upper case), parameters (names upper
    case, values unquoted) and the value, still encoded."""

    line: int
    group: str
    name: str
    params: dict[str, list[str]] = field(default_factory=dict)
    value: str = ""

    def param(self, name: str) -> str:
        """The first value of a parameter, or ``""``."""
        values = self.params.get(name)
        return values[0] if values else ""


def unfold(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(number of the first line, text) of each logical line.

    >>> list(unfold(["SUMMARY:Koffie\\r\\n", "  met Jan\\r\\n", "END:VEVENT\\r\\n"]))
    [(1, 'SUMMARY:Koffie met Jan'), (3, 'END:VEVENT')]
    """
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = [line], number
    if current:
        yield start, "".join(current)


def _split(text: str, separator: str) -> list[str]:
    """``text`` split on ``separator`` outside double quotes."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _param_value(text: str) -> str:
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if "^" in value:  # RFC 6868: ^n a line break, ^' a double quote, ^^ a caret
        value = re.sub(r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m[1], m[0]), value)
    return value.strip()


def parse_property(line: int, text: str) -> Property | None:
    """A property from one unfolded content line; ``None`` for a line that is no property.

    >>> p = parse_property(3, 'item1.TEL;type="voice,cell";PREF:+32 470 12 34 56')
    >>> p.group, p.name, p.params, p.value
    ('item1', 'TEL', {'TYPE': ['voice,cell', 'pref']}, '+32 470 12 34 56')
    >>> parse_property(1, 'ATTENDEE;CN="Peeters, Jan";PARTSTAT=DECLINED:mailto:jan@x.be').params
    {'CN': ['Peeters, Jan'], 'PARTSTAT': ['DECLINED']}
    """
    quoted = False
    colon = -1
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = i
            break
    if colon <= 0:
        return None
    head, value = text[:colon], text[colon + 1 :]
    parts = _split(head, ";")
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not _NAME.fullmatch(name):
        return None
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, equals, raw = part.partition("=")
        key = key.strip().upper()
        if not key:
            continue
        if not equals:
            kind = "ENCODING" if key in _ENCODINGS else "TYPE"
            params.setdefault(kind, []).append(key if kind == "ENCODING" else key.lower())
            continue
        params.setdefault(key, []).extend(_param_value(v) for v in _split(raw, ","))
    return Property(line, group, name.upper(), params, value)


def unescape_text(text: str) -> str:
    r"""A TEXT value with its escapes resolved: ``\n`` a line break, ``\,`` a comma.

    >>> unescape_text(r"Koffie\, daarna lunch\nin Gent")
    'Koffie, daarna lunch\nin Gent'
    """
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            out.append("\n" if following in "nN" else following)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)
