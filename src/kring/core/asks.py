"""Asks: turn a member's one-sentence ask into role, sector, region, organisation and size.

A member writes "R&D-managers bij grote farmabedrijven in Limburg" or "someone at Acme NV who
does purchasing"; :func:`parse_ask` proposes the fields (the member confirms them) and
:func:`ask_matches` scores how well a person fits, so the web side can rank candidates.
Dutch and English are both understood; plural role words are made singular by :func:`stem`,
a small rule-based singulariser (not a full Snowball stemmer).

Plain Python: no Django here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from kring.core import ask_words
from kring.core.ask_words import DEFAULT_REGIONS, DEFAULT_SECTORS, SIZE_BANDS

__all__ = [
    "DEFAULT_REGIONS",
    "DEFAULT_SECTORS",
    "MAX_ASK_LENGTH",
    "SIZE_BANDS",
    "AskFields",
    "FieldMatch",
    "InvalidAsk",
    "Profiles",
    "ask_matches",
    "ask_matches_many",
    "detect_language",
    "parse_ask",
    "people_fitting",
    "stem",
]


MAX_ASK_LENGTH = 500


class InvalidAsk(ValueError):
    """The ask text cannot be parsed: empty, blank (code ``empty``) or too long (``too_long``,
    with ``limit`` and ``length``)."""

    def __init__(self, message: str, code: str = "invalid", params: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code  # what the interface translates, with ``params``; the message is English
        self.params = dict(params or {})


class FieldMatch(NamedTuple):
    """Where a proposed field came from: the span ``text[start:end]`` and a short reason."""

    field: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class AskFields:
    """The fields proposed for an ask; empty strings for what the sentence does not say."""

    role: str = ""
    sector: str = ""
    region: str = ""
    organisation: str = ""
    size: str = ""
    language: str = "nl"
    matched: tuple[FieldMatch, ...] = ()

    def match(self, field: str) -> FieldMatch | None:
        """The span and reason behind ``field``, or None when the field is empty."""
        return next((m for m in self.matched if m.field == field), None)

    @property
    def is_empty(self) -> bool:
        return not (self.role or self.sector or self.region or self.organisation or self.size)


# ---------------------------------------------------------------------------------------------
# Folding and words


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return folded.replace("’", "'").replace(".", "")


def _char_key(c: str) -> str:
    """One lower-case, accent-free character for ``c`` (always length 1, so slices line up)."""
    base = unicodedata.normalize("NFKD", c)[:1] or c
    low = base.lower()
    return low if len(low) == 1 else base


def _key(word: str) -> str:
    return "".join(_char_key(c) for c in word).replace("’", "'")


_WORD = re.compile(r"[^\W_]+(?:[&'’.][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    key: str  # folded
    boundary_before: bool  # a comma, semicolon, colon or bracket between it and the word before


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    previous_end = 0
    for m in _WORD.finditer(text):
        gap = text[previous_end : m.start()]
        words.append(
            _Word(m.group(), m.start(), m.end(), _fold(m.group()), bool(re.search(r"[,;:()]", gap)))
        )
        previous_end = m.end()
    return words


# ---------------------------------------------------------------------------------------------
# Singular forms

_VOWELS = frozenset("aeiouy")


def _nl_step(word: str, key: str) -> str:
    if key in ask_words.NL_KEEP:
        return word
    if key in ask_words.NL_IRREGULAR:
        return ask_words.NL_IRREGULAR[key]
    if key.endswith("'s") and len(key) > 2:
        return word[:-2]
    if len(key) >= 4 and key.endswith("s") and not key.endswith("ss"):
        if key[:-1].endswith(ask_words.NL_S_ENDINGS) or (
            word[:-1].isupper() and word[:-1].isalpha()
        ):
            return word[:-1]
        return word
    if len(key) >= 5 and key.endswith("en") and any(c in _VOWELS for c in key[:-3]):
        stem_word, stem_key = word[:-2], key[:-2]
        if stem_key.endswith("v"):
            return stem_word[:-1] + _same_case("f", stem_word[-1])
        if stem_key.endswith("z"):
            return stem_word[:-1] + _same_case("s", stem_word[-1])
        if len(stem_key) >= 3 and stem_key[-1] == stem_key[-2] and stem_key[-1] not in _VOWELS:
            return stem_word[:-1]  # bossen -> bos, notarissen -> notaris
        if (
            len(stem_key) >= 3
            and stem_key[-1] not in _VOWELS
            and stem_key[-2] in "aeou"
            and stem_key[-3] not in _VOWELS
        ):
            return stem_word[:-1] + stem_word[-2] + stem_word[-1]  # advocat -> advocaat
        if stem_key[-1] == "e":
            return stem_word  # industrieën -> industrie
        return stem_word
    return word


def _en_step(word: str, key: str) -> str:
    if key in ask_words.EN_KEEP:
        return word
    if key.endswith("'s") and len(key) > 2:
        return word[:-2]
    if len(key) < 3 or not key.endswith("s") or key.endswith(("ss", "us", "is")):
        return word
    if key.endswith("ies") and len(key) > 4:
        return word[:-3] + _same_case("y", word[-3])
    if key.endswith(("xes", "ches", "shes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def _same_case(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter


def stem(word: str, language: str) -> str:
    """The singular of a Dutch (``"nl"``) or English (``"en"``) noun; other words unchanged.

    Only the part after the last hyphen changes, and the case of the kept letters is kept.
    The rules are applied until nothing changes, so ``stem(stem(w)) == stem(w)``.

    Examples
    --------
    >>> [stem(w, "nl") for w in ["managers", "aankopers", "advocaten", "bedrijven", "fiscalisten"]]
    ['manager', 'aankoper', 'advocaat', 'bedrijf', 'fiscalist']
    >>> stem("R&D-managers", "nl"), stem("CFO's", "nl"), stem("ziekenhuizen", "nl")
    ('R&D-manager', 'CFO', 'ziekenhuis')
    >>> [stem(w, "en") for w in ["lawyers", "companies", "taxes", "CFOs", "sales", "business"]]
    ['lawyer', 'company', 'tax', 'CFO', 'sales', 'business']
    """
    if language not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', not {language!r}")
    head, hyphen, last = word.rpartition("-")
    step = _nl_step if language == "nl" else _en_step
    for _ in range(len(last) + 1):
        if not last:
            break
        nxt = step(last, _key(last))
        if nxt == last:
            break
        last = nxt
    return head + hyphen + last


# ---------------------------------------------------------------------------------------------
# Language


def detect_language(text: str) -> str:
    """``"nl"`` or ``"en"`` by counting stop words; a tie (or none at all) counts as Dutch.

    Examples
    --------
    >>> detect_language("R&D managers at large pharma in Limburg")
    'en'
    >>> detect_language("een fiscalist voor een overname in Antwerpen")
    'nl'
    """
    keys = [w.key for w in _words(text)]
    nl = sum(k in ask_words.NL_STOP for k in keys)
    en = sum(k in ask_words.EN_STOP for k in keys)
    return "en" if en > nl else "nl"


# ---------------------------------------------------------------------------------------------
# Lexicons: folded synonyms (words or phrases) to canonical names


_NUMBER = r"(\d{1,6}(?:[.,]\d{3})*)"
_SIZE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind)
    for p, kind in (
        (
            rf"\b(?:more than|over|above|meer dan|boven(?: de)?|ruim)\s+{_NUMBER}\s*\+?\s*"
            rf"{ask_words.PEOPLE_UNITS}",
            "more",
        ),
        (
            rf"\b(?:at least|minimum|minstens|minimaal|ten minste|vanaf|from)\s+{_NUMBER}\s*"
            rf"{ask_words.PEOPLE_UNITS}",
            "least",
        ),
        (rf"\b{_NUMBER}\s*(?:\+|or more|of meer)\s*{ask_words.PEOPLE_UNITS}", "least"),
        (
            rf"\b(?:less than|fewer than|under|below|minder dan|onder de|tot)\s+{_NUMBER}\s*"
            rf"{ask_words.PEOPLE_UNITS}",
            "less",
        ),
        (rf"\b{_NUMBER}\s*{ask_words.PEOPLE_UNITS}", "exact"),
    )
)


@dataclass(frozen=True)
class _Lexicon:
    entries: tuple[tuple[tuple[str, ...], str], ...]  # (folded words, canonical), longest first

    @classmethod
    def build(cls, canon: Iterable[str], aliases: dict[str, tuple[str, ...]]) -> _Lexicon:
        wanted = list(dict.fromkeys(canon))
        folded_to_canon = {_fold(c): c for c in wanted}
        pairs: dict[tuple[str, ...], str] = {}
        for name in wanted:
            pairs[_phrase(name)] = name
        for default, names in aliases.items():
            target = folded_to_canon.get(_fold(default))
            if target is None:
                continue
            for alias in names:
                pairs.setdefault(_phrase(alias), target)
        entries = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
        return cls(tuple((k, v) for k, v in entries if k))

    def find(
        self, words: Sequence[_Word], taken: set[int], *, compounds: bool = False
    ) -> tuple[str, int, int] | None:
        """The first match by position: (canonical, first word, last word + 1)."""
        for i in range(len(words)):
            if i in taken:
                continue
            for phrase, canon in self.entries:
                j = i + len(phrase)
                if j > len(words) or any(k in taken for k in range(i, j)):
                    continue
                if all(_same_word(words[i + n].key, phrase[n]) for n in range(len(phrase))):
                    return canon, i, j
            if compounds:
                for phrase, canon in self.entries:
                    if len(phrase) == 1 and _is_compound(words[i].key, phrase[0]):
                        return canon, i, i + 1
        return None

    def canonical(self, value: str) -> str:
        words = _words(value)
        hit = self.find(words, set())
        if hit is not None and hit[1] == 0 and hit[2] == len(words):
            return hit[0]
        return _fold(value).strip()


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(w.key for w in _words(text) if w.key)


@lru_cache(maxsize=4096)
def _both_stems(key: str) -> tuple[str, str]:
    return stem(key, "nl"), stem(key, "en")


def _same_word(key: str, lexical: str) -> bool:
    if key == lexical:
        return True
    if len(key) < 3 or len(lexical) < 3:
        return False
    (a_nl, a_en), (b_nl, b_en) = _both_stems(key), _both_stems(lexical)
    return a_nl == b_nl or a_en == b_en


def _is_compound(key: str, prefix: str) -> bool:
    if len(prefix) < 4 or not key.startswith(prefix) or key == prefix:
        return False
    rest = key[len(prefix) :].lstrip("-")
    return rest in ask_words.COMPOUND_HEADS or stem(rest, "nl") in ask_words.COMPOUND_HEADS


_LEXICON_CACHE: dict[tuple[tuple[str, ...], str], _Lexicon] = {}


def _lexicon(canon: Iterable[str], kind: str) -> _Lexicon:
    names = tuple(canon)
    cached = _LEXICON_CACHE.get((names, kind))
    if cached is None:
        aliases = ask_words.SECTOR_SYNONYMS if kind == "sector" else ask_words.REGION_ALIASES
        cached = _Lexicon.build(names, aliases)
        if len(_LEXICON_CACHE) < 64:
            _LEXICON_CACHE[(names, kind)] = cached
    return cached


# ---------------------------------------------------------------------------------------------
# Organisations


def _org_words(name: str) -> tuple[str, ...]:
    keys = [w.key for w in _words(name)]
    while keys and keys[-1] in ask_words.LEGAL_FORMS:
        keys.pop()
    return tuple(keys)


# Bounded as _fit is: an organisation's name meets every ask of a page.
@lru_cache(maxsize=16384)
def _org_key(name: str) -> str:
    return " ".join(_org_words(name))


def _find_known_organisation(
    words: Sequence[_Word], known: Iterable[str]
) -> tuple[str, int, int] | None:
    candidates = sorted(
        ((_org_words(n), n) for n in known if n and n.strip()),
        key=lambda pair: -len(pair[0]),
    )
    for i in range(len(words)):
        for phrase, name in candidates:
            j = i + len(phrase)
            if phrase and j <= len(words) and tuple(w.key for w in words[i:j]) == phrase:
                while j < len(words) and words[j].key in ask_words.LEGAL_FORMS:
                    j += 1
                return name, i, j
    return None


def _guess_organisation(
    words: Sequence[_Word], taken: set[int], lexicons: Sequence[_Lexicon]
) -> tuple[int, int, str] | None:
    """A capitalised name before a legal form ("Acme NV"), or after "at"/"bij" ("at Acme")."""

    def is_name(k: int) -> bool:
        w = words[k]
        if k in taken or not w.text[:1].isupper() or w.key in ask_words.ROLE_STOP:
            return False
        return all(lex.find([w], set()) is None for lex in lexicons)

    for k, w in enumerate(words):
        if k > 0 and w.key in ask_words.LEGAL_FORMS and w.text[:1].isupper() and is_name(k - 1):
            i = k - 1
            while (
                i > 0
                and is_name(i - 1)
                and words[i - 1].key not in ask_words.ROLE_STOP
                and i > k - 4
            ):
                i -= 1
            return i, k + 1, "a name followed by the legal form " + w.text
    for k, w in enumerate(words[:-1]):
        if w.key in ("at", "bij") and is_name(k + 1) and not words[k + 1].boundary_before:
            j = k + 1
            while j < len(words) and j < k + 4 and is_name(j) and not words[j].boundary_before:
                j += 1
            return k + 1, j, f"a capitalised name after '{w.text}'"
    return None


# ---------------------------------------------------------------------------------------------
# Role


def _role_from_start(words: Sequence[_Word], taken: set[int]) -> tuple[int, int]:
    i = 0
    while i < len(words) and words[i].key in ask_words.PREAMBLE:
        i += 1
    j = i
    while (
        j < len(words)
        and j - i < 6
        and j not in taken
        and words[j].key not in ask_words.ROLE_STOP
        and not words[j].key.isdigit()
        and not (j > i and words[j].boundary_before)
    ):
        j += 1
    return i, j


def _role_from_clause(words: Sequence[_Word], taken: set[int]) -> tuple[int, int, str] | None:
    """'who does purchasing', 'die de aankoop doet', 'responsible for purchasing'."""
    for k, w in enumerate(words):
        if w.key not in ("who", "die", "that", "responsible", "verantwoordelijk", "charge"):
            continue
        i = k + 1
        while i < len(words) and words[i].key in ask_words.CLAUSE_SKIP:
            i += 1
        j = i
        while (
            j < len(words)
            and j - i < 4
            and j not in taken
            and words[j].key not in ask_words.ROLE_STOP
            and words[j].key not in ask_words.CLAUSE_END_NL
        ):
            j += 1
        if j > i:
            return i, j, f"from '{' '.join(x.text for x in words[k:j])}'"
    return None


def _singular_role(text: str, words: Sequence[_Word], i: int, j: int, language: str) -> str:
    last = words[j - 1]
    head = text[words[i].start : last.start]
    return head + stem(last.text, language)


# ---------------------------------------------------------------------------------------------
# Size


def _band_of(n: int) -> str:
    if n < 10:
        return "1-9"
    if n < 50:
        return "10-49"
    if n < 250:
        return "50-249"
    return "250+"


def _find_size(
    text: str, words: Sequence[_Word], sector_lex: _Lexicon
) -> tuple[str, int, int, str] | None:
    for pattern, kind in _SIZE_PATTERNS:
        m = pattern.search(text)
        if m is None:
            continue
        n = int(re.sub(r"[.,]", "", m.group(1)))
        bound = {"more": n + 1, "least": n, "less": max(n - 1, 1), "exact": n}[kind]
        how = {"more": "at least", "least": "at least", "less": "at most", "exact": "about"}[kind]
        band_of = _band_of(bound)
        return band_of, m.start(), m.end(), f"{how} {bound} people: the band {band_of}"
    for k, w in enumerate(words):
        band = ask_words.SIZE_WORDS.get(w.key, "")
        if not band:
            continue
        for nxt in words[k + 1 : k + 3]:
            if (
                nxt.key in ask_words.ORG_NOUNS
                or stem(nxt.key, "nl") in ask_words.ORG_NOUNS
                or any(nxt.key.endswith(h) for h in ask_words.COMPOUND_HEADS if len(h) >= 5)
                or sector_lex.find([nxt], set(), compounds=True) is not None
            ):
                return band, w.start, nxt.end, f"'{w.text}' organisations: the band {band}"
    return None


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_ask(
    text: str,
    *,
    known_organisations: Iterable[str] = (),
    sectors: Iterable[str] = DEFAULT_SECTORS,
    regions: Iterable[str] = DEFAULT_REGIONS,
) -> AskFields:
    """Propose role, sector, region, organisation and size for a one-sentence ask.

    Sectors and regions are returned as the names given in ``sectors`` and ``regions`` (Dutch
    synonyms, English names and cities map onto them); a known organisation is returned as
    given, ignoring legal forms such as NV or BV. The role is singular. Fields the sentence
    does not mention are empty strings. Raises :class:`InvalidAsk` for empty or blank text
    or text over 500 characters.

    Examples
    --------
    >>> a = parse_ask("R&D-managers bij grote farmabedrijven in Limburg")
    >>> a.role, a.sector, a.region, a.size, a.language
    ('R&D-manager', 'Farma', 'Limburg', '250+', 'nl')
    >>> a = parse_ask("someone at Acme NV who does purchasing", known_organisations=["Acme"])
    >>> a.role, a.organisation, a.language
    ('purchasing', 'Acme', 'en')
    >>> parse_ask("CFO's van logistieke bedrijven in Gent").match("region").reason
    "'Gent' is in Oost-Vlaanderen"
    >>> parse_ask("   ")
    Traceback (most recent call last):
    ...
    kring.core.asks.InvalidAsk: An ask needs some text, for example 'HR-managers in Limburg'.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidAsk("An ask needs some text, for example 'HR-managers in Limburg'.", "empty")
    if len(text) > MAX_ASK_LENGTH:
        raise InvalidAsk(
            f"An ask is one sentence of at most {MAX_ASK_LENGTH} characters; "
            f"this one has {len(text)}.",
            "too_long",
            {"limit": MAX_ASK_LENGTH, "length": len(text)},
        )
    language = detect_language(text)
    words = _words(text)
    sector_lex = _lexicon(sectors, "sector")
    region_lex = _lexicon(regions, "region")
    taken: set[int] = set()
    matched: list[FieldMatch] = []

    def record(field: str, i: int, j: int, reason: str) -> None:
        start, end = words[i].start, words[j - 1].end
        matched.append(FieldMatch(field, start, end, text[start:end], reason))
        taken.update(range(i, j))

    organisation = ""
    known = _find_known_organisation(words, known_organisations)
    if known is not None:
        organisation, i, j = known
        record("organisation", i, j, "a known organisation")

    # Regions first: a city or province never names a role or a sector.
    region = ""
    hit = region_lex.find(words, taken)
    if hit is not None:
        region, i, j = hit
        said = text[words[i].start : words[j - 1].end]
        if _phrase(said) == _phrase(region):
            reason = "the region named"
        elif " ".join(_phrase(said)) in ask_words.OTHER_REGION_NAMES:
            reason = f"'{said}' is another name for {region}"
        else:
            reason = f"'{said}' is in {region}"
        record("region", i, j, reason)
        last = matched[-1]
        if region.endswith(")") and text[last.end : last.end + 1] == ")":
            matched[-1] = last._replace(end=last.end + 1, text=text[last.start : last.end + 1])

    role = ""
    i, j = _role_from_start(words, taken)
    leading_sector: tuple[str, int, int] | None = None
    if j - i >= 2 and words[i].key not in ask_words.ROLE_MODIFIERS:
        lead = sector_lex.find(words[i : i + 1], set(), compounds=True)
        if lead is not None:
            leading_sector = (lead[0], i, i + 1)
            i += 1
    while i < j and words[i].key in ask_words.SIZE_WORDS:
        i += 1
    if j > i and all(w.key in ask_words.GENERIC_PEOPLE for w in words[i:j]):
        taken.update(range(i, j))
        i = j
    if j > i:
        role = _singular_role(text, words, i, j, language)
        record("role", i, j, "the people asked for, made singular")
    else:
        clause = _role_from_clause(words, taken)
        if clause is not None:
            ci, cj, reason = clause
            role = _singular_role(text, words, ci, cj, language)
            record("role", ci, cj, reason)

    if not organisation:
        guess = _guess_organisation(words, taken, (sector_lex, region_lex))
        if guess is not None:
            gi, gj, reason = guess
            organisation = text[words[gi].start : words[gj - 1].end]
            record("organisation", gi, gj, reason)

    sector = ""
    if leading_sector is not None:
        sector, si, sj = leading_sector
        record("sector", si, sj, "a sector word before the role")
    else:
        hit = sector_lex.find(words, taken, compounds=True)
        if hit is not None:
            sector, si, sj = hit
            said = text[words[si].start : words[sj - 1].end]
            reason = "the sector named" if _fold(said) == _fold(sector) else f"'{said}': {sector}"
            record("sector", si, sj, reason)

    size = ""
    found = _find_size(text, words, sector_lex)
    if found is not None:
        size, start, end, reason = found
        matched.append(FieldMatch("size", start, end, text[start:end], reason))

    return AskFields(
        role=role,
        sector=sector,
        region=region,
        organisation=organisation,
        size=size,
        language=language,
        matched=tuple(sorted(matched, key=lambda m: m.start)),
    )


