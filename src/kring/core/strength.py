"""Relationship strength: a score in 0–100 from a relationship's interactions, ``now`` passed in.

The formula
-----------
Every interaction *i* before ``now`` is a *touch* with a weight

    w_i = initiative_i × channel_i × (clip(minutes_i, 1, 240) / 5) ** 0.15

* ``initiative``: started by them or by both 1.0; by me and answered 0.9; by me with the answer
  not recorded 0.6; by me and unanswered 0.25. A touch the other side returned is evidence of a
  tie; a message into the void is only evidence of effort.
* ``channel``: one-to-one or small group 1.0, call 0.9, event or other 0.8, e-mail or online
  message 0.7. Narrow on purpose: the articles ask for frequency, not for a favourite channel.
* ``length``: a 5-minute touch is 1.0, a 60-minute meeting 1.45, four hours 1.79 (capped). Ten
  5-minute touches carry about seven times the weight of one hour (seed 003 §7).

The touches form a *memory* that fades exponentially with each touch's age::

    M = Σ w_i × exp(-(now - t_i) / τ)
    τ = 45 days × (1 + min(span, 2 years) / 1 year)        (45 to 135 days)

where ``span`` is the time between the first and the last touch. A new tie forgets with a
half-life of about 31 days, a tie of two years or more with one of about 94 days: long-standing
ties cool more slowly. The score saturates, so no tie runs away from the rest::

    score = 100 × (1 - exp(-M / 4))

One fresh 5-minute answered message scores about 15, ten of them about 76, one fresh hour
in person about 30; a tie called every three weeks for years settles near 82, a quarterly
coffee near 51. When that three-weekly tie falls silent it reads 59 after 90 days and is
flagged cooling after about four months.

*Familiarity* counts conversations so far: every interaction except an unanswered outbound one
(``initiated_by == "me"`` and ``answered is False``), the same rule the Django side uses. It is
shown as "3 of 5"; about five conversations make a name stick (seed 002).

*Cooling*: the score now against the score 90 days ago (computed from the touches up to then);
the tie cools when it fell by at least ``cooling_share`` (default 30%) and was at least 5 then —
a tie that hardly existed cannot cool.

Properties (tested): more touches never score lower; the same history closer to ``now`` scores
higher; ten short touches beat one long one over the same span; inbound and answered touches
beat unanswered outbound ones; the score stays in [0, 100] and never rises while time passes
without touches.

For many relationships at once, :func:`touch_weights` encodes flat arrays and
:func:`strengths_many` scores them all in a few NumPy passes (5,000 relationships with 200,000
interactions in a few tens of milliseconds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ANSWER_CODES",
    "CHANNELS",
    "CHANNEL_WEIGHTS",
    "COOLING_FLOOR",
    "COOLING_SHARE",
    "COOLING_WINDOW_DAYS",
    "FAMILIARITY_TARGET",
    "INITIATORS",
    "LENGTH_EXPONENT",
    "SATURATION",
    "TAU_DAYS",
    "TAU_SPAN_CAP_DAYS",
    "InvalidStrengthInput",
    "Strength",
    "StrengthArrays",
    "Touch",
    "decay_days",
    "familiarity_display",
    "is_conversation",
    "relationship_strength",
    "strengths_many",
    "touch_codes",
    "touch_weight",
    "touch_weights",
]

# --- the constants of the formula (see the module docstring and docs/planner.md) -------------
CHANNELS = ("in_person", "small_group", "event", "call", "email", "message", "other")
CHANNEL_WEIGHTS = {
    "in_person": 1.0,
    "small_group": 1.0,
    "event": 0.8,
    "call": 0.9,
    "email": 0.7,
    "message": 0.7,
    "other": 0.8,
}
INITIATORS = ("me", "them", "both")
# answered: True -> 1, False -> 0, None (not recorded) -> 2, as codes for the array path.
ANSWER_CODES = {True: 1, False: 0, None: 2}
# Rows: initiator code (me, them, both); columns: answer code (False, True, None).
_INITIATIVE = np.array(
    [
        [0.25, 0.9, 0.6],  # me: unanswered, answered, not recorded
        [1.0, 1.0, 1.0],  # them: they reached out, whatever the field says
        [1.0, 1.0, 1.0],  # both: a real exchange
    ]
)
LENGTH_EXPONENT = 0.15  # length counts, barely: 60 min = 1.45 x a 5-minute touch
_LENGTH_CAP = 240  # minutes; a day at a fair is not 100 touches
TAU_DAYS = 45.0  # memory time constant of a new tie
TAU_SPAN_CAP_DAYS = 730.0  # a tie's span counts up to two years (τ up to 3 × 45 days)
SATURATION = 4.0  # memory at which the score reaches 63
COOLING_SHARE = 0.30
COOLING_WINDOW_DAYS = 90  # "within a quarter"
COOLING_FLOOR = 5.0  # a tie below this 90 days ago cannot cool
FAMILIARITY_TARGET = 5

_DAY = 86_400.0
_CHANNEL_CODE = {c: i for i, c in enumerate(CHANNELS)}
_CHANNEL_WEIGHT_ARRAY = np.array([CHANNEL_WEIGHTS[c] for c in CHANNELS])
_INITIATOR_CODE = {c: i for i, c in enumerate(INITIATORS)}


class InvalidStrengthInput(ValueError):
    """An interaction or argument the strength formula cannot score; the message names it."""


@dataclass(frozen=True, slots=True)
class Touch:
    """One interaction as the strength formula sees it.

    ``occurred_at`` is timezone-aware; ``channel`` one of :data:`CHANNELS`; ``initiated_by``
    one of ``"me"``, ``"them"``, ``"both"``; ``answered`` True, False or None (not recorded).
    """

    occurred_at: datetime
    channel: str = "message"
    minutes: int = 5
    initiated_by: str = "me"
    answered: bool | None = None


@dataclass(frozen=True, slots=True)
class Strength:
    """The strength of one relationship at ``now``.

    ``score`` is in [0, 100]; ``previous_score`` is the score 90 days before ``now``;
    ``familiarity`` counts conversations so far; ``last_touch`` is the latest interaction
    before ``now`` (None when there is none).
    """

    score: float
    previous_score: float
    cooling: bool
    familiarity: int
    last_touch: datetime | None

    @property
    def familiarity_text(self) -> str:
        """Familiarity as "3 of 5" (capped at the target)."""
        return familiarity_display(self.familiarity)


@dataclass(frozen=True, slots=True)
class StrengthArrays:
    """Strengths of many relationships, index-aligned with the relationship indices given in.

    ``last_touch`` holds seconds since the epoch (NaN where there is no touch).
    """

    score: NDArray[np.float64]
    previous_score: NDArray[np.float64]
    cooling: NDArray[np.bool_]
    familiarity: NDArray[np.int64]
    last_touch: NDArray[np.float64]


def is_conversation(initiated_by: str, answered: bool | None) -> bool:
    """Whether an interaction counts towards familiarity: all but unanswered outbound ones.

    Examples
    --------
    >>> is_conversation("me", False), is_conversation("me", None), is_conversation("them", False)
    (False, True, True)
    """
    return not (initiated_by == "me" and answered is False)


def familiarity_display(count: int, target: int = FAMILIARITY_TARGET) -> str:
    """Familiarity as shown to the user, e.g. ``"3 of 5"``; capped at the target.

    Examples
    --------
    >>> familiarity_display(3), familiarity_display(8)
    ('3 of 5', '5 of 5')
    """
    if count < 0 or target < 1:
        raise InvalidStrengthInput(f"familiarity count must be >= 0 and target >= 1, got {count}")
    return f"{min(count, target)} of {target}"


def decay_days(span_days: float) -> float:
    """The memory time constant τ in days of a tie whose touches span ``span_days``.

    Examples
    --------
    >>> decay_days(0), decay_days(365), decay_days(5000)
    (45.0, 90.0, 135.0)
    """
    if span_days < 0:
        raise InvalidStrengthInput(f"span_days must be >= 0, got {span_days}")
    return TAU_DAYS * (1.0 + min(span_days, TAU_SPAN_CAP_DAYS) / 365.0)


def touch_weight(touch: Touch) -> float:
    """The weight of one touch (see the module docstring).

    Raises
    ------
    InvalidStrengthInput
        Unknown channel or initiator, negative minutes.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> round(touch_weight(Touch(t, "in_person", 60, "them")), 2)
    1.45
    """
    _check_touch(touch, 0)
    weight, _ = touch_weights(
        [_CHANNEL_CODE[touch.channel]],
        [_INITIATOR_CODE[touch.initiated_by]],
        [ANSWER_CODES[touch.answered]],
        [touch.minutes],
    )
    return float(weight[0])


def touch_codes(
    channel: Sequence[str], initiated_by: Sequence[str], answered: Sequence[bool | None]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Integer codes for :func:`touch_weights` from the values as stored (e.g. database rows).

    Raises
    ------
    InvalidStrengthInput
        Sequences of different lengths, an unknown channel or initiator, an answer that is not
        True, False or None.

    Examples
    --------
    >>> [c.tolist() for c in touch_codes(["call", "message"], ["them", "me"], [None, False])]
    [[3, 5], [1, 0], [2, 0]]
    """
    if not len(channel) == len(initiated_by) == len(answered):
        raise InvalidStrengthInput("channel, initiated_by and answered differ in length")
    try:
        ch = [_CHANNEL_CODE[c] for c in channel]
    except KeyError as error:
        raise InvalidStrengthInput(f"unknown channel {error.args[0]!r}") from None
    try:
        ini = [_INITIATOR_CODE[c] for c in initiated_by]
    except KeyError as error:
        raise InvalidStrengthInput(f"unknown initiated_by {error.args[0]!r}") from None
    try:
        ans = [ANSWER_CODES[a] for a in answered]
    except (KeyError, TypeError):
        raise InvalidStrengthInput("answered must be True, False or None") from None
    return (
        np.array(ch, dtype=np.int64),
        np.array(ini, dtype=np.int64),
        np.array(ans, dtype=np.int64),
    )


