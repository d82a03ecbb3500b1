"""Which members have a reason to sit together: relationship data turned into weighted pairs.

The club passes plain facts per member (open asks, what they offer, their sector, the contacts
they share with the club by name and role, whom they want to meet) and the open introductions
and referrals between members; :func:`affinities` returns one
:class:`~kring.core.seating.model.Affinity` per pair with a reason, for the seating engine to
weigh by its dial.

Each reason is a code with one parameter, for the interface to translate:

==================  ========================================================================
code                parameter
==================  ========================================================================
``ask_offer``       ``"<asker>:<ask>"``: the other member offers what the asker asks
``ask_sector``      ``"<asker>:<ask>"``: the other member works in the sector the ask names
``ask_network``     ``"<asker>:<ask>"``: the other member shares contacts that fit the ask
``want_to_meet``    ``"<who>"``: that member asked to meet the other before this meeting
``introduction``    ``""``: an introduction between the two is open
``referral``        ``""``: a referral between the two is open
==================  ========================================================================

Privacy is kept by what goes in and what comes out: a reason names only the asker's own ask
(their words, which the club sees on their card) and the fact of a link between the two, never a
contact; network contacts count only when their owner shares them with the club by name and role.

Plain Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from kring.core.asks import AskFields, InvalidAsk, ask_matches, parse_ask
from kring.core.seating.model import Affinity

__all__ = [
    "REASON_WEIGHTS",
    "AskFacts",
    "Contact",
    "MemberFacts",
    "OpenLink",
    "affinities",
    "split_param",
]

# How much each reason says two people matter to each other; several reasons combine as
# independent chances (1 - product of (1 - w)), so two weak reasons outweigh one.
REASON_WEIGHTS = {
    "want_to_meet": 0.7,
    "ask_offer": 0.6,
    "ask_network": 0.5,
    "introduction": 0.5,
    "referral": 0.4,
    "ask_sector": 0.3,
}

# Fits below these do not count as a reason (see :func:`kring.core.asks.ask_matches`).
OFFER_FIT = 0.5
NETWORK_FIT = 0.75


@dataclass(frozen=True, slots=True)
class AskFacts:
    """One open ask: the member's sentence and the fields they confirmed (empty: parse it)."""

    text: str
    role: str = ""
    sector: str = ""
    region: str = ""
    organisation: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Contact:
    """A contact a member shares with the club by name and role (only those count)."""

    title: str = ""
    sector: str = ""
    region: str = ""
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the club knows of one member that may give others a reason to meet them."""

    key: str
    sector: str = ""
    offer: str = ""
    asks: tuple[AskFacts, ...] = ()
    network: tuple[Contact, ...] = ()
    want_to_meet: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OpenLink:
    """An open introduction (``kind="introduction"``) or referral between two members."""

    a: str
    b: str
    kind: str


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def split_param(param: str) -> tuple[str, str]:
    """``"u3:R&D managers"`` -> ``("u3", "R&D managers")``: whose ask, and its words."""
    whose, _sep, text = param.partition(":")
    return whose, text


@lru_cache(maxsize=4096)
def _fields(ask: AskFacts) -> AskFields | None:
    fields = AskFields(
        role=ask.role, sector=ask.sector, region=ask.region, organisation=ask.organisation
    )
    if not fields.is_empty:
        return fields
    try:
        parsed = parse_ask(ask.text)
    except InvalidAsk:
        return None
    return None if parsed.is_empty else parsed


@lru_cache(maxsize=65536)
def _role_fit(role: str, text: str) -> float:
    return ask_matches(AskFields(role=role), title=text) if role and text else 0.0


@lru_cache(maxsize=65536)
def _same(field: str, wanted: str, have: str) -> bool:
    if not wanted or not have:
        return False
    fields = {
        "sector": AskFields(sector=wanted),
        "region": AskFields(region=wanted),
        "organisation": AskFields(organisation=wanted),
    }[field]
    return ask_matches(fields, **{field: have}) == 1.0


# The contact fields an ask's fields are compared with.
_CONTACT_FIELD = {
    "role": "title",
    "sector": "sector",
    "region": "region",
    "organisation": "organisation",
}


def _stated(fields: AskFields) -> tuple[str, ...]:
    return tuple(name for name in _CONTACT_FIELD if getattr(fields, name))


def _field_score(name: str, wanted: str, have: str) -> float:
    if name == "role":
        return _role_fit(wanted, have)
    return float(_same(name, wanted, have))


class _Networks:
    """Each member's shared contacts seen through the fields an ask states: an ask is compared
    once with each distinct value of each field among the members looked at, not once per
    contact."""

    def __init__(self, members: Sequence[MemberFacts]) -> None:
        self.by_key = {m.key: m for m in members}
        self._projected: dict[tuple[tuple[str, ...], str], frozenset[tuple[str, ...]]] = {}
        self._by_first: dict[
            tuple[tuple[str, ...], tuple[str, ...]], dict[str, list[tuple[str, ...]]]
        ] = {}

    def projected(self, stated: tuple[str, ...], key: str) -> frozenset[tuple[str, ...]]:
        if (stated, key) not in self._projected:
            columns = [_CONTACT_FIELD[name] for name in stated]
            network = self.by_key[key].network
            if len(columns) == 1:
                values = frozenset((getattr(c, columns[0]),) for c in network)
            else:
                values = frozenset(map(attrgetter(*columns), network))
            self._projected[(stated, key)] = values
        return self._projected[(stated, key)]

    def by_first(
        self, stated: tuple[str, ...], keys: tuple[str, ...]
    ) -> dict[str, list[tuple[str, ...]]]:
        """The distinct projected contacts of the members ``keys``, by their first field."""
        if (stated, keys) not in self._by_first:
            grouped: dict[str, list[tuple[str, ...]]] = {}
            for value in frozenset().union(*(self.projected(stated, k) for k in keys)):
                grouped.setdefault(value[0], []).append(value)
            self._by_first[(stated, keys)] = grouped
        return self._by_first[(stated, keys)]

    def fitting(self, fields: AskFields, keys: tuple[str, ...]) -> set[str]:
        """The members among ``keys`` one of whose shared contacts fits ``fields``: its
        :func:`~kring.core.asks.ask_matches` score reaches ``NETWORK_FIT`` (role 0.4, the
        other fields 0.2 each, over the fields the ask states)."""
        if not keys:
            return set()
        stated = _stated(fields)
        by_first = self.by_first(stated, keys)
        weights = [0.4 if name == "role" else 0.2 for name in stated]
        need = NETWORK_FIT * sum(weights) - 1e-9
        # Most values of the first (heaviest) field score too low for any values of the others
        # to make up: only the rest of the tuples that start with a promising one are scored.
        first = {
            v: weights[0] * _field_score(stated[0], getattr(fields, stated[0]), v) for v in by_first
        }
        promising = [v for v, score in first.items() if score + sum(weights[1:]) >= need]
        candidates = [value for v in promising for value in by_first[v]]
        scores = [first]
        for i, name in enumerate(stated[1:], start=1):
            wanted = getattr(fields, name)
            distinct = {value[i] for value in candidates}
            scores.append({v: weights[i] * _field_score(name, wanted, v) for v in distinct})
        good = frozenset(
            value
            for value in candidates
            if sum(score[x] for score, x in zip(scores, value, strict=True)) >= need
        )
        if not good:
            return set()
        return {k for k in keys if not good.isdisjoint(self.projected(stated, k))}


def _ask_reasons(
    asker: MemberFacts, fields: AskFields, text: str, other: MemberFacts, network_fits: bool
) -> list[tuple[str, str]]:
    param = f"{asker.key}:{text}"
    reasons = []
    if fields.role and _role_fit(fields.role, other.offer) >= OFFER_FIT:
        reasons.append(("ask_offer", param))
    if fields.sector and _same("sector", fields.sector, other.sector):
        reasons.append(("ask_sector", param))
    if network_fits:
        reasons.append(("ask_network", param))
    return reasons


def affinities(
    members: Sequence[MemberFacts],
    links: Iterable[OpenLink] = (),
    *,
    pairs: Iterable[tuple[str, str]] | None = None,
) -> tuple[Affinity, ...]:
    """Every pair of ``members`` with a reason to meet, with a weight in (0, 1] and its reasons.

    Parameters
    ----------
    members : the members (of those coming tonight, typically); keys must be unique.
    links : open introductions and referrals; links naming someone not in ``members`` are
        ignored, as are ``want_to_meet`` entries naming someone absent or oneself.
    pairs : when given, only these pairs are looked at (say, the pairs at one table: the
        reasons a page shows for a plan need no more).

    Returns
    -------
    Affinities sorted by pair, ``a < b``; reasons sorted and without duplicates.

    Raises
    ------
    ValueError : a key appears twice, or a link has an unknown kind.

    Examples
    --------
    >>> jan = MemberFacts("jan", offer="R&D advice for pharma", asks=(AskFacts("accountants"),))
    >>> eva = MemberFacts("eva", asks=(AskFacts("R&D managers"),), want_to_meet=("jan",))
    >>> [(x.a, x.b, x.reasons) for x in affinities([jan, eva])]
    [('eva', 'jan', (('ask_offer', 'eva:R&D managers'), ('want_to_meet', 'eva')))]

    Notes
    -----
    O(m^2 * (a + c)) for m members, a asks and c shared contacts each, with the comparisons of
    the same words cached.
    """
    by_key = {m.key: m for m in members}
    if len(by_key) != len(members):
        raise ValueError("a member appears twice")
    found: dict[tuple[str, str], set[tuple[str, str]]] = {}
    allowed = None if pairs is None else {_pair(a, b) for a, b in pairs}

    def wanted(a: str, b: str) -> bool:
        return a != b and (allowed is None or _pair(a, b) in allowed)

    def add(a: str, b: str, reason: tuple[str, str]) -> None:
        found.setdefault(_pair(a, b), set()).add(reason)

    networks = _Networks(members)
    everyone = tuple(sorted(by_key))
    for asker in members:
        # With ``pairs``, an asker's network check looks at their partners' contacts only.
        partners = tuple(k for k in everyone if wanted(asker.key, k))
        for ask in asker.asks:
            fields = _fields(ask)
            if fields is None:
                continue
            fitting = networks.fitting(fields, everyone if allowed is None else partners)
            for other in members:
                if wanted(asker.key, other.key):
                    reasons = _ask_reasons(asker, fields, ask.text, other, other.key in fitting)
                    for reason in reasons:
                        add(asker.key, other.key, reason)
        for other_key in asker.want_to_meet:
            if other_key in by_key and wanted(asker.key, other_key):
                add(asker.key, other_key, ("want_to_meet", asker.key))
    for link in links:
        if link.kind not in ("introduction", "referral"):
            raise ValueError(f"unknown kind of link: {link.kind!r}")
        if link.a in by_key and link.b in by_key and wanted(link.a, link.b):
            add(link.a, link.b, (link.kind, ""))
    result = []
    for (a, b), pair_reasons in sorted(found.items()):
        miss = 1.0
        for code, _param in pair_reasons:
            miss *= 1.0 - REASON_WEIGHTS[code]
        result.append(Affinity(a, b, round(1.0 - miss, 6), tuple(sorted(pair_reasons))))
    return tuple(result)
