"""Dutch and Flemish personal names: surname particles (tussenvoegsels), sorting and folding.

"Jan van der Berg" is stored as given name "Jan", particles "van der", surname "Berg"; it shows
as "Jan van der Berg" and sorts under B, as Dutch directories do.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

__all__ = ["PARTICLES", "PersonName", "display_name", "fold", "sort_key", "split_name"]

# Words that begin a Dutch surname without belonging to its sort position. Multi-word
# particles ("van der", "in 't") are sequences of these.
PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "t",
        "ten",
        "ter",
        "te",
        "in",
        "op",
        "onder",
        "over",
        "aan",
        "bij",
        "uit",
        "uijt",
        "voor",
        "vande",
        "vander",
        "vanden",
        "d'",
        "l'",
        "la",
        "le",
        "du",
        "des",
        "dos",
        "da",
        "di",
        "del",
        "della",
        "zu",
        "zum",
    }
)


class PersonName(NamedTuple):
    given: str
    particles: str
    surname: str


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, for searching and matching.

    Examples
    --------
    >>> fold("Ëlise Müller-Lüdenscheidt")
    'elise muller-ludenscheidt'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def split_name(full: str) -> PersonName:
    """Split a full name into given name, particles and surname.

    The first word is the given name; the particles are the longest run of known particle
    words after it that still leaves a surname.

    Examples
    --------
    >>> split_name("Jan van der Berg")
    PersonName(given='Jan', particles='van der', surname='Berg')
    >>> split_name("Marie De Smet")
    PersonName(given='Marie', particles='De', surname='Smet')
    >>> split_name("Cher")
    PersonName(given='Cher', particles='', surname='')
    """
    words = full.split()
    if not words:
        return PersonName("", "", "")
    if len(words) == 1:
        return PersonName(words[0], "", "")
    given, rest = words[0], words[1:]
    cut = 0
    while cut < len(rest) - 1 and fold(rest[cut]) in PARTICLES:
        cut += 1
    return PersonName(given, " ".join(rest[:cut]), " ".join(rest[cut:]))


def display_name(given: str, particles: str, surname: str) -> str:
    """The name as people write it: "Jan van der Berg".

    >>> display_name("Jan", "van der", "Berg")
    'Jan van der Berg'
    """
    return " ".join(part for part in (given.strip(), particles.strip(), surname.strip()) if part)


def sort_key(given: str, particles: str, surname: str, *, country: str = "NL") -> str:
    """The key a directory sorts by: surname first, accents folded.

    Where the particles go follows the person's country: Dutch lists (``country`` "NL", the
    default) sort "Jan van der Berg" under B, the particles after the given name; Flemish lists
    (``country`` "BE") keep the particles in front of the surname, so "Jan Van Acker" sorts
    under V.

    >>> sort_key("Jan", "van der", "Berg")
    'berg, jan van der'
    >>> sort_key("Jan", "Van", "Acker", country="BE")
    'van acker, jan'
    """
    if country.upper() == "BE" and surname.strip() and particles.strip():
        return f"{fold(particles)} {fold(surname)}, {fold(given)}".rstrip(", ")
    head = fold(surname) or fold(given)
    tail = " ".join(p for p in (fold(given) if surname else "", fold(particles)) if p)
    return f"{head}, {tail}" if tail else head
