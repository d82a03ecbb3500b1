"""A realistic club season for the dial: members, hosts, competitors, circles, affinity.

Used by ``run.py``; kept apart so the dial can be measured alone::

    .venv/bin/python benchmarks/seating/season.py [--members 120] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, overload

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from kring.core.seating import (  # noqa: E402
    Affinity,
    Attendee,
    MeetAgain,
    MeetingPlan,
    PastMeeting,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
    season_figures,
    seating_report,
)

DIAL = (0.0, 0.25, 0.5, 0.75, 1.0)
SECTORS = ["law", "finance", "it", "build", "food", "health", "retail", "energy", "media"]


def club_season(
    seed: int = 1, *, members: int = 120, tables: int = 14, meetings: int = 12
) -> SeatingProblem:
    """``members`` members (80% attendance), ``tables`` tables of 8, one host per table but two,
    one competitor pair per six members, one meet-again circle of 4 (every 3 meetings) per
    twelve members and one affinity pair per two members (weights 0.3..1)."""
    rng = random.Random(seed)
    people = [
        Attendee(f"m{i:03d}", rng.choice(SECTORS), f"org{rng.randrange(members * 7 // 12):02d}")
        for i in range(members)
    ]
    names = [p.name for p in people]
    table_list = tuple(Table(f"T{t + 1:02d}", 8) for t in range(tables))
    hosts = tuple((names[t], table_list[t].name) for t in range(max(0, tables - 2)))
    host_names = dict(hosts)
    never: set[tuple[str, str]] = set()
    while len(never) < members // 6:
        a, b = sorted(rng.sample(names, 2))
        if not (a in host_names and b in host_names):
            never.add((a, b))
    circles: list[MeetAgain] = []
    while len(circles) < members // 12:
        circle = tuple(rng.sample(names[len(hosts) :], 4))
        # Competitors in one circle would be a contradiction the engine refuses.
        if not any((a, b) in never for a in circle for b in circle):
            circles.append(MeetAgain(circle, 3))
    affinity: dict[frozenset[str], Affinity] = {}
    while len(affinity) < members // 2:
        a, b = sorted(rng.sample(names, 2))
        if (a, b) not in never:
            weight = round(rng.uniform(0.3, 1.0), 2)
            affinity[frozenset((a, b))] = Affinity(a, b, weight, (("ask_offer", "test"),))
    planned = tuple(tuple(n for n in names if rng.random() < 0.8) for _ in range(meetings))
    return SeatingProblem(
        people=tuple(people),
        tables=table_list,
        meetings=planned,
        rules=SeatingRules(
            never_together=tuple(sorted(never)),
            fixed=hosts,
            meet_again=tuple(circles),
            affinity=tuple(affinity.values()),
        ),
    )


def warm_up() -> None:
    """Plan a tiny meeting once, so the search's compiled kernel is loaded (from numba's cache,
    or compiled on a first run after installing) before any meeting is timed."""
    people = tuple(Attendee(x) for x in ("a", "b", "c", "d"))
    plan_seating(SeatingProblem(people, (Table("T1", 2), Table("T2", 2)), (tuple("abcd"),)), seed=0)


def plan_meeting_by_meeting(
    problem: SeatingProblem, *, seed: int, policy: float, objective: str = "fewest_repeats"
) -> tuple[list[MeetingPlan], list[float], list[float]]:
    """Plan as an organiser would: each meeting alone, the ones before it as history. Returns
    the plans and each meeting's wall and processor seconds (wall time grows with the load of
    a shared machine, processor time much less)."""
    rules = replace(problem.rules, policy=policy, objective=objective)
    past: list[PastMeeting] = list(problem.history)
    plans: list[MeetingPlan] = []
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    for m, present in enumerate(problem.meetings):
        single = replace(problem, meetings=(present,), history=tuple(past), rules=rules)
        clock, cpu = time.perf_counter(), time.process_time()
        plan = plan_seating(single, seed=seed + m)
        seconds.append(time.perf_counter() - clock)
        cpu_seconds.append(time.process_time() - cpu)
        assert not plan.report.hard_violations
        plans.append(plan.meetings[0])
        past.append(PastMeeting(tuple(names for _, names in plan.meetings[0].tables)))
    return plans, seconds, cpu_seconds


@overload
def measure_dial(
    problem: SeatingProblem, *, seed: int, policy: float, with_plans: Literal[False] = ...
) -> dict[str, Any]: ...


@overload
def measure_dial(
    problem: SeatingProblem, *, seed: int, policy: float, with_plans: Literal[True]
) -> tuple[dict[str, Any], list[MeetingPlan]]: ...


def measure_dial(
    problem: SeatingProblem, *, seed: int, policy: float, with_plans: bool = False
) -> dict[str, Any] | tuple[dict[str, Any], list[MeetingPlan]]:
    """The dial's figures (docs/seating.md) for one setting and seed (and, ``with_plans``,
    the plans themselves)."""
    plans, seconds, cpu_seconds = plan_meeting_by_meeting(problem, seed=seed, policy=policy)
    rules = replace(problem.rules, policy=policy)
    report = seating_report(replace(problem, rules=rules), plans)
    figures = season_figures(replace(problem, rules=rules), plans)
    row = {
        "policy": policy,
        "seed": seed,
        "distinct_met": figures.distinct_met,
        "new_shortfalls": figures.new_shortfalls,
        "in_a_row": figures.in_a_row,
        "max_together": figures.max_together,
        "road_share": figures.road_share,
        "affinity_met": f"{figures.affinity_met}/{figures.affinity_total}",
        "repeated_pairs": report.repeated_pairs,
        "max_pair_meetings": report.max_pair_meetings,
        "meet_again": f"{report.meet_again_met}/{report.meet_again_total}",
        "hard_violations": len(report.hard_violations),
        "max_seconds_per_meeting": round(max(seconds), 3),
        "max_cpu_seconds_per_meeting": round(max(cpu_seconds), 3),
    }
    return (row, plans) if with_plans else row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=120)
    parser.add_argument("--tables", type=int, default=14)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    problem = club_season(args.seed, members=args.members, tables=args.tables)
    warm_up()
    for policy in DIAL:
        print(measure_dial(problem, seed=args.seed, policy=policy), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
