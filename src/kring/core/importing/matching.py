"""One person once: who in a file is already known, surely or probably — and who is not.

Identity that holds. Only an identifier that belongs to one person merges on its own: a
LinkedIn profile, a personal e-mail address, a mobile number — and only when the names agree
(accents, case and tussenvoegsels folded; "J." agrees with "Jan"). A shared identifier never
merges: a role address (info@, sales@, …), a landline or switchboard number, or an address or
number already found on people with different names. Then:

* the names agree partly (the same surname, another given name: a nickname, or a new surname
  after a marriage) → a merge **proposal** the user decides on;
* the names differ → another person; the identifier stays on both.

A name that matches closely at the same or an unknown organisation is probably the same
person: a proposal. The same name at a clearly different organisation, or two different
LinkedIn profiles, are two people.

Matching stays near-linear: people are found by identifier in dictionaries, and by name among
the *distinct* names of a block (initial and first letters of the surname); thousands of
people with one name cost one comparison, not thousands.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from rapidfuzz import fuzz, process

from kring.core.importing.records import ContactRecord, PersonRef
from kring.core.importing.values import linkedin_key
from kring.core.names import PARTICLES, fold, split_name

__all__ = [
    "NAME_THRESHOLD",
    "ORGANISATION_THRESHOLD",
    "ROLE_ADDRESSES",
    "Match",
    "PeopleIndex",
    "is_personal_phone",
    "is_role_address",
    "legacy_record_key",
    "name_key",
    "name_parts",
    "names_agree",
    "organisation_key",
    "record_key",
]

NAME_THRESHOLD = 90  # rapidfuzz ratio (0–100) from which two names are probably one person
ORGANISATION_THRESHOLD = 80
MAX_ORGANISATIONS_COMPARED = 200  # per name, for a fuzzy organisation match
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
# The first word of an address that belongs to a role or a team, not to one person (Dutch,
# French and English).
ROLE_ADDRESSES = frozenset(
    [
        "info",
        "information",
        "informatie",
        "contact",
        "contacts",
        "kontakt",
        "sales",
        "verkoop",
        "vente",
        "ventes",
        "support",
        "help",
        "helpdesk",
        "service",
        "services",
        "klantendienst",
        "klantenservice",
        "customerservice",
        "customercare",
        "office",
        "kantoor",
        "bureau",
        "admin",
        "administratie",
        "administration",
        "boekhouding",
        "accounting",
        "compta",
        "comptabilite",
        "finance",
        "financien",
        "facturen",
        "facturatie",
        "facturation",
        "factuur",
        "invoice",
        "invoices",
        "billing",
        "hr",
        "rh",
        "personeel",
        "jobs",
        "job",
        "vacatures",
        "careers",
        "career",
        "recrutement",
        "recruitment",
        "marketing",
        "press",
        "pers",
        "presse",
        "media",
        "communicatie",
        "communication",
        "secretariaat",
        "secretariat",
        "receptie",
        "reception",
        "onthaal",
        "accueil",
        "hello",
        "hallo",
        "hi",
        "bonjour",
        "mail",
        "email",
        "post",
        "team",
        "general",
        "enquiries",
        "inquiries",
        "orders",
        "order",
        "bestellingen",
        "commandes",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "webmaster",
        "postmaster",
        "hostmaster",
        "abuse",
        "privacy",
        "gdpr",
        "dpo",
        "legal",
        "juridisch",
        "it",
        "ict",
        "events",
        "event",
        "evenementen",
        "welcome",
        "welkom",
        "booking",
        "bookings",
        "reservations",
        "reservaties",
        "reservering",
        "reserveringen",
        "notifications",
        "newsletter",
        "nieuwsbrief",
        "members",
        "leden",
        "bestuur",
        "board",
        "directie",
        "management",
        "purchasing",
        "aankoop",
        "achats",
        "logistics",
        "logistiek",
        "operations",
        "planning",
        "projects",
        "shop",
        "webshop",
        "store",
        "winkel",
        "studio",
        "agency",
    ]
)
_LOCAL_WORDS = re.compile(r"[._+\-]+")
_SHARED_PHONE_LABELS = frozenset(["work", "main", "fax", "other", "pager"])


def is_role_address(address: str) -> bool:
    """Whether an e-mail address belongs to a role or a team rather than to one person.

    >>> is_role_address("info@acme.example"), is_role_address("Sales.Benelux@acme.example")
    (True, True)
    >>> is_role_address("jan.peeters@acme.example")
    False
    """
    local = address.rsplit("@", 1)[0].casefold()
    words = [w for w in _LOCAL_WORDS.split(local) if w]
    return bool(words) and (words[0] in ROLE_ADDRESSES or local in ROLE_ADDRESSES)


@functools.lru_cache(maxsize=65536)
def _number_type(e164: str) -> int:
    try:
        return phonenumbers.number_type(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return phonenumbers.PhoneNumberType.UNKNOWN


def is_personal_phone(e164: str, label: str = "") -> bool:
    """Whether a number belongs to one person: a mobile number (in countries that do not tell
    mobile from fixed numbers, one not labelled work, main or fax). Landlines and
    switchboards are shared.

    >>> is_personal_phone("+32470123456"), is_personal_phone("+3225123456", "work")
    (True, False)
    """
    kind = _number_type(e164)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return True
    if kind in (
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    ):
        return label.casefold() not in _SHARED_PHONE_LABELS
    return False


def _fold(text: str) -> str:
    """:func:`fold`, quicker for plain ASCII (most names): there it is only lower-casing."""
    return text.lower().strip() if text.isascii() else fold(text)


@functools.lru_cache(maxsize=4096)  # one record asks for its own key several times
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
    """What makes a record the same record on the next import of the same file.

    A source's own id (vCard UID) or the LinkedIn profile; otherwise the name with the
    addresses and numbers, so that two colleagues sharing info@ are two records.
    """
    family = "linkedin" if record.source.startswith("linkedin") else record.source
    if record.kind == "organisation":
        return hashlib.sha1(
            f"{family}\x1forganisation\x1f{organisation_key(record.organisation)}".encode()
        ).hexdigest()
    identity = record.uid or linkedin_key(record.linkedin_url)
    if not identity:
        name = name_key(record.given_name, record.particles, record.surname)
        points = " ".join(
            sorted(e.casefold() for e, _ in record.emails) + sorted(p for p, _ in record.phones)
        )
        identity = "|".join(
            (
                name,
                points or organisation_key(record.organisation),
                "" if points or not record.connected_on else record.connected_on.isoformat(),
            )
        )
    return hashlib.sha1(f"{family}\x1f{identity}".encode()).hexdigest()


def legacy_record_key(record: ContactRecord) -> str:
    """The key imports made before keys held the name (addresses or numbers alone), so that
    what they brought in is still known by it."""
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


def _words(text: str) -> list[str]:
    return _NOT_LETTERS.sub("", _fold(text).replace("-", " ").replace(".", " ")).split()


def _given_agree(a: str, b: str) -> bool | None:
    """Whether two given names may be one person's; ``None`` when one is unknown."""
    if not a or not b:
        return None
    if a == b or fuzz.ratio(a, b) >= NAME_THRESHOLD:
        return True
    first_a, first_b = a.split()[0], b.split()[0]
    # An initial ("J." → "j") or the first of a double name ("Jan" in "Jan Willem").
    return (
        first_a == first_b
        or (len(first_a) == 1 and first_b.startswith(first_a))
        or (len(first_b) == 1 and first_a.startswith(first_b))
    )


