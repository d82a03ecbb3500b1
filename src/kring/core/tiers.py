"""Tier review: propose A (about the top 10%), B, and C (about the bottom 40%) for each tie.

Each relationship gets a *review score* in [0, 1]::

    review = 0.45 × strength / 100
           + 0.15 × (1 - exp(-(favours given + favours received) / 3))
           + 0.05 × [favours went both ways]
           + 0.10 × (1 - exp(-asks matched / 2))
           + 0.25 × stars / 3

Strength leads (it is what the interactions say); the user's own stars weigh a quarter, enough to
move a tie across one boundary but not to override a cold record on their own. Favours and
matched asks are what the seed articles call reciprocity: a tie that gives and takes is worth
keeping warm.

The relationships are ranked by review score (ties broken by input order, so the proposal is
deterministic). The top ``round(0.10 n)`` become A, the bottom ``round(0.40 n)`` C, the rest B,
rounding halves up. Two rules keep small lists and explicit judgement sensible:

* in a list too small for a 10% quota (fewer than five ties), the best tie is still proposed A
  when its review score reaches :data:`A_BAR` (0.70);
* a tie the user gave three stars is never proposed C: the user has said it matters.

Every proposal carries a reason code and the numbers behind it, e.g.
``("strong_and_reciprocal", {"rank": 1, "of": 40, ...})``; the review page translates the code.
A review is proposed again each quarter (:func:`review_due`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

__all__ = [
    "A_BAR",
    "A_SHARE",
    "C_SHARE",
    "REVIEW_INTERVAL_DAYS",
    "TIERS",
    "InvalidTierInput",
    "TierInput",
    "TierProposal",
    "propose_tiers",
    "review_due",
    "review_score",
]

TIERS = ("A", "B", "C")
A_SHARE = 0.10
C_SHARE = 0.40
A_BAR = 0.70  # review score that makes a tie A in a list too small for the 10% quota
REVIEW_INTERVAL_DAYS = 91  # a quarter

_W_STRENGTH = 0.45
_W_EXCHANGE = 0.15
_W_RECIPROCAL = 0.05
_W_ASKS = 0.10
_W_STARS = 0.25


class InvalidTierInput(ValueError):
    """Input the tier review cannot rank; the message names the field (code ``shares`` for
    A and C shares outside [0, 1] or together above 1, else ``invalid``)."""

    def __init__(self, message: str, code: str = "invalid", params: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code  # what the interface translates, with ``params``; the message is English
        self.params = dict(params or {})


@dataclass(frozen=True, slots=True)
class TierInput:
    """One relationship as the tier review sees it.

    ``key`` identifies it to the caller (e.g. the relationship's id); ``strength`` is in
    [0, 100]; favours and asks are counts; ``stars`` the user's own 0–3; ``current`` the tier
    it has now, if any.
    """

    key: Hashable
    strength: float
    favours_given: int = 0
    favours_received: int = 0
    asks_matched: int = 0
    stars: int = 0
    current: str | None = None


@dataclass(frozen=True, slots=True)
class TierProposal:
    """The proposed tier of one relationship, with a reason code and the numbers behind it."""

    key: Hashable
    tier: str
    reason: str
    details: dict[str, Any] = field(compare=True, hash=False)
    current: str | None = None

    @property
    def changed(self) -> bool:
        """Whether the proposal differs from the current tier (a new tie always counts)."""
        return self.current != self.tier

    @property
    def reason_code(self) -> tuple[str, dict[str, Any]]:
        """The reason as plain data, e.g. ``("strong_and_reciprocal", {"rank": 1, ...})``."""
        return self.reason, self.details


def review_score(item: TierInput) -> float:
    """The review score in [0, 1] of one relationship (see the module docstring).

    Examples
    --------
    >>> review_score(TierInput("ann", strength=100, favours_given=30, favours_received=30,
    ...                        asks_matched=30, stars=3)) > 0.99
    True
    >>> review_score(TierInput("bob", strength=0))
    0.0
    """
    _check_item(item, 0)
    return _review_score(item)


def propose_tiers(
    relationships: Sequence[TierInput], *, a_share: float = A_SHARE, c_share: float = C_SHARE
) -> list[TierProposal]:
    """Propose a tier for each relationship, in input order.

    Parameters
    ----------
    relationships : the ties to review; keys must be distinct.
    a_share, c_share : the shares proposed A and C; each in [0, 1], together at most 1.

    Returns
    -------
    list[TierProposal]
        One proposal per relationship, in the order given.

    Raises
    ------
    InvalidTierInput
        A duplicate key, strength outside [0, 100], a negative count, stars outside 0–3, an
        unknown current tier, shares out of range.

    Examples
    --------
    >>> ties = [TierInput("ann", 90, 2, 3, 1, 3), TierInput("bob", 40, stars=1),
    ...         TierInput("cas", 5)]
    >>> [(p.key, p.tier, p.reason) for p in propose_tiers(ties)]
    [('ann', 'A', 'strong_and_reciprocal'), ('bob', 'B', 'middle'), ('cas', 'C', 'cold')]

    Notes
    -----
    O(n log n) for n relationships (one sort).
    """
    _check(relationships, a_share, c_share)
    return _propose(relationships, a_share, c_share)


def review_due(last_reviewed: date | None, today: date) -> bool:
    """Whether a tier review is due: never reviewed, or a quarter has passed.

    Examples
    --------
    >>> review_due(None, date(2026, 6, 1)), review_due(date(2026, 3, 1), date(2026, 6, 1))
    (True, True)
    >>> review_due(date(2026, 5, 1), date(2026, 6, 1))
    False
    """
    if last_reviewed is None:
        return True
    return today - last_reviewed >= timedelta(days=REVIEW_INTERVAL_DAYS)


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def _review_score(item: TierInput) -> float:
    exchanged = item.favours_given + item.favours_received
    reciprocal = item.favours_given > 0 and item.favours_received > 0
    return (
        _W_STRENGTH * item.strength / 100.0
        + _W_EXCHANGE * -math.expm1(-exchanged / 3.0)
        + _W_RECIPROCAL * reciprocal
        + _W_ASKS * -math.expm1(-item.asks_matched / 2.0)
        + _W_STARS * item.stars / 3.0
    )


def _propose(
    relationships: Sequence[TierInput], a_share: float, c_share: float
) -> list[TierProposal]:
    n = len(relationships)
    scores = [_review_score(r) for r in relationships]
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    n_a = _round_half_up(a_share * n)
    n_c = min(_round_half_up(c_share * n), n - n_a)
    if n_a == 0 and n and n < 5 and a_share > 0 and scores[order[0]] >= A_BAR:
        n_a = 1
        n_c = min(n_c, n - 1)
    proposals: list[TierProposal | None] = [None] * n
    for rank, i in enumerate(order, start=1):
        item = relationships[i]
        if rank <= n_a:
            tier = "A"
        elif rank > n - n_c:
            tier = "C"
        else:
            tier = "B"
        kept_by_stars = tier == "C" and item.stars == 3
        if kept_by_stars:
            tier = "B"
        details: dict[str, Any] = {
            "rank": rank,
            "of": n,
            "score": round(scores[i], 4),
            "strength": round(float(item.strength), 1),
            "favours_given": item.favours_given,
            "favours_received": item.favours_received,
            "asks_matched": item.asks_matched,
            "stars": item.stars,
        }
        reason = "kept_by_stars" if kept_by_stars else _reason(item, tier)
        proposals[i] = TierProposal(item.key, tier, reason, details, item.current)
    return [p for p in proposals if p is not None]


def _reason(item: TierInput, tier: str) -> str:
    exchanged = item.favours_given + item.favours_received
    if tier == "A":
        if item.strength >= 50 and item.favours_given > 0 and item.favours_received > 0:
            return "strong_and_reciprocal"
        parts = {
            "strong": _W_STRENGTH * item.strength / 100.0,
            "starred": _W_STARS * item.stars / 3.0,
            "favours_exchanged": _W_EXCHANGE * -math.expm1(-exchanged / 3.0),
            "asks_matched": _W_ASKS * -math.expm1(-item.asks_matched / 2.0),
        }
        return max(parts, key=lambda k: parts[k])  # first of equals, in this order
    if tier == "C":
        if item.strength < 20 and exchanged == 0 and item.asks_matched == 0:
            return "cold"
        if exchanged == 0 and item.asks_matched == 0:
            return "no_exchange"
        return "lowest_ranked"
    return "middle"


def _check(relationships: Sequence[TierInput], a_share: float, c_share: float) -> None:
    for name, share in (("a_share", a_share), ("c_share", c_share)):
        if not 0.0 <= share <= 1.0:
            raise InvalidTierInput(f"{name} must be in [0, 1], got {share}", "shares")
    if a_share + c_share > 1.0:
        raise InvalidTierInput(
            f"a_share + c_share must be at most 1, got {a_share + c_share}", "shares"
        )
    seen: set[Hashable] = set()
    for i, item in enumerate(relationships):
        _check_item(item, i)
        if item.key in seen:
            raise InvalidTierInput(f"relationship {i}: duplicate key {item.key!r}")
        seen.add(item.key)


def _check_item(item: TierInput, i: int) -> None:
    where = f"relationship {item.key!r}" if item.key is not None else f"relationship {i}"
    if not isinstance(item.strength, int | float) or not 0.0 <= item.strength <= 100.0:
        raise InvalidTierInput(f"{where}: strength must be in [0, 100], got {item.strength!r}")
    for name in ("favours_given", "favours_received", "asks_matched"):
        value = getattr(item, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidTierInput(f"{where}: {name} must be an integer >= 0, got {value!r}")
    if isinstance(item.stars, bool) or item.stars not in (0, 1, 2, 3):
        raise InvalidTierInput(f"{where}: stars must be 0, 1, 2 or 3, got {item.stars!r}")
    if item.current is not None and item.current not in TIERS:
        raise InvalidTierInput(f"{where}: current tier must be A, B or C, got {item.current!r}")
