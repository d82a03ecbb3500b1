"""Read seating problems from CSV or JSON and write plans, naming file, line and column on errors.

CSV files (a header row, UTF-8, comma-separated):

* people: ``name`` and optionally ``sector``, ``organisation``, ``meetings`` (the meeting
  numbers someone attends, e.g. ``1;3``; empty or ``all`` means every meeting);
* tables: ``name``, ``capacity`` and optionally ``host`` (names separated by ``;``);
* history: ``meeting``, ``table``, ``name`` (meetings in the order they first appear);
* rules: ``rule``, ``people`` (separated by ``;``), ``value``, where rule is ``never``
  (never together), ``fixed`` (value: the table) or ``meet_again`` (value: every k meetings).

A JSON file holds the same in one object; see ``docs/seating.md``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kring.core.seating.model import (
    Attendee,
    MeetAgain,
    PastMeeting,
    SeatingInputError,
    SeatingPlan,
    SeatingProblem,
    SeatingRules,
    Table,
)

__all__ = [
    "SeatingFileError",
    "plan_to_dict",
    "plan_to_json",
    "plan_to_rows",
    "read_problem",
    "read_problem_json",
]


class SeatingFileError(SeatingInputError):
    """A file cannot be read; the message names the file, line and column."""


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class _Csv:
    """Rows of a CSV file as dicts, with the position of each cell for error messages."""

    def __init__(self, path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise SeatingFileError(f"{path}: file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SeatingFileError(f"{path}: cannot read: {exc}") from None
        self.required, self.optional = required, optional

    def where(self, line: int, column: int | None = None, name: str = "") -> str:
        if column is None:
            return f"{self.path}, line {line}"
        return f"{self.path}, line {line}, column {column} ({name})"

    def rows(self) -> Iterator[tuple[int, dict[str, str], dict[str, int]]]:
        reader = csv.reader(io.StringIO(self.text), strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise SeatingFileError(f"{self.path}: empty file, expected a header row")
            header = [h.strip().casefold() for h in header]
            for name in self.required:
                if name not in header:
                    raise SeatingFileError(
                        f"{self.where(1)}: missing column {name!r} "
                        f"(expected {', '.join(self.required + self.optional)})"
                    )
            for i, name in enumerate(header):
                if name not in self.required + self.optional:
                    raise SeatingFileError(f"{self.where(1, i + 1, name)}: unknown column")
            columns = {name: i + 1 for i, name in enumerate(header)}
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise SeatingFileError(
                        f"{self.where(line)}: {len(row)} fields, the header has {len(header)}"
                    )
                yield line, {h: c.strip() for h, c in zip(header, row, strict=True)}, columns
        except csv.Error as exc:
            raise SeatingFileError(f"{self.where(reader.line_num)}: malformed CSV: {exc}") from None


def read_problem(
    *,
    people: Path,
    tables: Path,
    history: Path | None = None,
    rules: Path | None = None,
    meetings: int | None = None,
    policy: float = 0.0,
    variety: float = 1.0,
) -> SeatingProblem:
    """Read a problem from CSV files (see the module docstring for the columns).

    Parameters
    ----------
    people, tables : required files.
    history, rules : optional files.
    meetings : how many meetings to plan; by default the highest number in the people file's
        ``meetings`` column, or 1.
    policy, variety : the rules' dial and variety weight.

    Returns
    -------
    SeatingProblem
        Not yet validated beyond the file format; :func:`plan_seating` checks names and rules.

    Raises
    ------
    SeatingFileError
        With the file, line and column of the first problem.
    """
    people_csv = _Csv(people, ("name",), ("sector", "organisation", "meetings"))
    attendees: list[Attendee] = []
    attends: list[tuple[str, set[int] | None]] = []
    highest = 0
    for line, row, cols in people_csv.rows():
        if not row["name"]:
            raise SeatingFileError(f"{people_csv.where(line, cols['name'], 'name')}: empty name")
        attendees.append(Attendee(row["name"], row.get("sector", ""), row.get("organisation", "")))
        raw = row.get("meetings", "")
        if raw.casefold() in ("", "all"):
            attends.append((row["name"], None))
            continue
        numbers: set[int] = set()
        for part in raw.replace(",", ";").replace(" ", ";").split(";"):
            if not part:
                continue
            if not part.isdigit() or int(part) < 1:
                raise SeatingFileError(
                    f"{people_csv.where(line, cols['meetings'], 'meetings')}: {part!r} is not "
                    "a meeting number (1, 2, ...)"
                )
            numbers.add(int(part))
        highest = max(highest, *numbers) if numbers else highest
        attends.append((row["name"], numbers))
    count = meetings if meetings is not None else max(highest, 1)
    if count < 1:
        raise SeatingFileError("the number of meetings must be at least 1")
    plan_meetings = tuple(
        tuple(name for name, numbers in attends if numbers is None or m in numbers)
        for m in range(1, count + 1)
    )

    tables_csv = _Csv(tables, ("name", "capacity"), ("host",))
    table_list: list[Table] = []
    fixed: list[tuple[str, str]] = []
    for line, row, cols in tables_csv.rows():
        if not row["name"]:
            raise SeatingFileError(f"{tables_csv.where(line, cols['name'], 'name')}: empty name")
        cap = row["capacity"]
        if not cap.isdigit():
            raise SeatingFileError(
                f"{tables_csv.where(line, cols['capacity'], 'capacity')}: {cap!r} is not a "
                "whole number of seats"
            )
        table_list.append(Table(row["name"], int(cap)))
        fixed.extend((host, row["name"]) for host in _names(row.get("host", "")))

    past: list[PastMeeting] = []
    if history is not None:
        history_csv = _Csv(history, ("meeting", "table", "name"), ())
        order: dict[str, dict[str, list[str]]] = {}
        for line, row, cols in history_csv.rows():
            for key in ("meeting", "table", "name"):
                if not row[key]:
                    raise SeatingFileError(f"{history_csv.where(line, cols[key], key)}: empty")
            order.setdefault(row["meeting"], {}).setdefault(row["table"], []).append(row["name"])
        past = [PastMeeting(tuple(tuple(n) for n in t.values())) for t in order.values()]

    never: list[tuple[str, str]] = []
    meet_again: list[MeetAgain] = []
    if rules is not None:
        rules_csv = _Csv(rules, ("rule", "people"), ("value",))
        for line, row, cols in rules_csv.rows():
            kind = row["rule"].casefold().replace("-", "_").replace(" ", "_")
            names = _names(row["people"])
            value = row.get("value", "")
            where_people = rules_csv.where(line, cols["people"], "people")
            if kind in ("never", "never_together"):
                if len(names) < 2:
                    raise SeatingFileError(f"{where_people}: name at least two people")
                # A never rule with more names keeps every pair of them apart.
                never.extend((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
            elif kind in ("fixed", "host"):
                if len(names) != 1 or not value:
                    raise SeatingFileError(
                        f"{where_people}: a fixed rule names one person and a table (value)"
                    )
                fixed.append((names[0], value))
            elif kind == "meet_again":
                where_value = rules_csv.where(line, cols.get("value", 0), "value")
                if not value.isdigit() or int(value) < 1:
                    raise SeatingFileError(
                        f"{where_value}: {value!r} is not a number of meetings (1, 2, ...)"
                    )
                if len(names) < 2:
                    raise SeatingFileError(f"{where_people}: name at least two people")
                meet_again.append(MeetAgain(tuple(names), int(value)))
            else:
                raise SeatingFileError(
                    f"{rules_csv.where(line, cols['rule'], 'rule')}: unknown rule {row['rule']!r}"
                    " (never, fixed, meet_again)"
                )
    return SeatingProblem(
        people=tuple(attendees),
        tables=tuple(table_list),
        meetings=plan_meetings,
        history=tuple(past),
        rules=SeatingRules(
            never_together=tuple(never),
            fixed=tuple(fixed),
            meet_again=tuple(meet_again),
            policy=policy,
            variety=variety,
        ),
    )


def read_problem_json(path: Path) -> SeatingProblem:
    """Read a problem from one JSON file.

    Raises
    ------
    SeatingFileError
        For a syntax error (with line and column) or a missing or mistyped field (with its
        path in the document, e.g. ``tables[2].capacity``).

    Examples
    --------
    The smallest file: ``{"people": [{"name": "Ann"}], "tables": [{"name": "T", "capacity": 2}]}``.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeatingFileError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise SeatingFileError(
            f"{path}, line {exc.lineno}, column {exc.colno}: malformed JSON: {exc.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeatingFileError(f"{path}: cannot read: {exc}") from None

    def fail(where: str, what: str) -> SeatingFileError:
        return SeatingFileError(f"{path}, {where}: {what}")

    def need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            raise fail(where, f"missing field {key!r}")
        value = obj[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise fail(f"{where}.{key}" if where != "top level" else key, "wrong type")
        return value

    def text_list(value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(where, "expected a list of names")
        return tuple(value)

    if not isinstance(data, dict):
        raise fail("top level", "expected an object")
    people = []
    for i, item in enumerate(need(data, "people", list, "top level")):
        where = f"people[{i}]"
        name = need(item, "name", str, where)
        sector = item.get("sector", "") or ""
        org = item.get("organisation", "") or ""
        if not isinstance(sector, str) or not isinstance(org, str):
            raise fail(where, "sector and organisation must be text")
        people.append(Attendee(name, sector, org))
    tables = []
    for i, item in enumerate(need(data, "tables", list, "top level")):
        where = f"tables[{i}]"
        tables.append(Table(need(item, "name", str, where), need(item, "capacity", int, where)))
    if "meetings" in data:
        if not isinstance(data["meetings"], list):
            raise fail("meetings", "expected a list of lists of names")
        meetings = tuple(text_list(m, f"meetings[{i}]") for i, m in enumerate(data["meetings"]))
    else:
        meetings = (tuple(p.name for p in people),)
    history = []
    for i, past in enumerate(data.get("history", [])):
        if not isinstance(past, list):
            raise fail(f"history[{i}]", "expected a list of tables (lists of names)")
        history.append(
            PastMeeting(tuple(text_list(t, f"history[{i}][{j}]") for j, t in enumerate(past)))
        )
    raw = data.get("rules", {})
    if not isinstance(raw, dict):
        raise fail("rules", "expected an object")
    never: list[tuple[str, str]] = []
    for i, pair in enumerate(raw.get("never_together", [])):
        names = text_list(pair, f"rules.never_together[{i}]")
        never.extend((a, b) for j, a in enumerate(names) for b in names[j + 1 :])
        if len(names) < 2:
            raise fail(f"rules.never_together[{i}]", "name at least two people")
    fixed_raw = raw.get("fixed", {})
    if not isinstance(fixed_raw, dict | list):
        raise fail("rules.fixed", "expected an object person -> table")
    fixed_items = fixed_raw.items() if isinstance(fixed_raw, dict) else fixed_raw
    fixed = []
    for i, item in enumerate(fixed_items):
        if not (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(x, str) for x in item)
        ):
            raise fail(f"rules.fixed[{i}]", "expected [person, table]")
        fixed.append((item[0], item[1]))
    meet_again = []
    for i, item in enumerate(raw.get("meet_again", [])):
        where = f"rules.meet_again[{i}]"
        names = text_list(need(item, "people", list, where), f"{where}.people")
        meet_again.append(MeetAgain(names, need(item, "every", int, where)))
    policy = raw.get("policy", 0.0)
    variety = raw.get("variety", 1.0)
    for key, value in (("policy", policy), ("variety", variety)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise fail(f"rules.{key}", "expected a number")
    return SeatingProblem(
        people=tuple(people),
        tables=tuple(tables),
        meetings=meetings,
        history=tuple(history),
        rules=SeatingRules(
            tuple(never), tuple(fixed), tuple(meet_again), float(policy), float(variety)
        ),
    )


def plan_to_dict(plan: SeatingPlan) -> dict[str, Any]:
    """The plan and its report as plain JSON-ready data."""
    r = plan.report
    return {
        "meetings": [
            {
                "meeting": m + 1,
                "tables": [{"table": t, "people": list(names)} for t, names in mp.tables],
            }
            for m, mp in enumerate(plan.meetings)
        ],
        "report": {
            "hard_violations": list(r.hard_violations),
            "repeated_pairs": r.repeated_pairs,
            "repeated_pairs_with_history": r.repeated_pairs_with_history,
            "pair_spread": {str(k): v for k, v in r.pair_spread},
            "max_pair_meetings": r.max_pair_meetings,
            "lower_bound": r.lower_bound,
            "max_pair_meetings_needed": r.max_pair_meetings_needed,
            "meet_again_met": r.meet_again_met,
            "meet_again_total": r.meet_again_total,
            "variety": [
                {
                    "meeting": v.meeting + 1,
                    "table": v.table,
                    "seated": v.seated,
                    "top_sector": v.top_sector,
                    "top_sector_count": v.top_sector_count,
                    "top_organisation": v.top_organisation,
                    "top_organisation_count": v.top_organisation_count,
                }
                for v in r.variety
            ],
        },
    }


def plan_to_json(plan: SeatingPlan) -> str:
    """The plan and report as indented JSON text."""
    return json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n"


def plan_to_rows(plan: SeatingPlan) -> list[list[str | int]]:
    """The plan as table rows: a header ``meeting, table, seat, name``, then one row per seated
    person. The CLI writes them as CSV through Kring's one CSV writer, which keeps a name that
    looks like a spreadsheet formula from running as one."""
    rows: list[list[str | int]] = [["meeting", "table", "seat", "name"]]
    for m, meeting in enumerate(plan.meetings):
        for table, names in meeting.tables:
            for seat, name in enumerate(names, start=1):
                rows.append([m + 1, table, seat, name])
    return rows
