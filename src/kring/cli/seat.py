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

from kring.cli import i18n
from kring.cli.errors import CliError
from kring.cli.i18n import _
from kring.lib.csv import csv_text


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "seat",
        help=_("plan tables for club meetings (or a pure social-golfer season)"),
        description=_(
            "Plan who sits at which table, from CSV files (--people, --tables, --history, "
            "--rules) or one JSON file (--problem). `kring seat season G S W` schedules G "
            "tables of S seats over W meetings with as few repeated pairs as possible."
        ),
    )
    parser.add_argument("what", nargs="*", metavar="season G S W", help=_("a pure season"))
    parser.add_argument("--problem", type=Path, help=_("a JSON problem file"))
    parser.add_argument("--people", type=Path, help=_("people CSV: name,sector,organisation,..."))
    parser.add_argument("--tables", type=Path, help=_("tables CSV: name,capacity[,host]"))
    parser.add_argument("--history", type=Path, help=_("history CSV: meeting,table,name"))
    parser.add_argument("--rules", type=Path, help=_("rules CSV: rule,people,value"))
    parser.add_argument("--meetings", type=int, help=_("meetings to plan (default: from people)"))
    parser.add_argument(
        "--next",
        action="store_true",
        dest="next_meeting",
        help=_(
            "plan the next meeting after the history: everyone in --people comes (or those "
            "in --comes); people named only in the history do not"
        ),
    )
    parser.add_argument(
        "--comes", type=Path, help=_("who comes to the next meeting: a CSV with a name column")
    )
    parser.add_argument(
        "--policy", type=float, help=_("0 = meet new people ... 1 = deepen known ties")
    )
    parser.add_argument("--joint", action="store_true", help=_("plan all meetings in one search"))
    parser.add_argument("--seed", type=int, default=0, help=_("same seed, same plan (default 0)"))
    parser.add_argument("--iterations", type=int, help=_("search budget (swaps)"))
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help=_("safety stop in seconds (default 10)")
    )
    parser.add_argument("--csv", type=Path, dest="csv_out", help=_("write the plan as CSV"))
    parser.add_argument("--json", type=Path, dest="json_out", help=_("write the plan as JSON"))
    parser.add_argument("--quiet", action="store_true", help=_("do not print the table plan"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from kring.core import seating

    if args.what:
        return _season(args)
    if args.problem is None and (args.people is None or args.tables is None):
        raise CliError(_("give --problem FILE.json, or --people and --tables CSV files"))
    if args.problem is not None and (
        args.people or args.tables or args.history or args.rules or args.comes
    ):
        raise CliError(_("give either --problem or the CSV files, not both"))
    if (args.next_meeting or args.comes) and args.meetings is not None:
        raise CliError(_("--next and --comes plan one meeting; leave out --meetings"))
    if args.time_limit is not None and args.time_limit <= 0:
        raise CliError(_("--time-limit must be positive"))
    if args.iterations is not None and args.iterations < 1:
        raise CliError(_("--iterations must be at least 1"))
    try:
        if args.problem is not None:
            problem = seating.read_problem_json(args.problem)
            if args.policy is not None:
                problem = _with_policy(problem, args.policy)
            if args.meetings is not None:
                raise CliError(_("--meetings applies to CSV input; list meetings in the JSON"))
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
        raise CliError(seating_message(exc, args)) from None
    outputs = []
    if args.csv_out is not None:
        outputs.append((args.csv_out, csv_text(seating.plan_to_rows(plan))))
    if args.json_out is not None:
        outputs.append((args.json_out, seating.plan_to_json(plan)))
    _write_all(outputs)
    if not args.quiet:
        _print_plan(plan)
    return 0


def seating_message(exc: Exception, args: argparse.Namespace) -> str:
    """What the seating engine refused, in the CLI's language, from the error's ``code`` and
    ``params`` (with the file and line it names). In English, and for a code this table does
    not know, the engine's own sentence (it may name a little more, e.g. both tables)."""
    code = getattr(exc, "code", "")
    params: dict[str, Any] = dict(getattr(exc, "params", {}))
    if i18n.language() == "en" or code not in _SEATING_MESSAGES:
        return str(exc)
    if code == "too_few_seats" and (args.next_meeting or args.comes):
        code = "too_few_seats_next"
    if code == "unknown_person" and args.history and params.get("file") == str(args.history):
        code = "unknown_person_history"
    if code == "file_unreadable":
        reason = exc.__context__  # the OSError, raised "from None" but kept as the context
        params["reason"] = getattr(reason, "strerror", None) or str(reason or "")
    for key in ("name", "a", "b"):
        if isinstance(params.get(key), str):
            params[key] = repr(params[key])
    params["people_file"] = args.people.name if args.people else ""
    message = _SEATING_MESSAGES[code]() % params
    file, line = params.get("file"), params.get("line")
    if not file:
        return message
    if line:
        where = _("%(file)s, line %(line)s") % {"file": file, "line": line}
    else:
        where = str(file)
    return f"{where}: {message}"


# The engine's error codes (kring.core.seating) and their sentences; looked up when shown.
_SEATING_MESSAGES = {
    "file_not_found": lambda: _("file not found"),
    "file_unreadable": lambda: _("cannot read: %(reason)s"),
    "binary": lambda: _("not a text file (a spreadsheet? save it as CSV)"),
    "next_and_meetings": lambda: _(
        "plan either the next meeting or a number of meetings, not both"
    ),
    "duplicate_name": lambda: _("%(name)s is listed twice (also on line %(first_line)s)"),
    "no_meetings": lambda: _("the number of meetings must be at least 1"),
    "unknown_person": lambda: _("unknown person %(name)s (not in %(people_file)s)"),
    "unknown_person_history": lambda: _(
        "unknown person %(name)s (not in %(people_file)s; to plan the next meeting with only the "
        "people who come, use --next)"
    ),
    "seated_twice": lambda: _("%(name)s sits at two tables at meeting %(meeting)s"),
    "contradictory_rules": lambda: _(
        "%(a)s and %(b)s must never sit together but should meet again"
    ),
    "fixed_twice": lambda: _("%(name)s is fixed at two tables"),
    "too_few_seats": lambda: _("%(seats)s seats for %(people)s people at meeting %(meeting)s"),
    "too_few_seats_next": lambda: _("%(seats)s seats for %(people)s people"),
}


def _with_policy(problem: Any, policy: float) -> Any:
    from dataclasses import replace

    return replace(problem, rules=replace(problem.rules, policy=policy))


def _season(args: argparse.Namespace) -> int:
    from kring.core import seating

    what = args.what
    if what[0] != "season" or len(what) != 4:
        raise CliError(_("usage: kring seat season G S W (tables, seats per table, meetings)"))
    try:
        groups, size, weeks = (int(x) for x in what[1:])
    except ValueError:
        raise CliError(
            _("G S W must be whole numbers, not %(values)s") % {"values": " ".join(what[1:])}
        ) from None
    if min(groups, size, weeks) < 1:
        raise CliError(_("G S W must be at least 1"))
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
        raise CliError(seating_message(exc, args)) from None
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
        table.add_column(_("meeting"), justify="right")
        for g in range(groups):
            table.add_column(_("table %(number)s") % {"number": g + 1})
        for w, week in enumerate(season.rounds, start=1):
            table.add_row(str(w), *(" ".join(str(p + 1) for p in grp) for grp in week))
        console = Console()
        console.print(table)
        console.print(
            _("repeated pairs: %(repeats)s (lower bound %(bound)s)")
            % {"repeats": season.repeats, "bound": seating.golfer_lower_bound(groups, size, weeks)}
        )
    return 0


def _write_all(outputs: list[tuple[Path, str]]) -> None:
    """Write every file through a temporary file in its directory, then rename them all."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in outputs:
            directory = path.parent if str(path.parent) else Path()
            if not directory.is_dir():
                raise CliError(
                    _("%(path)s: directory %(directory)s does not exist")
                    % {"path": path, "directory": directory}
                )
            fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((temp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        for temp, path in temps:
            Path(temp).replace(path)
    except OSError as exc:
        raise CliError(_("cannot write output: %(error)s") % {"error": exc}) from None
    finally:
        for temp, _path in temps:
            Path(temp).unlink(missing_ok=True)


def _print_plan(plan: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for m, meeting in enumerate(plan.meetings, start=1):
        table = Table(title=_("meeting %(number)s") % {"number": m}, show_lines=False)
        table.add_column(_("table"))
        table.add_column(_("seated"), justify="right")
        table.add_column(_("people"))
        for name, people in meeting.tables:
            table.add_row(name, str(len(people)), ", ".join(people))
        console.print(table)
    r = plan.report
    spread = ", ".join(f"{k}x: {v}" for k, v in r.pair_spread)
    console.print(_("hard rules broken: %(count)s") % {"count": len(r.hard_violations)})
    if r.lower_bound is not None:
        repeated = _(
            "repeated pairs in this plan: %(repeated)s (lower bound %(bound)s); pairs by "
            "meetings: %(spread)s"
        ) % {"repeated": r.repeated_pairs, "bound": r.lower_bound, "spread": spread}
    else:
        repeated = _("repeated pairs in this plan: %(repeated)s; pairs by meetings: %(spread)s") % {
            "repeated": r.repeated_pairs,
            "spread": spread,
        }
    console.print(repeated)
    console.print(
        _("repeated pairs counting history: %(count)s") % {"count": r.repeated_pairs_with_history}
    )
    if r.meet_again_total:
        console.print(
            _("meet-again targets met: %(met)s of %(total)s")
            % {"met": r.meet_again_met, "total": r.meet_again_total}
        )