# ---------------------------------------------------------------------------------------------
# Matching people to an ask

_ROLE_WEIGHT, _OTHER_WEIGHT = 0.4, 0.2


def _stems(word: str) -> set[str]:
    key = _key(word)
    return {key, *_both_stems(key)}


def _synonyms(stems: set[str]) -> set[str]:
    out = set(stems)
    for group in ask_words.ROLE_SYNONYMS:
        if stems & group:
            out |= group
    return out


def _role_words(text: str) -> list[str]:
    return [w.key for w in _words(text.replace("-", " "))]


# Matching an ask is run for every person of a network (thousands) against a handful of asks,
# and titles, sectors and regions repeat: both pure steps are remembered.
@lru_cache(maxsize=65536)
def _role_score(role: str, title: str) -> float:
    wanted = _role_words(role)
    have = _role_words(title)
    if not wanted:
        return 0.0
    if not have:
        return 0.0
    joined_want = stem("".join(wanted), "nl")
    joined_have = "".join(stem(w, "nl") for w in have)
    if joined_want and joined_want in joined_have:
        return 1.0
    have_stems = [_synonyms(_stems(w)) for w in have]
    hits = 0
    for w in wanted:
        ws = _synonyms(_stems(w))
        if any(ws & hs for hs in have_stems) or any(
            len(s) >= 4 and h.endswith(s) for s in ws for hs in have_stems for h in hs
        ):
            hits += 1
    return hits / len(wanted)