def _surname_agree(a: str, b: str) -> bool | None:
    if not a or not b:
        return None
    return a == b or fuzz.ratio(a, b) >= NAME_THRESHOLD or a.replace(" ", "") == b.replace(" ", "")


def names_agree(a: tuple[str, str], b: tuple[str, str]) -> str:
    """How far two (given name, surname) pairs, folded by :func:`name_parts`, agree.

    ``"same"``: nothing contradicts and something agrees; ``"partly"``: one of the two differs
    (a nickname, a new surname after a marriage); ``"different"``: both differ.

    >>> names_agree(name_parts("J.", "", "Berg"), name_parts("Jan", "van der", "Berg"))
    'same'
    >>> names_agree(name_parts("Marie", "", "Claes"), name_parts("Marie", "", "Peeters"))
    'partly'
    >>> names_agree(name_parts("Marie", "", "Claes"), name_parts("Jan", "", "Peeters"))
    'different'
    """
    if a == b or (a[0] == b[1] and a[1] == b[0] and a[0] and a[1]):
        return "same"  # also given name and surname written the other way round
    given, surname = _given_agree(a[0], b[0]), _surname_agree(a[1], b[1])
    if given is False and surname is False:
        return "different"
    if given is False or surname is False:
        return "partly"
    return "same"


