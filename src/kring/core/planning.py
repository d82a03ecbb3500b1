"""The weekly keep-warm plan: which ties to touch this week, why, how, within a time budget.

Hard rules (never broken, tested as properties)
-----------------------------------------------
* **C-tier never gets a personal touch**; such people go on the *automate* list (a newsletter,
  a like).
* **The follow-up guard**: a person with ``max_unanswered`` (default 2) or more unanswered
  outbound touches in a row is never proposed; the plan proposes a snooze until
  ``week_start + snooze_days`` (default 90). The caller counts the unanswered outbound touches
  since the last answer *or the end of the last snooze*, so a snooze that ends allows one new try.
* **At most one touch per person per week**; a person with a touch already planned this week is
  left out.
* **Never before "don't contact before"** (nor before a snooze ends): the suggested day is on or
  after both dates, and a person whose dates lie beyond the week is left out.
* **The plan fits the budget** (total minutes at most ``budget_minutes``).

Reasons and their value
-----------------------
A candidate's value is the sum of the values of its reasons, times 1.5 for an A-tie:

============== ===== ============================================= =================
reason         value when                                          suggestion
============== ===== ============================================= =================
cooling_a      40    an A-tie whose strength is flagged cooling    call, 10 min
birthday       30    the birthday falls in the week                message, 5 min
after_meeting  25    the day after a shared meeting is in the week message, 5 min
give_first     20+   an open ask of theirs the user's network can  e-mail, 10 min
                     answer (+5 per extra ask, up to +10)
favour_owed    15+   the user owes a favour (+5 per extra, ≤ +10)  call, 10 min
not_familiar   10    fewer than 5 conversations, none in 14 days   call, 5 min
due            8–16  the tier's cadence has passed (more when      message, 5 min
                     overdue; never touched counts as overdue)
============== ===== ============================================= =================

The suggestion (channel and minutes) comes from the most valuable reason. Giving before asking
and the birthday outrank routine cadence: a touch with something in it beats a "just checking in".

Choosing the touches
--------------------
With values as profit and minutes as weight this is a 0/1 knapsack. :func:`solve_knapsack`
solves it exactly: touches of equal length are interchangeable but for their value, so an optimal
plan takes the most valuable ones of each length (an exchange argument); what remains is how
many to take of each length — a small grouped knapsack solved by dynamic programming over the
minutes (divided by their common divisor, usually 5). For 5,000 candidates and a 2,400-minute
budget this takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kring.core.dates import birthday_in
from kring.core.strength import FAMILIARITY_TARGET

__all__ = [
    "DEFAULT_CADENCES",
    "FAMILIARITY_TARGET",
    "MAX_BUDGET_MINUTES",
    "MAX_UNANSWERED",
    "REASONS",
    "SNOOZE_DAYS",
    "Cadence",
    "InvalidPlanInput",
    "LeftOut",
    "PlanPerson",
    "PlannedTouch",
    "WeeklyPlan",
    "plan_week",
    "solve_knapsack",
]

MAX_BUDGET_MINUTES = 2400  # 40 hours a week: more is not a networking budget but a typo
MAX_UNANSWERED = 2
SNOOZE_DAYS = 90
_NOT_FAMILIAR_GAP_DAYS = 14  # a new tie is nudged at most every two weeks
_A_FACTOR = 1.5
_DUE_VALUE = 16.0  # a due touch is worth 8 when just due, 16 when a full window overdue
_TIERS = ("A", "B", "C")


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often a tier is touched: due after ``min_days``, overdue after ``max_days``."""

    min_days: int
    max_days: int


DEFAULT_CADENCES: Mapping[str, Cadence | None] = {
    "A": Cadence(14, 28),
    "B": Cadence(75, 105),  # about a quarter
    "C": None,  # never a personal touch: automate
}

# reason -> (base value, channel, minutes); in order of precedence for the suggestion on a tie.
REASONS: Mapping[str, tuple[float, str, int]] = {
    "cooling_a": (40.0, "call", 10),
    "birthday": (30.0, "message", 5),
    "after_meeting": (25.0, "message", 5),
    "give_first": (20.0, "email", 10),
    "favour_owed": (15.0, "call", 10),
    "not_familiar": (10.0, "call", 5),
    "due": (_DUE_VALUE, "message", 5),
}