@lru_cache(maxsize=65536)
def _canonical(kind: str, value: str) -> str:
    """A sector or region as Kring's default names call it."""
    canon = DEFAULT_SECTORS if kind == "sector" else DEFAULT_REGIONS
    return _lexicon(canon, kind).canonical(value)


def ask_matches(
    fields: AskFields,
    *,
    title: str = "",
    sector: str = "",
    region: str = "",
    organisation: str = "",
) -> float:
    """How well a person fits an ask, from 0 (not at all) to 1 (every field fits).

    Only the fields the ask states count: the role (weight 0.4) compares singular word stems
    of the role and the person's title, folding accents and case; sector and region (0.2
    each) must be equal once synonyms and cities are mapped onto Kring's names; the
    organisation (0.2) must be equal ignoring case, accents and legal forms. The ask's size
    is not compared. An ask with no fields matches nobody (0.0).

    Examples
    --------
    >>> ask = parse_ask("R&D managers at large pharma in Limburg")
    >>> ask_matches(ask, title="R&D Manager", sector="Farma", region="Limburg")
    1.0
    >>> ask_matches(ask, title="R&D-manager", sector="Farma", region="Hasselt")
    1.0
    >>> ask_matches(ask, title="Aankoper", sector="Farma", region="Antwerpen")
    0.25
    >>> ask_matches(parse_ask("someone at Acme NV who does purchasing"),
    ...             title="Aankoper", organisation="ACME bv")
    1.0
    """
    return _fit(
        fields.role,
        fields.sector,
        fields.region,
        fields.organisation,
        title,
        sector,
        region,
        organisation,
    )


