"""Seating benchmark: Kring against a CP-SAT peer on the social golfer instances, plus a club.

Usage::

    .venv/bin/python benchmarks/seating/run.py [--time-limit 10] [--only 8-4-10] [--json out.json]
        [--no-cpsat] [--no-club]

For every instance g-s-w (w the best known number of meetings with no repeated pair) both
solvers get the same time limit and we print: the most meetings with no repeated pair each
reached (the largest set of weeks of its schedule in which no pair meets twice), the repeated
pairs at the best known w (and the counting lower bound), how often the most-met pair meets
(and the table bound ``cap`` for a season at the lower bound), and the time taken. Then a
realistic club season is planned meeting by meeting.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kring.core.seating import (  # noqa: E402
    Attendee,
    MeetAgain,
    SeatingProblem,
    SeatingRules,
    Table,
    count_repeats,
    golfer_lower_bound,
    plan_seating,
    social_golfer_season,
)
from kring.core.seating.golfer import max_meetings  # noqa: E402
from kring.core.seating.spread import meeting_cap  # noqa: E402

PURE = [
    "4-4-5", "5-3-7", "6-3-8", "7-3-10", "8-3-11", "9-3-13", "10-3-14", "6-4-7", "7-4-9",
    "8-4-10", "9-4-11", "10-4-13", "5-5-6", "6-5-6", "6-6-3", "7-7-8", "8-8-9", "10-10-4",
]  # fmt: skip
CLUB_SIZED = ["5-8-10", "8-6-10"]


def max_repeat_free_weeks(rounds: list[list[list[int]]] | tuple[Any, ...]) -> int:
    """The largest set of weeks in which no pair meets twice (exact; w is at most ~14)."""
    pairs = [
        {p for group in week for p in itertools.combinations(sorted(group), 2)} for week in rounds
    ]
    inner_ok = [
        len(p) == sum(len(g) * (len(g) - 1) // 2 for g in w)
        for p, w in zip(pairs, rounds, strict=True)
    ]
    w = len(rounds)
    clash = [[bool(pairs[a] & pairs[b]) for b in range(w)] for a in range(w)]
    best = 0

    def grow(chosen: list[int], start: int) -> None:
        nonlocal best
        best = max(best, len(chosen))
        for b in range(start, w):
            if len(chosen) + (w - b) <= best:
                return
            if inner_ok[b] and not any(clash[a][b] for a in chosen):
                grow([*chosen, b], b + 1)

    grow([], 0)
    return best


def run_kring(g: int, s: int, w: int, limit: float, seed: int) -> dict[str, Any]:
    clock = time.perf_counter()
    season = social_golfer_season(g, s, w, seed=seed, time_limit=limit)
    seconds = time.perf_counter() - clock
    return {
        "weeks_reached": max_repeat_free_weeks(season.rounds),
        "repeats": season.repeats,
        "max_meetings": max_meetings(season.rounds),
        "seconds": round(seconds, 2),
        "method": season.method,
    }


def run_cpsat(g: int, s: int, w: int, limit: float, seed: int) -> dict[str, Any]:
    import cpsat

    rounds, seconds = cpsat.solve(g, s, w, time_limit=limit, seed=seed)
    if rounds is None:
        return {
            "weeks_reached": 0,
            "repeats": None,
            "max_meetings": None,
            "seconds": round(seconds, 2),
        }
    return {
        "weeks_reached": max_repeat_free_weeks(rounds),
        "repeats": count_repeats(rounds),
        "max_meetings": max_meetings(rounds),
        "seconds": round(seconds, 2),
    }


def club_season(seed: int = 1) -> SeatingProblem:
    """120 members, 80% attendance, 12 meetings, 14 tables of 8, 12 hosts, 20 competitor
    pairs, 10 meet-again circles of 4 (every 3 meetings)."""
    rng = random.Random(seed)
    sectors = ["law", "finance", "it", "build", "food", "health", "retail", "energy", "media"]
    people = [
        Attendee(f"m{i:03d}", rng.choice(sectors), f"org{rng.randrange(70):02d}")
        for i in range(120)
    ]
    names = [p.name for p in people]
    tables = tuple(Table(f"T{t + 1:02d}", 8) for t in range(14))
    hosts = tuple((names[t], tables[t].name) for t in range(12))
    never: set[tuple[str, str]] = set()
    while len(never) < 20:
        a, b = sorted(rng.sample(names, 2))
        if not (a in dict(hosts) and b in dict(hosts)):
            never.add((a, b))
    circles = tuple(MeetAgain(tuple(rng.sample(names[12:], 4)), 3) for _ in range(10))
    meetings = tuple(tuple(n for n in names if rng.random() < 0.8) for _ in range(12))
    return SeatingProblem(
        people=tuple(people),
        tables=tables,
        meetings=meetings,
        rules=SeatingRules(
            never_together=tuple(sorted(never)), fixed=hosts, meet_again=circles, policy=0.0
        ),
    )


def run_club(seed: int) -> dict[str, Any]:
    problem = club_season(seed)
    times = []
    history_problem = problem
    plans = []
    # Plan meeting by meeting, as an organiser would: each meeting sees the previous ones.
    from dataclasses import replace

    from kring.core.seating import PastMeeting

    past: list[PastMeeting] = []
    for m, present in enumerate(problem.meetings):
        single = replace(history_problem, meetings=(present,), history=tuple(past))
        clock = time.perf_counter()
        plan = plan_seating(single, seed=seed + m)
        times.append(time.perf_counter() - clock)
        assert not plan.report.hard_violations
        meeting = plan.meetings[0]
        plans.append(meeting)
        past.append(PastMeeting(tuple(names for _, names in meeting.tables)))
    from kring.core.seating import seating_report

    report = seating_report(problem, plans)
    return {
        "members": len(problem.people),
        "meetings": len(problem.meetings),
        "attendees": [len(m) for m in problem.meetings],
        "hard_violations": len(report.hard_violations),
        "repeated_pairs": report.repeated_pairs,
        "pair_spread": dict(report.pair_spread),
        "meet_again_met": report.meet_again_met,
        "meet_again_total": report.meet_again_total,
        "max_seconds_per_meeting": round(max(times), 3),
        "mean_seconds_per_meeting": round(sum(times) / len(times), 3),
        "max_same_organisation_at_a_table": max(v.top_organisation_count for v in report.variety),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--only", action="append", help="an instance g-s-w (repeatable)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/seating.json")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-cpsat", action="store_true")
    parser.add_argument("--no-club", action="store_true")
    args = parser.parse_args(argv)
    instances = args.only or PURE + CLUB_SIZED
    console = Console(width=150)
    table = RichTable(title=f"social golfer instances, {args.time_limit:g} s each")
    for col in (
        "g-s-w", "LB", "cap", "Kring w", "Kring rep", "Kring max", "Kring s", "method",
        "CP-SAT w", "CP-SAT rep", "CP-SAT max", "CP-SAT s",
    ):  # fmt: skip
        table.add_column(col, justify="right" if col not in ("g-s-w", "method") else "left")
    results = []
    for spec in instances:
        g, s, w = (int(x) for x in spec.split("-"))
        row: dict[str, Any] = {
            "instance": spec,
            "best_known_w": w if spec in PURE else None,
            "lower_bound_repeats": golfer_lower_bound(g, s, w),
            "meeting_cap": meeting_cap(g, s, w),
            "kring": run_kring(g, s, w, args.time_limit, args.seed),
        }
        if not args.no_cpsat:
            row["cpsat"] = run_cpsat(g, s, w, args.time_limit, args.seed)
        results.append(row)
        k, c = row["kring"], row.get("cpsat", {})
        table.add_row(
            spec,
            str(row["lower_bound_repeats"]),
            str(row["meeting_cap"]),
            f"{k['weeks_reached']}/{w}",
            str(k["repeats"]),
            str(k["max_meetings"]),
            f"{k['seconds']:.2f}",
            k["method"],
            f"{c['weeks_reached']}/{w}" if c else "-",
            str(c.get("repeats", "-")),
            str(c.get("max_meetings", "-")),
            f"{c['seconds']:.2f}" if c else "-",
        )
        console.print(f"{spec}: kring {k}  cpsat {c or '-'}")
    console.print(table)
    pure = [r for r in results if r["instance"] in PURE]
    solved = sum(1 for r in pure if r["kring"]["repeats"] == 0 and r["kring"]["seconds"] <= 10.5)
    summary: dict[str, Any] = {"pure_solved_within_10s": f"{solved}/{len(pure)}"}
    if not args.no_cpsat:
        summary["cpsat_pure_solved"] = sum(1 for r in pure if r["cpsat"]["repeats"] == 0)
        summary["kring_never_worse_than_cpsat"] = all(
            r["kring"]["weeks_reached"] >= r["cpsat"]["weeks_reached"]
            and (r["cpsat"]["repeats"] is None or r["kring"]["repeats"] <= r["cpsat"]["repeats"])
            for r in results
        )
    console.print(summary)
    club = None
    if not args.no_club:
        club = run_club(args.seed + 1)
        console.print("club season (meeting by meeting):", club)
    data = {
        "time_limit": args.time_limit,
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "instances": results,
        "summary": summary,
        "club_season": club,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
