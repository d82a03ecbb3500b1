"""Seating benchmark: Kring against a CP-SAT peer on the social golfer instances, plus the dial.

Usage::

    .venv/bin/python benchmarks/seating/run.py [--time-limit 10] [--only 8-4-10] [--json out.json]
        [--seeds 0,1,2] [--no-cpsat] [--no-club]
    .venv/bin/python benchmarks/seating/run.py --only season [--seeds 0]   # the dial alone

For every instance g-s-w (w the best known number of meetings with no repeated pair; plus the
club-sized 5-8-10, 8-6-10 and 15-8-12) Kring runs with each seed, and once more with the first
seed to check that the same seed gives the same season; CP-SAT (the plain feasibility model on
the pure instances, the repeat-minimising one on the club-sized ones; not on 15-8-12, whose
model alone takes minutes to build) runs once with the same time limit. We print the most
meetings with no repeated pair reached, the repeated pairs at w (and the counting lower bound),
how often the most-met pair meets (and the table bound ``cap``), the time taken and, where the
safety stop ended a search, by how much it overshot the limit. Then a 120-member club season
(``season.py``) is planned meeting by meeting at five dial settings with each seed, and once
more with the first seed to check that it gives the same plan again.

``--only season`` runs the club season alone; it prints its table and writes no JSON unless
``--json`` is given (the results file holds the whole benchmark).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from season import DIAL, club_season, measure_dial, warm_up  # noqa: E402

from kring.core.seating import (  # noqa: E402
    count_repeats,
    golfer_lower_bound,
    social_golfer_season,
)
from kring.core.seating.golfer import max_meetings  # noqa: E402
from kring.core.seating.spread import meeting_cap  # noqa: E402

PURE = [
    "4-4-5", "5-3-7", "6-3-8", "7-3-10", "8-3-11", "9-3-13", "10-3-14", "6-4-7", "7-4-9",
    "8-4-10", "9-4-11", "10-4-13", "5-5-6", "6-5-6", "6-6-3", "7-7-8", "8-8-9", "10-10-4",
]  # fmt: skip
CLUB_SIZED = ["5-8-10", "8-6-10", "15-8-12"]


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
        "seed": seed,
        "weeks_reached": max_repeat_free_weeks(season.rounds),
        "repeats": season.repeats,
        "max_meetings": max_meetings(season.rounds),
        "seconds": round(seconds, 2),
        "method": season.method,
        "stopped_by_time_limit": season.method.endswith("(stopped by the time limit)"),
        "rounds": season.rounds,
    }


def run_cpsat(g: int, s: int, w: int, limit: float, seed: int, pure: bool) -> dict[str, Any]:
    import cpsat

    solve = cpsat.solve_feasible if pure else cpsat.solve
    rounds, seconds = solve(g, s, w, time_limit=limit, seed=seed)
    if rounds is None:
        return {"weeks_reached": 0, "repeats": None, "max_meetings": None,
                "seconds": round(seconds, 2)}  # fmt: skip
    return {
        "weeks_reached": max_repeat_free_weeks(rounds),
        "repeats": count_repeats(rounds),
        "max_meetings": max_meetings(rounds),
        "seconds": round(seconds, 2),
    }


def run_dial(seeds: list[int]) -> list[dict[str, Any]]:
    """Each dial setting with each seed; the first seed twice, to compare the two plans."""
    warm_up()
    rows = []
    for policy in DIAL:
        for seed in seeds:
            problem = club_season(seed + 1)
            row, plans = measure_dial(problem, seed=seed + 1, policy=policy, with_plans=True)
            if seed == seeds[0]:
                _, again = measure_dial(problem, seed=seed + 1, policy=policy, with_plans=True)
                row["same_plan_for_the_same_seed"] = again == plans
            rows.append(row)
            print(rows[-1], flush=True)
    return rows


def dial_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for policy in DIAL:
        mine = [r for r in rows if r["policy"] == policy]
        k = len(mine)
        out.append(
            {
                "policy": policy,
                "distinct_met": round(sum(r["distinct_met"] for r in mine) / k, 1),
                "road_share": round(sum(r["road_share"] for r in mine) / k, 3),
                "new_shortfalls": sum(r["new_shortfalls"] for r in mine) / k,
                "in_a_row": max(r["in_a_row"] for r in mine),
                "max_together": max(r["max_together"] for r in mine),
                "repeated_pairs": round(sum(r["repeated_pairs"] for r in mine) / k),
                "max_pair_meetings": max(r["max_pair_meetings"] for r in mine),
                "max_seconds_per_meeting": max(r["max_seconds_per_meeting"] for r in mine),
                "max_cpu_seconds_per_meeting": max(
                    r.get("max_cpu_seconds_per_meeting", 0.0) for r in mine
                ),
                "same_plan_for_the_same_seed": all(
                    r.get("same_plan_for_the_same_seed", True) for r in mine
                ),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument(
        "--only", action="append", help="an instance g-s-w (repeatable), or 'season' alone"
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds")
    parser.add_argument("--no-cpsat", action="store_true")
    parser.add_argument("--no-club", action="store_true")
    args = parser.parse_args(argv)
    seeds = [int(x) for x in args.seeds.split(",")]
    console = Console(width=170)
    if args.only == ["season"]:
        return season_only(seeds, args.json, console)
    instances = args.only or PURE + CLUB_SIZED
    if "season" in instances:
        parser.error("--only season runs alone; without --only the season runs after the rest")
    if args.json is None:
        args.json = ROOT / "benchmarks/results/seating.json"
    started = time.perf_counter()
    table = RichTable(title=f"social golfer instances, {args.time_limit:g} s each, seeds {seeds}")
    for col in (
        "g-s-w", "LB", "cap", "Kring w", "Kring rep", "Kring max", "Kring s (max)", "same",
        "method (first seed)", "CP-SAT w", "CP-SAT rep", "CP-SAT max", "CP-SAT s",
    ):  # fmt: skip
        table.add_column(col, justify="left" if col.startswith(("g-s-w", "method")) else "right")
    results = []
    overshoot = 0.0
    for spec in instances:
        g, s, w = (int(x) for x in spec.split("-"))
        runs = [run_kring(g, s, w, args.time_limit, seed) for seed in seeds]
        again = run_kring(g, s, w, args.time_limit, seeds[0])
        same = again["rounds"] == runs[0]["rounds"]
        for run in [*runs, again]:
            if run["stopped_by_time_limit"]:
                overshoot = max(overshoot, run["seconds"] / args.time_limit - 1)
        row: dict[str, Any] = {
            "instance": spec,
            "best_known_w": w if spec in PURE else None,
            "lower_bound_repeats": golfer_lower_bound(g, s, w),
            "meeting_cap": meeting_cap(g, s, w),
            "kring": [{k: v for k, v in r.items() if k != "rounds"} for r in runs],
            "same_season_for_the_same_seed": same,
        }
        if not args.no_cpsat and spec != "15-8-12":
            row["cpsat"] = run_cpsat(g, s, w, args.time_limit, seeds[0], spec in PURE)
        results.append(row)
        c = row.get("cpsat", {})
        reps = [r["repeats"] for r in runs]
        table.add_row(
            spec,
            str(row["lower_bound_repeats"]),
            str(row["meeting_cap"]),
            "/".join(str(r["weeks_reached"]) for r in runs) + f" of {w}",
            "/".join(str(x) for x in reps),
            "/".join(str(r["max_meetings"]) for r in runs),
            f"{max(r['seconds'] for r in runs):.2f}",
            "yes" if same else "NO",
            runs[0]["method"],
            f"{c['weeks_reached']}/{w}" if c else "-",
            str(c.get("repeats", "-")),
            str(c.get("max_meetings", "-")),
            f"{c['seconds']:.2f}" if c else "-",
        )
        console.print(f"{spec}: kring {reps} in {[r['seconds'] for r in runs]} s, cpsat {c or '-'}")
    console.print(table)
    pure = [r for r in results if r["instance"] in PURE]
    solved = sum(
        1
        for r in pure
        if all(k["repeats"] == 0 and k["seconds"] <= args.time_limit for k in r["kring"])
    )
    summary: dict[str, Any] = {
        "pure_solved_for_every_seed_within_the_limit": f"{solved}/{len(pure)}",
        "same_season_for_the_same_seed": all(r["same_season_for_the_same_seed"] for r in results),
        "largest_overshoot_of_the_time_limit": f"{overshoot:.1%}",
    }
    if not args.no_cpsat:
        summary["cpsat_pure_solved"] = sum(1 for r in pure if r["cpsat"]["repeats"] == 0)
    console.print(summary)
    dial = None
    if not args.no_club:
        dial = run_season(seeds, console)
        summary["same_season_for_the_same_seed"] = summary["same_season_for_the_same_seed"] and all(
            d["same_plan_for_the_same_seed"] for d in dial["summary"]
        )
    data = {
        "time_limit": args.time_limit,
        "seeds": seeds,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "instances": results,
        "summary": summary,
        "dial": dial,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {args.json} in {data['total_seconds']} s")
    return 0


def run_season(seeds: list[int], console: Console) -> dict[str, Any]:
    rows = run_dial(seeds)
    dial = {"runs": rows, "summary": dial_summary(rows)}
    runs = RichTable(title="the dial, season by season")
    for col in (
        "dial", "seed", "distinct met", "fewer than 2 new", "in a row", "max together",
        "road share", "affinity", "repeats", "max", "s/meeting (max)", "cpu s (max)", "same",
    ):  # fmt: skip
        runs.add_column(col, justify="right")
    for r in rows:
        runs.add_row(
            f"{r['policy']:g}",
            str(r["seed"]),
            f"{r['distinct_met']:.2f}",
            str(r["new_shortfalls"]),
            str(r["in_a_row"]),
            str(r["max_together"]),
            f"{r['road_share']:.1%}",
            r["affinity_met"],
            str(r["repeated_pairs"]),
            str(r["max_pair_meetings"]),
            f"{r['max_seconds_per_meeting']:.2f}",
            f"{r['max_cpu_seconds_per_meeting']:.2f}",
            {True: "yes", False: "NO"}.get(r.get("same_plan_for_the_same_seed"), "-"),
        )
    console.print(runs)
    table = RichTable(title="the dial: 120 members, 14 tables of 8, 12 meetings")
    for col in (
        "dial", "distinct met", "road share", "fewer than 2 new", "in a row",
        "max together", "repeats", "max", "s/meeting (max)", "cpu s (max)", "same",
    ):  # fmt: skip
        table.add_column(col, justify="right")
    for d in dial["summary"]:
        table.add_row(
            f"{d['policy']:g}",
            f"{d['distinct_met']:.1f}",
            f"{d['road_share']:.1%}",
            f"{d['new_shortfalls']:.1f}",
            str(d["in_a_row"]),
            str(d["max_together"]),
            str(d["repeated_pairs"]),
            str(d["max_pair_meetings"]),
            f"{d['max_seconds_per_meeting']:.2f}",
            f"{d['max_cpu_seconds_per_meeting']:.2f}",
            "yes" if d["same_plan_for_the_same_seed"] else "NO",
        )
    console.print(table)
    return dial


def season_only(seeds: list[int], out: Path | None, console: Console) -> int:
    """The club season alone (``--only season``): JSON only where ``--json`` says."""
    started = time.perf_counter()
    dial = run_season(seeds, console)
    if out is not None:
        data = {
            "seeds": seeds,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "dial": dial,
            "total_seconds": round(time.perf_counter() - started, 1),
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