def _role_part(role: str, title: str) -> float:
    return _ROLE_WEIGHT * _role_score(role, title) if role else 0.0


def _same_part(kind: str, wanted: str, value: str) -> float:
    if wanted and value and _canonical(kind, wanted) == _canonical(kind, value):
        return _OTHER_WEIGHT
    return 0.0


def _organisation_part(wanted: str, value: str) -> float:
    if wanted and value and _org_key(wanted) == _org_key(value):
        return _OTHER_WEIGHT
    return 0.0


def _weight(role: str, sector: str, region: str, organisation: str) -> float:
    """The sum of the weights of the fields an ask states (0.0: it states none)."""
    weight = 0.0
    for wanted, part in (
        (role, _ROLE_WEIGHT),
        (sector, _OTHER_WEIGHT),
        (region, _OTHER_WEIGHT),
        (organisation, _OTHER_WEIGHT),
    ):
        if wanted:
            weight += part
    return weight


def _combine(weight: float, role: float, sector: float, region: float, org: float) -> float:
    """The fit from the parts each field scored (0.0 where the ask does not state it)."""
    if weight == 0:
        return 0.0
    return round(min(1.0, (((role + sector) + region) + org) / weight), 6)


# Bounded so that what it keeps stays small (about 200 bytes an entry): pages that match an
# ask against every profile of a network use ask_matches_many, which keeps no pair.
@lru_cache(maxsize=16384)
def _fit(
    role: str,
    wanted_sector: str,
    wanted_region: str,
    wanted_organisation: str,
    title: str,
    sector: str,
    region: str,
    organisation: str,
) -> float:
    """ask_matches on plain strings, remembered: the same few asks meet the same titles,
    sectors and regions on every page."""
    return _combine(
        _weight(role, wanted_sector, wanted_region, wanted_organisation),
        _role_part(role, title),
        _same_part("sector", wanted_sector, sector),
        _same_part("region", wanted_region, region),
        _organisation_part(wanted_organisation, organisation),
    )