def touch_weights(
    channel: ArrayLike, initiated_by: ArrayLike, answered: ArrayLike, minutes: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Weights and conversation flags of many touches from integer codes.

    Parameters
    ----------
    channel : indices into :data:`CHANNELS`.
    initiated_by : indices into :data:`INITIATORS` (0 me, 1 them, 2 both).
    answered : :data:`ANSWER_CODES` (0 False, 1 True, 2 None).
    minutes : length of each touch in minutes (>= 0).

    Returns
    -------
    (weight, conversation)
        float64 weights and a bool array: True where the touch counts towards familiarity.

    Raises
    ------
    InvalidStrengthInput
        Arrays of different lengths or a code out of range.

    Examples
    --------
    >>> w, c = touch_weights([5, 0], [0, 1], [0, 2], [5, 60])
    >>> w.round(3).tolist(), c.tolist()
    ([0.175, 1.452], [False, True])
    """
    ch = np.asarray(channel, dtype=np.int64)
    ini = np.asarray(initiated_by, dtype=np.int64)
    ans = np.asarray(answered, dtype=np.int64)
    mins = np.asarray(minutes, dtype=np.float64)
    if not (ch.shape == ini.shape == ans.shape == mins.shape) or ch.ndim != 1:
        raise InvalidStrengthInput("channel, initiated_by, answered and minutes differ in length")
    for name, arr, top in (("channel", ch, len(CHANNELS)), ("initiated_by", ini, 3)):
        if arr.size and (arr.min() < 0 or arr.max() >= top):
            raise InvalidStrengthInput(f"{name} codes must be in 0..{top - 1}")
    if ans.size and (ans.min() < 0 or ans.max() > 2):
        raise InvalidStrengthInput("answered codes must be 0 (False), 1 (True) or 2 (None)")
    if mins.size and not (mins.min() >= 0):
        raise InvalidStrengthInput("minutes must be >= 0")
    length = (np.clip(mins, 1.0, _LENGTH_CAP) / 5.0) ** LENGTH_EXPONENT
    weight = _INITIATIVE[ini, ans] * _CHANNEL_WEIGHT_ARRAY[ch] * length
    conversation = ~((ini == 0) & (ans == 0))
    return weight, conversation


def relationship_strength(
    touches: Sequence[Touch], *, now: datetime, cooling_share: float = COOLING_SHARE
) -> Strength:
    """Score one relationship at ``now`` from its touches (those after ``now`` are ignored).

    Parameters
    ----------
    touches : the relationship's interactions, in any order.
    now : a timezone-aware datetime; the clock is never read.
    cooling_share : the drop within 90 days that flags the tie as cooling, in (0, 1).

    Returns
    -------
    Strength

    Raises
    ------
    InvalidStrengthInput
        A naive datetime, unknown channel or initiator, negative minutes, a share outside (0, 1).

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> now = datetime(2026, 6, 1, tzinfo=UTC)
    >>> s = relationship_strength([Touch(now - timedelta(days=1), "call", 10, "them")], now=now)
    >>> round(s.score, 1), s.familiarity_text, s.cooling
    (21.7, '1 of 5', False)

    Notes
    -----
    O(k) for k touches; it runs the array path of :func:`strengths_many` on one relationship,
    so both give the same numbers.
    """
    _check_now(now)
    for i, touch in enumerate(touches):
        _check_touch(touch, i)
    past = [t for t in touches if t.occurred_at <= now]
    weight, conversation = touch_weights(
        [_CHANNEL_CODE[t.channel] for t in past],
        [_INITIATOR_CODE[t.initiated_by] for t in past],
        [ANSWER_CODES[t.answered] for t in past],
        [t.minutes for t in past],
    )
    stamps = np.array([t.occurred_at.timestamp() for t in past], dtype=np.float64)
    result = strengths_many(
        np.zeros(len(past), dtype=np.int64),
        stamps,
        weight,
        conversation,
        count=1,
        now=now.timestamp(),
        cooling_share=cooling_share,
    )
    last = max((t.occurred_at for t in past), default=None)
    return Strength(
        score=float(result.score[0]),
        previous_score=float(result.previous_score[0]),
        cooling=bool(result.cooling[0]),
        familiarity=int(result.familiarity[0]),
        last_touch=last,
    )


def strengths_many(
    relationship: ArrayLike,
    timestamp: ArrayLike,
    weight: ArrayLike,
    conversation: ArrayLike,
    *,
    count: int,
    now: float,
    cooling_share: float = COOLING_SHARE,
) -> StrengthArrays:
    """Score many relationships at once from flat arrays of touches.

    Parameters
    ----------
    relationship : per touch, the relationship's index in ``0..count-1``.
    timestamp : per touch, seconds since the epoch (``datetime.timestamp()``).
    weight, conversation : per touch, as made by :func:`touch_weights`.
    count : the number of relationships (those without touches score 0).
    now : seconds since the epoch; touches after it are ignored.
    cooling_share : the drop within 90 days that flags a tie as cooling, in (0, 1).

    Returns
    -------
    StrengthArrays
        Arrays of length ``count``.

    Raises
    ------
    InvalidStrengthInput
        Arrays of different lengths, an index out of range, a negative weight, non-finite
        times, a share outside (0, 1), a negative count.

    Examples
    --------
    >>> w, c = touch_weights([0, 5, 5], [1, 0, 0], [2, 0, 0], [30, 5, 5])
    >>> day = 86_400.0
    >>> r = strengths_many([0, 1, 1], [-2 * day, -day, -200 * day], w, c, count=3, now=0.0)
    >>> r.score.round(1).tolist(), r.familiarity.tolist(), r.cooling.tolist()
    ([26.9, 4.5, 0.0], [1, 0, 0], [False, False, False])

    Notes
    -----
    A handful of O(k) NumPy passes over k touches (``bincount`` and ``ufunc.at``), twice: for
    ``now`` and for 90 days before it.
    """
    rel = np.asarray(relationship, dtype=np.int64)
    t = np.asarray(timestamp, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    conv = np.asarray(conversation, dtype=bool)
    _check_arrays(rel, t, w, conv, count, now, cooling_share)
    return _strengths_many(rel, t, w, conv, count, float(now), float(cooling_share))


def _strengths_many(
    rel: NDArray[np.int64],
    t: NDArray[np.float64],
    w: NDArray[np.float64],
    conv: NDArray[np.bool_],
    count: int,
    now: float,
    share: float,
) -> StrengthArrays:
    past = t <= now
    if not past.all():
        rel, t, w, conv = rel[past], t[past], w[past], conv[past]
    score, last = _scores(rel, t, w, count, now)
    then = now - COOLING_WINDOW_DAYS * _DAY
    earlier = t <= then
    previous, _ = _scores(rel[earlier], t[earlier], w[earlier], count, then)
    cooling = (previous >= COOLING_FLOOR) & (score <= (1.0 - share) * previous)
    familiarity = np.bincount(rel[conv], minlength=count).astype(np.int64)
    return StrengthArrays(score, previous, cooling, familiarity, last)


def _scores(
    rel: NDArray[np.int64], t: NDArray[np.float64], w: NDArray[np.float64], count: int, at: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    first = np.full(count, np.inf)
    last = np.full(count, -np.inf)
    np.minimum.at(first, rel, t)
    np.maximum.at(last, rel, t)
    touched = np.isfinite(last)
    span_days = np.where(touched, (last - first) / _DAY, 0.0)
    tau_days = TAU_DAYS * (1.0 + np.minimum(span_days, TAU_SPAN_CAP_DAYS) / 365.0)
    age_days = (at - t) / _DAY
    memory = np.bincount(rel, weights=w * np.exp(-age_days / tau_days[rel]), minlength=count)
    score = 100.0 * -np.expm1(-memory / SATURATION)
    return np.clip(score, 0.0, 100.0), np.where(touched, last, np.nan)


def _check_now(now: datetime) -> None:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise InvalidStrengthInput("now must be a timezone-aware datetime")


def _check_touch(touch: Touch, i: int) -> None:
    at = touch.occurred_at
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise InvalidStrengthInput(f"touch {i}: occurred_at must be a timezone-aware datetime")
    if touch.channel not in _CHANNEL_CODE:
        raise InvalidStrengthInput(
            f"touch {i}: unknown channel {touch.channel!r} (expected one of {', '.join(CHANNELS)})"
        )
    if touch.initiated_by not in _INITIATOR_CODE:
        raise InvalidStrengthInput(
            f"touch {i}: initiated_by must be 'me', 'them' or 'both', got {touch.initiated_by!r}"
        )
    if touch.answered not in (True, False, None):
        raise InvalidStrengthInput(f"touch {i}: answered must be True, False or None")
    if isinstance(touch.minutes, bool) or not isinstance(touch.minutes, int) or touch.minutes < 0:
        raise InvalidStrengthInput(f"touch {i}: minutes must be an integer >= 0")


def _check_arrays(
    rel: NDArray[np.int64],
    t: NDArray[np.float64],
    w: NDArray[np.float64],
    conv: NDArray[np.bool_],
    count: int,
    now: float,
    share: float,
) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidStrengthInput(f"count must be an integer >= 0, got {count!r}")
    if not (rel.ndim == t.ndim == w.ndim == conv.ndim == 1):
        raise InvalidStrengthInput("relationship, timestamp, weight and conversation must be 1-D")
    if not (rel.shape == t.shape == w.shape == conv.shape):
        raise InvalidStrengthInput(
            "relationship, timestamp, weight and conversation differ in length"
        )
    if rel.size and (rel.min() < 0 or rel.max() >= count):
        raise InvalidStrengthInput(f"relationship indices must be in 0..{count - 1}")
    if not np.isfinite(t).all() or not np.isfinite(now):
        raise InvalidStrengthInput("timestamps and now must be finite seconds since the epoch")
    if w.size and not (w.min() >= 0 and np.isfinite(w).all()):
        raise InvalidStrengthInput("weights must be finite and >= 0")
    if not 0.0 < share < 1.0:
        raise InvalidStrengthInput(f"cooling_share must be in (0, 1), got {share}")
