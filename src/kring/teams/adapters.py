"""Teams ↔ the seating engine: team sizes, one plan of rounds by the policy's order, and
what each round achieved."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from kring.core.seating import (
    Attendee,
    InfeasibleSeating,
    SeatingInputError,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
    table_sizes,
)
from kring.teams.models import Rotation

# How much the engine weighs two colleagues of one department in a team, against working
# again with someone from an earlier round (weight 1), per policy.
_VARIETY = {
    Rotation.Policy.MIX: 0.5,
    Rotation.Policy.DEPARTMENTS: 2.0,
    Rotation.Policy.NEW: 0.2,
}


# The search can settle on a plan with a one-department team; a few seeds and the best plan by
# the policy's order fix that. Planning all rounds in one search avoids more repeats than
# planning them one by one but costs more time. Both by member-rounds (members x rounds),
# measured at about a second per search up to 300.
_TRIES = ((120, 4), (300, 2))


_JOINT_UP_TO = 300


def team_sizes(members: int, size: int) -> list[int]:
    """Team sizes for ``members`` people in teams of about ``size``: as many teams as keep
    every team closest to the size asked (fewer, larger teams on a tie, so that no team of
    two is left with one member).

    >>> team_sizes(10, 4), team_sizes(5, 2), team_sizes(11, 6)
    ([5, 5], [3, 2], [6, 5])
    """
    options = []
    for count in {max(1, members // size), -(-members // size)}:
        capacity = -(-members // count)
        sizes = table_sizes([capacity] * count, members)
        options.append((max(abs(s - size) for s in sizes), count, sizes))
    return min(options)[2]


def member_key(user_id: int) -> str:
    return f"u{user_id}"


Teams = list[tuple[str, ...]]


@dataclass(frozen=True)
class RoundStats:
    min_departments: int  # the fewest departments in a team (no department not counted)
    single_department_teams: int  # teams of 2+ people with a department, all the same one
    departments: int  # summed over teams
    repeated_pairs: int  # pairs together in this round and in an earlier one


def round_stats(meetings: Sequence[Teams], department_of: Mapping[str, str]) -> list[RoundStats]:
    stats = []
    before: set[tuple[str, str]] = set()
    for teams in meetings:
        pairs = {p for names in teams for p in itertools.combinations(sorted(names), 2)}
        counts = []
        single = 0
        for names in teams:
            known = [department_of[n] for n in names if department_of.get(n)]
            counts.append(len(set(known)))
            single += len(known) >= 2 and len(set(known)) == 1
        stats.append(RoundStats(min(counts), single, sum(counts), len(pairs & before)))
        before |= pairs
    return stats


def plan_rounds(
    people: list[str],
    department_of: Mapping[str, str],
    sizes: list[int],
    *,
    rounds: int,
    policy: Rotation.Policy,
    seed: int,
) -> list[Teams]:
    """The best of a few searches, by the policy's order of what matters."""
    problem = SeatingProblem(
        # The engine's variety rule weighs a shared organisation most: a department is one.
        people=tuple(Attendee(n, organisation=department_of.get(n, "")) for n in people),
        tables=tuple(Table(str(t), size) for t, size in enumerate(sizes)),
        meetings=(tuple(people),) * rounds,
        rules=SeatingRules(policy=0.0, variety=_VARIETY[policy]),
    )
    size = len(people) * rounds
    tries = next((n for limit, n in _TRIES if size <= limit), 1)
    best: tuple[tuple[int, ...], list[Teams]] | None = None
    for attempt in range(tries):
        try:
            plan = plan_seating(problem, seed=seed + attempt, joint=size <= _JOINT_UP_TO)
        except (InfeasibleSeating, SeatingInputError) as exc:
            raise ValidationError({"team_size": str(exc)}) from None
        meetings = [[names for _, names in m.tables if names] for m in plan.meetings]
        stats = round_stats(meetings, department_of)
        single = sum(s.single_department_teams for s in stats)
        repeats = sum(s.repeated_pairs for s in stats)
        mixed = -sum(s.departments for s in stats)
        key = {
            Rotation.Policy.MIX: (single, repeats, mixed),
            Rotation.Policy.DEPARTMENTS: (single, mixed, repeats),
            Rotation.Policy.NEW: (repeats, single, mixed),
        }[policy]
        if best is None or key < best[0]:
            best = (key, meetings)
    assert best is not None
    return best[1]