class Profiles:
    """Many people's (title, sector, region, organisation) as four columns of distinct values
    and, per column, each person's index into it: what :func:`people_fitting` and
    :func:`ask_matches_many` score against an ask all at once.

    A member's file holds hundreds of people and a network thousands, a club a few dozen open
    asks; titles, sectors, regions and organisations repeat, so an ask is compared with each
    distinct value once and the people's scores are gathered from those.
    """

    def __init__(
        self,
        values: tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str]],
        index: tuple[npt.NDArray[np.intp], ...],
    ) -> None:
        self.values = values
        self.index = index
        self.size = len(index[0])

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str]]) -> Profiles:
        """From each person's four values."""
        columns: list[dict[str, int]] = [{}, {}, {}, {}]
        indexes: list[list[int]] = [[], [], [], []]
        for row in rows:
            for value, seen, index in zip(row, columns, indexes, strict=True):
                index.append(seen.setdefault(value, len(seen)))
        t, s, r, o = (tuple(c) for c in columns)
        return cls((t, s, r, o), tuple(np.asarray(i, dtype=np.intp) for i in indexes))

    @classmethod
    def from_codes(
        cls,
        codes: npt.ArrayLike,
        titles: Sequence[str],
        sectors: Sequence[str],
        regions: Sequence[str],
        organisations: Sequence[str],
    ) -> Profiles:
        """From a row of four codes per person into the four columns of distinct values."""
        table = np.asarray(codes, dtype=np.intp).reshape(-1, 4)
        return cls((titles, sectors, regions, organisations), tuple(table[:, k] for k in range(4)))

    def __len__(self) -> int:
        return self.size


