"""`kring seat`: table plans from CSV or JSON files, and `kring seat season G S W`.

Compute only: no database, no Django. Output files are written only after the plan is
complete, each through a temporary file renamed into place, so bad input writes nothing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from kring.cli.errors import CliError
from kring.lib.csv import csv_text


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "seat",
        help="plan tables for club meetings (or a pure social-golfer season)",
        description=(
            "Plan who sits at which table, from CSV files (--people, --tables, --history, "
            "--rules) or one JSON file (--problem). `kring seat season G S W` schedules G "
            "tables of S seats over W meetings with as few repeated pairs as possible."
        ),
    )
    parser.add_argument("what", nargs="*", metavar="season G S W", help="a pure season")
    parser.add_argument("--problem", type=Path, help="a JSON problem file")
    parser.add_argument("--people", type=Path, help="people CSV: name,sector,organisation,...")
    parser.add_argument("--tables", type=Path, help="tables CSV: name,capacity[,host]")
    parser.add_argument("--history", type=Path, help="history CSV: meeting,table,name")
    parser.add_argument("--rules", type=Path, help="rules CSV: rule,people,value")
    parser.add_argument("--meetings", type=int, help="meetings to plan (default: from people)")
    parser.add_argument(
        "--next",
        action="store_true",
        dest="next_meeting",
        help="plan the next meeting after the history: everyone in --people comes (or those "
        "in --comes); people named only in the history do not",
    )
    parser.add_argument(
        "--comes", type=Path, help="who comes to the next meeting: a CSV with a name column"
    )
    parser.add_argument(
        "--policy", type=float, help="0 = meet new people ... 1 = deepen known ties"
    )
    parser.add_argument("--joint", action="store_true", help="plan all meetings in one search")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same plan (default 0)")
    parser.add_argument("--iterations", type=int, help="search budget (swaps)")
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="safety stop in seconds (default 10)"
    )
    parser.add_argument("--csv", type=Path, dest="csv_out", help="write the plan as CSV")
    parser.add_argument("--json", type=Path, dest="json_out", help="write the plan as JSON")
    parser.add_argument("--quiet", action="store_true", help="do not print the table plan")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from kring.core import seating

    if args.what:
        return _season(args)
    if args.problem is None and (args.people is None or args.tables is None):
        raise CliError("give --problem FILE.json, or --people and --tables CSV files")
    if args.problem is not None and (
        args.people or args.tables or args.history or args.rules or args.comes
    ):
        raise CliError("give either --problem or the CSV files, not both")
    if (args.next_meeting or args.comes) and args.meetings is not None:
        raise CliError("--next and --comes plan one meeting; leave out --meetings")
    if args.time_limit is not None and args.time_limit <= 0:
        raise CliError("--time-limit must be positive")
    if args.iterations is not None and args.iterations < 1:
        raise CliError("--iterations must be at least 1")
    try:
        if args.problem is not None:
            problem = seating.read_problem_json(args.problem)
            if args.policy is not None:
                problem = _with_policy(problem, args.policy)
            if args.meetings is not None:
                raise CliError("--meetings applies to CSV input; list meetings in the JSON")
        else:
            problem = seating.read_problem(
                people=args.people,
                tables=args.tables,
                history=args.history,
                rules=args.rules,
                meetings=args.meetings,
                policy=args.policy if args.policy is not None else 0.0,
                comes=args.comes,
                next_meeting=args.next_meeting,
            )
        plan = seating.plan_seating(
            problem,
            seed=args.seed,
            iterations=args.iterations,
            time_limit=args.time_limit,
            joint=args.joint,
        )
    except seating.SeatingError as exc:
        raise CliError(str(exc)) from None
    outputs = []
    if args.csv_out is not None:
        outputs.append((args.csv_out, csv_text(seating.plan_to_rows(plan))))
    if args.json_out is not None:
        outputs.append((args.json_out, seating.plan_to_json(plan)))
    _write_all(outputs)
    if not args.quiet:
        _print_plan(plan)
    return 0


def _with_policy(problem: Any, policy: float) -> Any:
    from dataclasses import replace

    return replace(problem, rules=replace(problem.rules, policy=policy))


def _season(args: argparse.Namespace) -> int:
    from kring.core import seating

    what = args.what
    if what[0] != "season" or len(what) != 4:
        raise CliError("usage: kring seat season G S W (tables, seats per table, meetings)")
    try:
        groups, size, weeks = (int(x) for x in what[1:])
    except ValueError:
        raise CliError(f"G S W must be whole numbers, not {' '.join(what[1:])}") from None
    if min(groups, size, weeks) < 1:
        raise CliError("G S W must be at least 1")
    try:
        season = seating.social_golfer_season(
            groups,
            size,
            weeks,
            seed=args.seed,
            time_limit=args.time_limit,
            **({"max_iterations": args.iterations} if args.iterations else {}),
        )
    except seating.SeatingError as exc:
        raise CliError(str(exc)) from None
    rows: list[list[str | int]] = [["meeting", "table", "seat", "player"]]
    for w, week in enumerate(season.rounds, start=1):
        for g, group in enumerate(week, start=1):
            rows.extend([w, g, i, p + 1] for i, p in enumerate(group, start=1))
    import json

    data = {
        "groups": groups,
        "size": size,
        "weeks": weeks,
        "repeats": season.repeats,
        "lower_bound": seating.golfer_lower_bound(groups, size, weeks),
        "method": season.method,
        "rounds": [[[p + 1 for p in g] for g in week] for week in season.rounds],
    }
    outputs = []
    if args.csv_out is not None:
        outputs.append((args.csv_out, csv_text(rows)))
    if args.json_out is not None:
        outputs.append((args.json_out, json.dumps(data, indent=2) + "\n"))
    _write_all(outputs)
    if not args.quiet:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{groups}-{size}-{weeks}: {season.method}")
        table.add_column("meeting", justify="right")
        for g in range(groups):
            table.add_column(f"table {g + 1}")
        for w, week in enumerate(season.rounds, start=1):
            table.add_row(str(w), *(" ".join(str(p + 1) for p in grp) for grp in week))
        console = Console()
        console.print(table)
        console.print(
            f"repeated pairs: {season.repeats} "
            f"(lower bound {seating.golfer_lower_bound(groups, size, weeks)})"
        )
    return 0


def _write_all(outputs: list[tuple[Path, str]]) -> None:
    """Write every file through a temporary file in its directory, then rename them all."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in outputs:
            directory = path.parent if str(path.parent) else Path()
            if not directory.is_dir():
                raise CliError(f"{path}: directory {directory} does not exist")
            fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((temp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        for temp, path in temps:
            Path(temp).replace(path)
    except OSError as exc:
        raise CliError(f"cannot write output: {exc}") from None
    finally:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)


def _print_plan(plan: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for m, meeting in enumerate(plan.meetings, start=1):
        table = Table(title=f"meeting {m}", show_lines=False)
        table.add_column("table")
        table.add_column("seated", justify="right")
        table.add_column("people")
        for name, people in meeting.tables:
            table.add_row(name, str(len(people)), ", ".join(people))
        console.print(table)
    r = plan.report
    spread = ", ".join(f"{k}x: {v}" for k, v in r.pair_spread)
    console.print(f"hard rules broken: {len(r.hard_violations)}")
    bound = f" (lower bound {r.lower_bound})" if r.lower_bound is not None else ""
    console.print(
        f"repeated pairs in this plan: {r.repeated_pairs}{bound}; pairs by meetings: {spread}"
    )
    console.print(f"repeated pairs counting history: {r.repeated_pairs_with_history}")
    if r.meet_again_total:
        console.print(f"meet-again targets met: {r.meet_again_met} of {r.meet_again_total}")
