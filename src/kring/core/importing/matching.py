"""One person once: who in the file is already known, surely or probably.

A shared LinkedIn profile, e-mail address or phone number is the same person: the importer
merges. A name that matches closely (accents, case and tussenvoegsels folded, so "Jan Van der
Berg" is "jan vanderberg" is "Jan van der Berg") at the same or an unknown organisation is
probably the same person: the importer proposes a merge and the user decides. The same name at
a clearly different organisation is another person.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from kring.core.importing.records import ContactRecord, PersonRef
from kring.core.importing.values import linkedin_key
from kring.core.names import PARTICLES, fold, split_name

__all__ = [
    "NAME_THRESHOLD",
    "ORGANISATION_THRESHOLD",
    "PeopleIndex",
    "name_key",
    "organisation_key",
    "record_key",
]

NAME_THRESHOLD = 90  # rapidfuzz ratio (0–100) from which two names are probably one person
ORGANISATION_THRESHOLD = 80
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")
_LEGAL_FORMS = frozenset(
    [
        "nv",
        "bv",
        "bvba",
        "srl",
        "sa",
        "vzw",
        "asbl",
        "cv",
        "cvba",
        "vof",
        "comm",
        "commv",
        "ltd",
        "inc",
        "llc",
        "gmbh",
        "ag",
        "plc",
        "bv.",
        "n.v.",
    ]
)


def _fold(text: str) -> str:
    """:func:`fold`, quicker for plain ASCII (most names): there it is only lower-casing."""
    return text.lower().strip() if text.isascii() else fold(text)


def name_key(given: str, particles: str, surname: str) -> str:
    """Given name and surname folded, particles and punctuation left out.

    Examples
    --------
    >>> name_key("Jan", "van der", "Berg")
    'jan berg'
    >>> name_key("Jan", "", "Vanderberg") == name_key("Jan", "", "Van der Berg")
    False
    >>> name_key("Élise", "", "D'Hondt")
    'elise dhondt'
    """
    del particles  # "van der Berg", "Van Der Berg" and "Berg" sort and match alike
    words = _NOT_LETTERS.sub("", _fold(f"{given} {surname}").replace("-", " ")).split()
    return " ".join(w for w in words if w not in PARTICLES or len(words) <= 2)


@functools.lru_cache(maxsize=4096)  # an account has far fewer organisations than people
def organisation_key(name: str) -> str:
    """An organisation's name folded, without legal form: "Acme NV" and "ACME" are one.

    >>> organisation_key("Acme N.V.")
    'acme'
    """
    words = _NOT_LETTERS.sub(" ", _fold(name).replace(".", "")).split()
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def record_key(record: ContactRecord) -> str:
    """What makes a record the same record on the next import of the same file."""
    family = "linkedin" if record.source.startswith("linkedin") else record.source
    identity = (
        record.uid
        or linkedin_key(record.linkedin_url)
        or " ".join(sorted(e.casefold() for e, _ in record.emails))
        or " ".join(sorted(p for p, _ in record.phones))
    )
    if not identity:
        identity = "|".join(
            (
                name_key(record.given_name, record.particles, record.surname),
                organisation_key(record.organisation),
                record.connected_on.isoformat() if record.connected_on else "",
            )
        )
    return hashlib.sha1(f"{family}\x1f{identity}".encode()).hexdigest()


@dataclass(slots=True)
class _Known:
    id: int
    name: str
    organisation: str


def _block(name: str) -> str:
    words = name.split()
    if not words:
        return ""
    return f"{words[0][:1]}|{words[-1][:2]}"


class PeopleIndex:
    """The people already known, indexed for matching; grows as an import adds people.

    Ids are whatever the caller uses (database ids, or placeholders for people a preview
    would add).

    Examples
    --------
    >>> index = PeopleIndex()
    >>> index.add(1, given="Jan", particles="van der", surname="Berg", organisation="Acme NV",
    ...           emails=["jan@acme.example"])
    >>> rec = ContactRecord("f", 2, "vcard", "Jan", "", "Van der Berg", organisation="ACME")
    >>> index.exact(rec) is None, index.likely(rec)
    (True, (1, 100.0))
    >>> rec.emails.append(("jan@acme.example", ""))
    >>> index.exact(rec)
    1
    """

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self._blocks: dict[str, list[_Known]] = defaultdict(list)
        self._known: dict[int, _Known] = {}

    def __len__(self) -> int:
        return len(self._known)

    def add(
        self,
        person_id: int,
        *,
        given: str,
        particles: str,
        surname: str,
        organisation: str = "",
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
        linkedin_url: str = "",
        keys: Iterable[str] = (),
    ) -> None:
        """Make a person findable (again, with more to find them by)."""
        for key in keys:
            self.by_key.setdefault(key, person_id)
        url = linkedin_key(linkedin_url)
        if url:
            self.by_url.setdefault(url, person_id)
        for email in emails:
            self.by_email.setdefault(email.casefold(), person_id)
        for phone in phones:
            self.by_phone.setdefault(phone, person_id)
        known = self._known.get(person_id)
        if known is None:
            name = name_key(given, particles, surname)
            known = _Known(person_id, name, organisation_key(organisation))
            self._known[person_id] = known
            self._blocks[_block(name)].append(known)
            self.by_name[name].append(person_id)
        elif organisation and not known.organisation:
            known.organisation = organisation_key(organisation)

    def exact(self, record: ContactRecord, key: str = "") -> int | None:
        """The person this record surely is: same import key, profile, e-mail or phone."""
        if key and key in self.by_key:
            return self.by_key[key]
        url = linkedin_key(record.linkedin_url)
        if url and url in self.by_url:
            return self.by_url[url]
        for email, _label in record.emails:
            found = self.by_email.get(email.casefold())
            if found is not None:
                return found
        for phone, _label in record.phones:
            found = self.by_phone.get(phone)
            if found is not None:
                return found
        return None

    def likely(self, record: ContactRecord) -> tuple[int, float] | None:
        """The person this record probably is, with the name score; ``None`` if nobody."""
        name = name_key(record.given_name, record.particles, record.surname)
        if not name:
            return None
        org = organisation_key(record.organisation)
        best: tuple[int, float] | None = None
        for known in self._blocks.get(_block(name), ()):
            score = fuzz.ratio(name, known.name, score_cutoff=NAME_THRESHOLD)
            if not score:
                continue
            if org and known.organisation:
                same_org = fuzz.token_set_ratio(org, known.organisation)
                if same_org < ORGANISATION_THRESHOLD:
                    continue  # the same name at another organisation: another person
            if best is None or score > best[1]:
                best = (known.id, float(score))
        return best

    def find(self, ref: PersonRef) -> int | None:
        """The one person a message or meeting refers to, by profile, e-mail or unique name."""
        url = linkedin_key(ref.linkedin_url)
        if url and url in self.by_url:
            return self.by_url[url]
        if ref.email and ref.email.casefold() in self.by_email:
            return self.by_email[ref.email.casefold()]
        if ref.name:
            given, particles, surname = split_name(ref.name)
            ids = self.by_name.get(name_key(given, particles, surname), [])
            if len(ids) == 1:
                return ids[0]
        return None

    def forget(self, person_id: int) -> None:
        """Stop finding a person (merged into another)."""
        known = self._known.pop(person_id, None)
        if known is not None:
            self._blocks[_block(known.name)].remove(known)
            self.by_name[known.name].remove(person_id)
        for table in (self.by_key, self.by_url, self.by_email, self.by_phone):
            for key in [k for k, v in table.items() if v == person_id]:
                del table[key]