class InvalidPlanInput(ValueError):
    """Input the planner refuses; the message names the field, e.g. ``budget_minutes``
    (code ``budget`` for a budget that is not a whole number of minutes >= 0, else
    ``invalid``)."""

    def __init__(self, message: str, code: str = "invalid", params: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code  # what the interface translates, with ``params``; the message is English
        self.params = dict(params or {})


@dataclass(frozen=True, slots=True)
class PlanPerson:
    """One relationship as the planner sees it (all dates are calendar dates).

    Parameters
    ----------
    key : identifies the relationship to the caller (e.g. its id); distinct per plan.
    tier : "A", "B" or "C".
    strength, cooling : from :mod:`kring.core.strength`.
    last_touch : the day of the latest interaction (None: never).
    birthday : any date with the person's birth month and day (the year is ignored).
    last_shared_meeting : the day of the latest event both attended (may lie in the week).
    open_asks_answerable : open asks of theirs the user's network can answer.
    favours_owed : favours received minus favours given (> 0: the user owes).
    familiarity : conversations so far (fewer than 5: "not met 5 times yet").
    unanswered_in_row : unanswered outbound touches since their last answer or last snooze.
    snoozed_until, dont_contact_before : no touch before these days.
    planned_this_week : a touch is already planned this week.
    """

    key: Hashable
    tier: str
    strength: float = 0.0
    cooling: bool = False
    last_touch: date | None = None
    birthday: date | None = None
    last_shared_meeting: date | None = None
    open_asks_answerable: int = 0
    favours_owed: int = 0
    familiarity: int = 0
    unanswered_in_row: int = 0
    snoozed_until: date | None = None
    dont_contact_before: date | None = None
    planned_this_week: bool = False


@dataclass(frozen=True, slots=True)
class PlannedTouch:
    """A touch in the plan: who, why (reason codes, most valuable first), how, when, worth."""

    key: Hashable
    tier: str
    reasons: tuple[str, ...]
    channel: str
    minutes: int
    day: date
    value: float


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A person deliberately not in the plan, and why.

    ``reason`` is one of ``"automate"`` (C-tier), ``"already_planned"``, ``"snoozed"``,
    ``"follow_up_guard"`` (``until`` is the proposed snooze end), ``"not_before"`` (``until``
    is the don't-contact-before day) or ``"over_budget"`` (had a reason, did not fit).
    """

    key: Hashable
    reason: str
    until: date | None = None


@dataclass(frozen=True, slots=True)
class WeeklyPlan:
    """The week's touches (most valuable first) and the people left out, in input order."""

    week_start: date
    budget_minutes: int
    touches: tuple[PlannedTouch, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def minutes_used(self) -> int:
        return sum(t.minutes for t in self.touches)

    @property
    def value(self) -> float:
        return sum(t.value for t in self.touches)

    @property
    def automate(self) -> tuple[Hashable, ...]:
        """The C-tier people, for a newsletter or a like instead of a personal touch."""
        return tuple(x.key for x in self.left_out if x.reason == "automate")

    @property
    def snoozes(self) -> dict[Hashable, date]:
        """The snoozes the follow-up guard proposes: key -> snoozed until."""
        return {
            x.key: x.until
            for x in self.left_out
            if x.reason == "follow_up_guard" and x.until is not None
        }


def plan_week(
    people: Sequence[PlanPerson],
    *,
    week_start: date,
    budget_minutes: int,
    cadences: Mapping[str, Cadence | None] | None = None,
    max_unanswered: int = MAX_UNANSWERED,
    snooze_days: int = SNOOZE_DAYS,
) -> WeeklyPlan:
    """Choose this week's touches: the most valuable set that fits the budget and the guards.

    Parameters
    ----------
    people : the relationships to consider; keys must be distinct.
    week_start : the first day of the week planned (the plan covers seven days from it).
    budget_minutes : the user's weekly time budget, 0 to 2,400 minutes.
    cadences : per tier a :class:`Cadence` (A and B) or None (C); missing tiers take
        :data:`DEFAULT_CADENCES`; a tier with None is never due by cadence.
    max_unanswered : unanswered outbound touches in a row after which a person is snoozed.
    snooze_days : the length of the snooze the guard proposes.

    Returns
    -------
    WeeklyPlan

    Raises
    ------
    InvalidPlanInput
        A budget that is negative, above 2,400 or not an integer; an unknown tier; a cadence of
        zero days or with ``max_days < min_days``; a cadence for C; ``max_unanswered`` or
        ``snooze_days`` below 1; a duplicate key; a negative count; a strength outside 0–100.

    Examples
    --------
    >>> week = date(2026, 6, 1)
    >>> people = [
    ...     PlanPerson("ann", "A", cooling=True, last_touch=date(2026, 2, 1), familiarity=9),
    ...     PlanPerson("bob", "B", birthday=date(1980, 6, 3), last_touch=week, familiarity=9),
    ...     PlanPerson("cas", "B", unanswered_in_row=2, last_touch=date(2025, 1, 1)),
    ...     PlanPerson("dee", "C"),
    ... ]
    >>> plan = plan_week(people, week_start=week, budget_minutes=15)
    >>> [(t.key, t.reasons, t.channel, t.minutes) for t in plan.touches]
    [('ann', ('cooling_a', 'due'), 'call', 10), ('bob', ('birthday',), 'message', 5)]
    >>> [(x.key, x.reason, x.until) for x in plan.left_out]
    [('cas', 'follow_up_guard', datetime.date(2026, 8, 30)), ('dee', 'automate', None)]

    Notes
    -----
    O(n) to weigh n people, then :func:`solve_knapsack` (O(n log n + d·B) for d distinct
    lengths and a budget of B minutes over their common divisor).
    """
    merged = _check(people, week_start, budget_minutes, cadences, max_unanswered, snooze_days)
    return _plan_week(people, week_start, budget_minutes, merged, max_unanswered, snooze_days)


def solve_knapsack(values: ArrayLike, minutes: ArrayLike, budget: int) -> NDArray[np.bool_]:
    """The most valuable set of items whose minutes fit ``budget`` (exact 0/1 knapsack).

    Parameters
    ----------
    values : per item a value >= 0.
    minutes : per item a length in whole minutes >= 1.
    budget : the minutes available, >= 0.

    Returns
    -------
    NDArray[bool]
        True for the chosen items. Items of value 0 are never chosen; among equally valuable
        items of one length the earlier ones are chosen, so the answer is deterministic.

    Raises
    ------
    InvalidPlanInput
        Arrays of different lengths, a negative or non-finite value, minutes below 1 or not
        whole, a negative budget.

    Examples
    --------
    >>> solve_knapsack([10, 7, 7, 1], [10, 5, 5, 5], 10).tolist()
    [False, True, True, False]

    Notes
    -----
    Exact: within one length the most valuable items are taken first (swapping a chosen item
    for a more valuable unchosen one of the same length never lowers the total), and a DP over
    the budget chooses how many of each length. With g the common divisor of the lengths,
    the DP has ``min(budget, total minutes) // g + 1`` cells and at most n vectorised steps.
    """
    v = np.asarray(values, dtype=np.float64)
    m_raw = np.asarray(minutes)
    if v.ndim != 1 or m_raw.shape != v.shape:
        raise InvalidPlanInput("values and minutes must be 1-D arrays of the same length")
    if v.size and not (np.isfinite(v).all() and v.min() >= 0):
        raise InvalidPlanInput("values must be finite and >= 0")
    m = m_raw.astype(np.int64)
    if m.size and not ((m == m_raw).all() and m.min() >= 1):
        raise InvalidPlanInput("minutes must be whole numbers >= 1")
    if isinstance(budget, bool) or not isinstance(budget, int | np.integer) or budget < 0:
        raise InvalidPlanInput(f"budget must be an integer >= 0, got {budget!r}", "budget")
    return _solve_knapsack(v, m, int(budget))


# --- the knapsack -------------------------------------------------------------------------------


def _solve_knapsack(v: NDArray[np.float64], m: NDArray[np.int64], budget: int) -> NDArray[np.bool_]:
    chosen = np.zeros(v.shape, dtype=bool)
    usable = np.flatnonzero((m <= budget) & (v > 0))
    if usable.size == 0:
        return chosen
    if int(m[usable].sum()) <= budget:  # everything fits: no search, and no huge DP table
        chosen[usable] = True
        return chosen
    g = int(np.gcd.reduce(m[usable]))
    cap = budget // g
    weights = m[usable] // g
    # Per distinct length: its items by falling value (then input order), and prefix sums.
    classes: list[tuple[int, NDArray[np.int64], NDArray[np.float64]]] = []
    for w in np.unique(weights):
        members = usable[weights == w]
        members = members[np.lexsort((members, -v[members]))][: cap // int(w)]
        prefix = np.concatenate(([0.0], np.cumsum(v[members])))
        classes.append((int(w), members, prefix))
    dp = np.zeros(cap + 1)  # dp[b]: best value within b units
    choices = []
    for w, members, prefix in classes:
        best = dp.copy()
        take = np.zeros(cap + 1, dtype=np.int64)
        for k in range(1, len(members) + 1):
            shift = k * w
            candidate = dp[: cap + 1 - shift] + prefix[k]
            better = candidate > best[shift:]
            best[shift:][better] = candidate[better]
            take[shift:][better] = k
        choices.append(take)
        dp = best
    b = cap
    for (w, members, _), take in zip(reversed(classes), reversed(choices), strict=True):
        k = int(take[b])
        chosen[members[:k]] = True
        b -= k * w
    return chosen


# --- weighing the people ------------------------------------------------------------------------


def _plan_week(
    people: Sequence[PlanPerson],
    week_start: date,
    budget: int,
    cadences: Mapping[str, Cadence | None],
    max_unanswered: int,
    snooze_days: int,
) -> WeeklyPlan:
    week_end = week_start + timedelta(days=6)
    left: list[tuple[int, LeftOut]] = []
    candidates: list[tuple[int, PlannedTouch]] = []
    for i, person in enumerate(people):
        excluded = _excluded(person, week_start, week_end, max_unanswered, snooze_days)
        if excluded is not None:
            left.append((i, excluded))
            continue
        touch = _candidate(person, week_start, week_end, cadences[person.tier])
        if touch is not None:
            candidates.append((i, touch))
    values = np.array([t.value for _, t in candidates], dtype=np.float64)
    minutes = np.array([t.minutes for _, t in candidates], dtype=np.int64)
    chosen = _solve_knapsack(values, minutes, budget)
    touches = sorted(
        ((i, t) for (i, t), c in zip(candidates, chosen, strict=True) if c),
        key=lambda it: (-it[1].value, it[0]),
    )
    for (i, t), c in zip(candidates, chosen, strict=True):
        if not c:
            left.append((i, LeftOut(t.key, "over_budget")))
    left.sort(key=lambda it: it[0])
    return WeeklyPlan(
        week_start=week_start,
        budget_minutes=budget,
        touches=tuple(t for _, t in touches),
        left_out=tuple(x for _, x in left),
    )


def _excluded(
    person: PlanPerson, week_start: date, week_end: date, max_unanswered: int, snooze_days: int
) -> LeftOut | None:
    if person.tier == "C":
        return LeftOut(person.key, "automate")
    if person.planned_this_week:
        return LeftOut(person.key, "already_planned")
    if person.snoozed_until is not None and person.snoozed_until > week_end:
        return LeftOut(person.key, "snoozed", person.snoozed_until)
    if person.unanswered_in_row >= max_unanswered:
        return LeftOut(person.key, "follow_up_guard", week_start + timedelta(days=snooze_days))
    if person.dont_contact_before is not None and person.dont_contact_before > week_end:
        return LeftOut(person.key, "not_before", person.dont_contact_before)
    return None


def _candidate(
    person: PlanPerson, week_start: date, week_end: date, cadence: Cadence | None
) -> PlannedTouch | None:
    earliest = week_start
    for bound in (person.snoozed_until, person.dont_contact_before):
        if bound is not None and bound > earliest:
            earliest = bound
    found: dict[str, float] = {}
    day = earliest
    if person.tier == "A" and person.cooling:
        found["cooling_a"] = REASONS["cooling_a"][0]
    birthday = _birthday_in(person.birthday, week_start, week_end)
    if birthday is not None and birthday >= earliest:
        found["birthday"] = REASONS["birthday"][0]
        day = birthday
    if person.last_shared_meeting is not None:
        after = person.last_shared_meeting + timedelta(days=1)
        if earliest <= after <= week_end:
            found["after_meeting"] = REASONS["after_meeting"][0]
            if "birthday" not in found:
                day = after
    if person.open_asks_answerable > 0:
        extra = 5.0 * min(person.open_asks_answerable - 1, 2)
        found["give_first"] = REASONS["give_first"][0] + extra
    if person.favours_owed > 0:
        found["favour_owed"] = REASONS["favour_owed"][0] + 5.0 * min(person.favours_owed - 1, 2)
    since = None if person.last_touch is None else (week_start - person.last_touch).days
    quiet = since is None or since >= _NOT_FAMILIAR_GAP_DAYS
    if person.familiarity < FAMILIARITY_TARGET and quiet:
        found["not_familiar"] = REASONS["not_familiar"][0]
    if cadence is not None and (since is None or since >= cadence.min_days):
        if since is None or cadence.max_days == cadence.min_days:
            urgency = 1.0
        else:
            urgency = min(1.0, (since - cadence.min_days) / (cadence.max_days - cadence.min_days))
        found["due"] = _DUE_VALUE * (0.5 + 0.5 * urgency)
    if not found:
        return None
    order = list(REASONS)
    reasons = sorted(found, key=lambda r: (-found[r], order.index(r)))
    _, channel, minutes = REASONS[reasons[0]]
    factor = _A_FACTOR if person.tier == "A" else 1.0
    value = round(factor * sum(found.values()), 6)
    return PlannedTouch(person.key, person.tier, tuple(reasons), channel, minutes, day, value)


def _birthday_in(birthday: date | None, week_start: date, week_end: date) -> date | None:
    return None if birthday is None else birthday_in(birthday, week_start, week_end)


# --- validation ---------------------------------------------------------------------------------


def _check(
    people: Sequence[PlanPerson],
    week_start: date,
    budget: int,
    cadences: Mapping[str, Cadence | None] | None,
    max_unanswered: int,
    snooze_days: int,
) -> Mapping[str, Cadence | None]:
    if isinstance(week_start, datetime) or not isinstance(week_start, date):
        raise InvalidPlanInput(f"week_start must be a date, got {week_start!r}")
    if isinstance(budget, bool) or not isinstance(budget, int):
        raise InvalidPlanInput(
            f"budget_minutes must be a whole number of minutes, got {budget!r}", "budget"
        )
    if not 0 <= budget <= MAX_BUDGET_MINUTES:
        raise InvalidPlanInput(
            f"budget_minutes must be between 0 and {MAX_BUDGET_MINUTES} minutes a week, "
            f"got {budget}"
        )
    for name, value in (("max_unanswered", max_unanswered), ("snooze_days", snooze_days)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidPlanInput(f"{name} must be a whole number >= 1, got {value!r}")
    merged = dict(DEFAULT_CADENCES)
    for tier, cadence in (cadences or {}).items():
        if tier not in _TIERS:
            raise InvalidPlanInput(f"cadences: unknown tier {tier!r} (expected A, B or C)")
        if tier == "C" and cadence is not None:
            raise InvalidPlanInput("cadences['C'] must be None: C-tier never gets a personal touch")
        if cadence is not None:
            _check_cadence(tier, cadence)
        merged[tier] = cadence
    seen: set[Hashable] = set()
    for i, person in enumerate(people):
        _check_person(person)
        if person.key in seen:
            raise InvalidPlanInput(f"person {i}: duplicate key {person.key!r}")
        seen.add(person.key)
    return merged


def _check_cadence(tier: str, cadence: Cadence) -> None:
    if not isinstance(cadence, Cadence):
        raise InvalidPlanInput(f"cadences[{tier!r}] must be a Cadence or None, got {cadence!r}")
    for name in ("min_days", "max_days"):
        value = getattr(cadence, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidPlanInput(
                f"cadences[{tier!r}].{name} must be a whole number of days >= 1, got {value!r}"
            )
    if cadence.max_days < cadence.min_days:
        raise InvalidPlanInput(
            f"cadences[{tier!r}].max_days ({cadence.max_days}) must be >= min_days "
            f"({cadence.min_days})"
        )


def _check_person(person: PlanPerson) -> None:
    where = f"person {person.key!r}"
    if person.tier not in _TIERS:
        raise InvalidPlanInput(f"{where}: tier must be A, B or C, got {person.tier!r}")
    if not isinstance(person.strength, int | float) or not 0.0 <= person.strength <= 100.0:
        raise InvalidPlanInput(f"{where}: strength must be in [0, 100], got {person.strength!r}")
    for name in ("open_asks_answerable", "familiarity", "unanswered_in_row"):
        value = getattr(person, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidPlanInput(f"{where}: {name} must be a whole number >= 0, got {value!r}")
    if isinstance(person.favours_owed, bool) or not isinstance(person.favours_owed, int):
        raise InvalidPlanInput(f"{where}: favours_owed must be a whole number")
    for name in (
        "last_touch",
        "birthday",
        "last_shared_meeting",
        "snoozed_until",
        "dont_contact_before",
    ):
        value = getattr(person, name)
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise InvalidPlanInput(f"{where}: {name} must be a date or None, got {value!r}")
