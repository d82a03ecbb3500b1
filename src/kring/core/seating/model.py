"""The seating engine's plain data: what goes in, what comes out, and the errors it raises.

Everything here is an immutable dataclass of built-in types, so a caller (the CLI, a Django
adapter, a test) can build a problem from any source and compare plans with ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Affinity",
    "Attendee",
    "GolferSeason",
    "InfeasibleSeating",
    "MeetAgain",
    "MeetingPlan",
    "PastMeeting",
    "SeasonFigures",
    "SeatingError",
    "SeatingInputError",
    "SeatingPlan",
    "SeatingProblem",
    "SeatingReport",
    "SeatingRules",
    "Table",
    "TableVariety",
]


class SeatingError(ValueError):
    """Base class of the errors the seating engine raises for input it cannot plan.

    ``code`` and ``params`` say what is wrong in a form an interface can translate (e.g.
    ``"duplicate_name"``, ``{"name": "Ann"}``); the message is the English text.
    """

    def __init__(
        self, message: str, *, code: str = "seating", params: dict[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


class SeatingInputError(SeatingError):
    """The input is malformed: duplicate names, unknown people, a host at two tables, ..."""


class InfeasibleSeating(SeatingError):
    """No plan can keep a hard rule; ``rule`` names it, e.g. ``"never together"``.

    The message says why, e.g. ``"7 mutual competitors (A, B, ...) but only 6 tables"``.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        code: str = "infeasible",
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message, code=code, params={"rule": rule, **(params or {})})
        self.rule = rule