@functools.lru_cache(maxsize=4096)
def name_parts(given: str, particles: str, surname: str) -> tuple[str, str]:
    """Given name and surname folded for :func:`names_agree` (particles left out)."""
    del particles
    surname_words = [w for w in _words(surname) if w not in PARTICLES] or _words(surname)
    return " ".join(_words(given)), " ".join(surname_words)


@dataclass(slots=True)
class _Known:
    id: int
    name: str  # name_key
    parts: tuple[str, str]  # name_parts
    organisation: str
    url: str


@dataclass(slots=True)
class _Choices:
    """The people of one name: the first at each organisation, the first without one."""

    first: int | None = None
    without_organisation: int | None = None
    by_organisation: dict[str, int] | None = None  # made for the first organisation

    def add(self, person_id: int, organisation: str) -> None:
        if self.first is None:
            self.first = person_id
        if organisation:
            self.add_organisation(organisation, person_id)
        elif self.without_organisation is None:
            self.without_organisation = person_id

    def add_organisation(self, organisation: str, person_id: int) -> None:
        if self.by_organisation is None:
            self.by_organisation = {}
        self.by_organisation.setdefault(organisation, person_id)

    def pick(self, organisation: str) -> int | None:
        """Someone of this name who may work at ``organisation`` (or the first, without)."""
        if not organisation:
            return self.first
        known = self.by_organisation or {}
        found = known.get(organisation)
        if found is not None:
            return found
        if self.without_organisation is not None:
            return self.without_organisation
        names = list(known)[:MAX_ORGANISATIONS_COMPARED]
        best = process.extractOne(
            organisation, names, scorer=fuzz.token_set_ratio, score_cutoff=ORGANISATION_THRESHOLD
        )
        return known[best[0]] if best else None