def _scores(fields: AskFields, profiles: Profiles) -> tuple[npt.NDArray[np.float64], float]:
    """Per person the sum of the parts the ask's stated fields score, and the sum of their
    weights: the same sums in the same order as :func:`_fit`, so the fits are the same
    numbers. Each distinct value a person has is compared with the ask once."""
    score = np.zeros(len(profiles))
    weight = _weight(fields.role, fields.sector, fields.region, fields.organisation)
    if weight == 0 or not len(profiles):
        return score, weight
    parts: tuple[tuple[str, Callable[[str, str], float]], ...] = (
        (fields.role, _role_part),
        (fields.sector, partial(_same_part, "sector")),
        (fields.region, partial(_same_part, "region")),
        (fields.organisation, _organisation_part),
    )
    for (wanted, part), values, of in zip(parts, profiles.values, profiles.index, strict=True):
        if not wanted:
            continue
        found = np.zeros(len(values))
        for code in np.flatnonzero(np.bincount(of, minlength=len(values))).tolist():
            found[code] = part(wanted, values[code])
        score += found[of]
    return score, weight


def people_fitting(
    fields: AskFields, profiles: Profiles, *, minimum: float
) -> list[tuple[int, float]]:
    """(position in ``profiles``, fit) of every person whose :func:`ask_matches` with
    ``fields`` is at least ``minimum``, in the order of ``profiles``; the same fits, one ask
    against many people in one pass."""
    score, weight = _scores(fields, profiles)
    if weight == 0:
        return []
    # Rounded as _fit rounds (Python's round, not NumPy's) for the few near enough to count.
    near = np.flatnonzero(score / weight >= minimum - 1e-6)
    found = [(int(i), round(min(1.0, float(score[i]) / weight), 6)) for i in near]
    return [(i, fit) for i, fit in found if fit >= minimum]


def ask_matches_many(
    fields: AskFields,
    profiles: npt.ArrayLike,
    titles: Sequence[str],
    sectors: Sequence[str],
    regions: Sequence[str],
    organisations: Sequence[str],
) -> list[float]:
    """:func:`ask_matches` for many people at once, each given as the codes of their title,
    sector, region and organisation (a row of four) in four columns of distinct values: each
    value a profile uses is compared with the ask once per call, and nothing is kept after it,
    so that matching an ask against a network of thousands neither repeats work nor fills a
    cache.

    >>> ask = parse_ask("R&D managers in Limburg")
    >>> ask_matches_many(ask, [(1, 0, 1, 0), (0, 0, 2, 0)], ["", "R&D Manager"], [""],
    ...                  ["", "Hasselt", "Antwerpen"], [""])
    [1.0, 0.0]
    """
    batch = Profiles.from_codes(profiles, titles, sectors, regions, organisations)
    score, weight = _scores(fields, batch)
    found = [0.0] * len(batch)
    if weight == 0:
        return found
    # Most of a network fits an ask not at all: only the others are divided and rounded.
    totals = score.tolist()
    for i in np.flatnonzero(score).tolist():
        found[i] = round(min(1.0, totals[i] / weight), 6)
    return found