@dataclass(frozen=True, slots=True)
class Attendee:
    """A person who may be seated; sector and organisation feed the *variety* rule."""

    name: str
    sector: str = ""
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a name and a number of seats (capacities need not be equal)."""

    name: str
    capacity: int


@dataclass(frozen=True, slots=True)
class MeetAgain:
    """People who should share a table at least once every ``every`` meetings.

    Two names make a pair; more make a circle, whose every pair carries the target.
    """

    people: tuple[str, ...]
    every: int


@dataclass(frozen=True, slots=True)
class Affinity:
    """Two people whose relationship data says they matter to each other.

    ``weight`` (0..1) says how much: one's ask matches the other's offer, sector or network, or an
    introduction or referral is open between them, or one asked to meet the other. ``reasons``
    are codes with parameters (``("ask_offer", "pharma R&D")``) that the interface translates; the
    engine only reads the weight. The dial (``SeatingRules.policy``) decides how strongly the
    engine seats such pairs together.
    """

    a: str
    b: str
    weight: float
    reasons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PastMeeting:
    """One meeting that already happened: the names at each table (table names do not matter)."""

    tables: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class SeatingRules:
    """The organiser's rules.

    Attributes
    ----------
    never_together : pairs who must never share a table (hard).
    fixed : person -> table name, e.g. hosts (hard).
    meet_again : pairs or circles who should meet again (soft).
    policy : the dial, 0..1 (docs/seating.md): 0 = meet as many new people as possible;
        1 = sit again, spaced out, with the people on the road to five (met one to four times)
        and the affinity pairs; in between, a smooth blend. At every setting nobody sits with
        the same table-mates two meetings in a row or a fifth time in twelve meetings (outside
        meet-again rules).
    variety : weight of the "no table dominated by one sector or organisation" rule (soft).
    keep : person -> table of a plan being revised (after a cancellation, say): moving one of
        them costs more than any soft gain of the move, so as few as possible change tables
        (soft, below the hard rules and the even spread over tables).
    affinity : pairs whose relationship data says they matter to each other (soft; weighed by
        the dial).
    objective : how repeats are weighed: ``"fewest_repeats"`` (the total of repeated pairs) or
        ``"smallest_maximum"`` (nobody meeting too often: the most-met pairs are avoided first).
    """

    never_together: tuple[tuple[str, str], ...] = ()
    fixed: tuple[tuple[str, str], ...] = ()
    meet_again: tuple[MeetAgain, ...] = ()
    policy: float = 0.0
    variety: float = 1.0
    keep: tuple[tuple[str, str], ...] = ()
    affinity: tuple[Affinity, ...] = ()
    objective: str = "fewest_repeats"


@dataclass(frozen=True, slots=True)
class SeatingProblem:
    """Everything needed to plan one meeting or a season of meetings.

    Attributes
    ----------
    people : everyone who may appear (attendees, history, rules).
    tables : the tables available at every meeting.
    meetings : for each meeting to plan, the names of the people present.
    history : past meetings, oldest first.
    rules : the organiser's rules.
    """

    people: tuple[Attendee, ...]
    tables: tuple[Table, ...]
    meetings: tuple[tuple[str, ...], ...]
    history: tuple[PastMeeting, ...] = ()
    rules: SeatingRules = field(default_factory=SeatingRules)


@dataclass(frozen=True, slots=True)
class MeetingPlan:
    """One planned meeting: table name -> names seated there (empty tables included)."""

    tables: tuple[tuple[str, tuple[str, ...]], ...]

    def table_of(self, name: str) -> str | None:
        """The table ``name`` sits at, or None if absent."""
        for table, names in self.tables:
            if name in names:
                return table
        return None


@dataclass(frozen=True, slots=True)
class TableVariety:
    """How mixed one table is at one meeting: the largest share of one sector / organisation."""

    meeting: int
    table: str
    seated: int
    top_sector: str
    top_sector_count: int
    top_organisation: str
    top_organisation_count: int


@dataclass(frozen=True, slots=True)
class SeatingReport:
    """What the organiser needs to judge a plan.

    Attributes
    ----------
    hard_violations : broken hard rules (empty for every plan the engine returns).
    repeated_pairs : sum over pairs of (times together in the plan - 1), for pairs together
        at least twice within the planned meetings.
    repeated_pairs_with_history : the same, counting past meetings too.
    pair_spread : {times together: number of pairs} within the plan (pairs that met at least once).
    max_pair_meetings : the most often any pair shares a table in the plan.
    lower_bound : a proven lower bound on ``repeated_pairs`` where one is known, else None.
    max_pair_meetings_needed : the smallest possible ``max_pair_meetings`` where known, else None.
    meet_again_met, meet_again_total : meet-again checks kept and made (one check per pair
        and planned meeting where both are present and the target is due).
    variety : per table and meeting, the most represented sector and organisation.
    """

    hard_violations: tuple[str, ...]
    repeated_pairs: int
    repeated_pairs_with_history: int
    pair_spread: tuple[tuple[int, int], ...]
    max_pair_meetings: int
    lower_bound: int | None
    max_pair_meetings_needed: int | None
    meet_again_met: int
    meet_again_total: int
    variety: tuple[TableVariety, ...]


@dataclass(frozen=True, slots=True)
class SeasonFigures:
    """What the dial does to a season, counted over the planned meetings (history counts as
    "met before" but not as part of the season).

    Attributes
    ----------
    distinct_met : mean over members of the distinct people they shared a table with.
    new_shortfalls : (member, meeting) cases where someone met fewer than two people they had
        never sat with although at least two such people were present whom they could sit with
        (not kept apart by a never-together rule, not fixed at another table than theirs), at
        tables with room for two table-mates.
    in_a_row : pairs outside meet-again rules at one table at two consecutive meetings.
    max_together : the most meetings any pair outside meet-again rules shared a table.
    road_share : the share of table-mate pairs (per meeting) on the road to five: pairs that
        had shared a table one to four times before that meeting.
    affinity_met : affinity pairs seated together at least once, and ``affinity_total`` the
        affinity pairs that attended at least one meeting together.
    """

    distinct_met: float
    new_shortfalls: int
    in_a_row: int
    max_together: int
    road_share: float
    affinity_met: int
    affinity_total: int


@dataclass(frozen=True, slots=True)
class SeatingPlan:
    """A plan per meeting plus the report."""

    meetings: tuple[MeetingPlan, ...]
    report: SeatingReport


@dataclass(frozen=True, slots=True)
class GolferSeason:
    """A pure social-golfer season: ``rounds[w][g]`` is the sorted tuple of players at group g.

    ``method`` says how it was found (a construction or the search); ``repeats`` is the sum over
    pairs of (times together - 1).
    """

    groups: int
    size: int
    weeks: int
    rounds: tuple[tuple[tuple[int, ...], ...], ...]
    repeats: int
    method: str