@dataclass(slots=True)
class _Name:
    """Everyone known by one name_key: all of them, and those without a LinkedIn profile
    (the only ones a record with a profile may still be: two profiles are two people)."""

    first: int
    count: int = 0
    everyone: _Choices = field(default_factory=_Choices)
    without_profile: _Choices | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """What the index makes of a record: ``person`` it surely is (``via`` key, linkedin,
    email or phone), or ``proposal`` (person, score) it probably is, or neither."""

    person: int | None = None
    via: str = ""
    proposal: tuple[int, float] | None = None


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
    >>> index.match(rec)
    Match(person=None, via='', proposal=(1, 100.0))
    >>> rec.emails.append(("jan@acme.example", ""))
    >>> index.match(rec)
    Match(person=1, via='email', proposal=None)
    >>> info = ContactRecord("f", 3, "vcard", "Els", "", "Maes", emails=[("info@acme.example", "")])
    >>> index.add(2, given="Jan", particles="", surname="Claes", emails=["info@acme.example"])
    >>> index.match(info)
    Match(person=None, via='', proposal=None)
    """

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self._names: dict[str, _Name] = {}
        self._blocks: dict[str, dict[str, None]] = defaultdict(dict)
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
            holders = self.by_email[email.casefold()]
            if person_id not in holders:
                holders.append(person_id)
        for phone in phones:
            holders = self.by_phone[phone]
            if person_id not in holders:
                holders.append(person_id)
        known = self._known.get(person_id)
        org = organisation_key(organisation) if organisation else ""
        if known is None:
            name = name_key(given, particles, surname)
            known = _Known(person_id, name, name_parts(given, particles, surname), org, url)
            self._known[person_id] = known
            self._blocks[_block(name)][name] = None
            group = self._names.get(name)
            if group is None:
                group = self._names[name] = _Name(person_id)
            group.count += 1
            group.everyone.add(person_id, org)
            if not url:
                if group.without_profile is None:
                    group.without_profile = _Choices()
                group.without_profile.add(person_id, org)
            return
        if org and not known.organisation:
            known.organisation = org
            group = self._names[known.name]
            group.everyone.add_organisation(org, person_id)
            if not known.url and group.without_profile is not None:
                group.without_profile.add_organisation(org, person_id)
        if url and not known.url:
            known.url = url

    def _holder(self, holders: list[int], parts: tuple[str, str]) -> tuple[int | None, str]:
        """The one person an identifier may name, and how far the names agree; an identifier
        already on people with different names is shared: ``(None, "shared")``."""
        if not holders:
            return None, ""
        first = self._known.get(holders[0])
        if first is None:
            return None, ""
        for other in holders[1:]:
            known = self._known.get(other)
            if known is not None and names_agree(first.parts, known.parts) != "same":
                return None, "shared"
        return first.id, names_agree(parts, first.parts)

    def match(self, record: ContactRecord, key: str = "") -> Match:
        """Who this record is: surely (merge), probably (proposal) or nobody known (new)."""
        if key and key in self.by_key:
            return Match(self.by_key[key], "key")
        parts = name_parts(record.given_name, record.particles, record.surname)
        legacy = legacy_record_key(record)
        if legacy != key and legacy in self.by_key:
            # Imported before keys held the name: the same record, if the names agree (the
            # old key of two colleagues sharing info@ was one and the same).
            known = self._known.get(self.by_key[legacy])
            if known is not None and names_agree(parts, known.parts) == "same":
                return Match(known.id, "key")
        proposal: tuple[int, float] | None = None
        url = linkedin_key(record.linkedin_url)
        candidates: list[tuple[str, int | None, str]] = []
        if url and url in self.by_url:
            profile = self.by_url[url]
            known = self._known.get(profile)
            candidates.append(
                ("linkedin", profile, names_agree(parts, known.parts) if known else "")
            )
        for email, _label in record.emails:
            if not is_role_address(email):
                person, agreement = self._holder(self.by_email.get(email.casefold(), []), parts)
                candidates.append(("email", person, agreement))
        for phone, label in record.phones:
            if is_personal_phone(phone, label):
                person, agreement = self._holder(self.by_phone.get(phone, []), parts)
                candidates.append(("phone", person, agreement))
        for via, person, agreement in candidates:
            if person is None:
                continue
            if agreement == "same":
                return Match(person, via)
            if agreement == "partly" and proposal is None:
                proposal = (person, self._score(record, person))
        if proposal is None:
            proposal = self.likely(record)
        return Match(None, "", proposal)

    def _score(self, record: ContactRecord, person: int) -> float:
        known = self._known[person]
        name = name_key(record.given_name, record.particles, record.surname)
        return float(round(fuzz.ratio(name, known.name), 1))

    def exact(self, record: ContactRecord, key: str = "") -> int | None:
        """The person this record surely is (see :meth:`match`), or ``None``."""
        return self.match(record, key).person

    def likely(self, record: ContactRecord) -> tuple[int, float] | None:
        """The person this record probably is by name, with the name score; ``None`` if
        nobody."""
        name = name_key(record.given_name, record.particles, record.surname)
        if not name:
            return None
        org = organisation_key(record.organisation) if record.organisation else ""
        with_profile = bool(linkedin_key(record.linkedin_url))
        best: tuple[int, float] | None = None
        for known_name in self._blocks.get(_block(name), ()):
            score = (
                100.0
                if known_name == name
                else fuzz.ratio(name, known_name, score_cutoff=NAME_THRESHOLD)
            )
            if not score or (best is not None and score <= best[1]):
                continue
            group = self._names[known_name]
            choices = group.without_profile if with_profile else group.everyone
            person = choices.pick(org) if choices is not None else None
            if person is not None:
                best = (person, float(score))
        return best

    def find(self, ref: PersonRef) -> int | None:
        """The one person a message or meeting refers to, by profile, e-mail or unique name."""
        url = linkedin_key(ref.linkedin_url)
        if url and url in self.by_url:
            return self.by_url[url]
        given, particles, surname = split_name(ref.name) if ref.name else ("", "", "")
        if ref.email:
            holders = self.by_email.get(ref.email.casefold(), [])
            if len(holders) == 1:
                return holders[0]
            if holders and ref.name:
                parts = name_parts(given, particles, surname)
                agreeing = [
                    h for h in holders if names_agree(parts, self._known[h].parts) == "same"
                ]
                if len(agreeing) == 1:
                    return agreeing[0]
        if ref.name:
            group = self._names.get(name_key(given, particles, surname))
            if group is not None and group.count == 1:
                return group.first
        return None
