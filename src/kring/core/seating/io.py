"""Read seating problems from CSV or JSON and write plans, naming file, line and column on errors.

CSV files (a header row; comma-, semicolon- or tab-separated; UTF-8, UTF-16 or Windows-1252,
as the import reads them):

* people: ``name`` and optionally ``sector``, ``organisation``, ``meetings`` (the meeting
  numbers someone attends, e.g. ``1;3``; empty or ``all`` means every meeting);
* tables: ``name``, ``capacity`` and optionally ``host`` (names separated by ``;``);
* history: ``meeting``, ``table``, ``name`` (meetings in the order they first appear);
* rules: ``rule``, ``people`` (separated by ``;``), ``value``, where rule is ``never``
  (never together), ``fixed`` (value: the table) or ``meet_again`` (value: every k meetings);
* who comes (to plan the next meeting): ``name``.

A JSON file holds the same in one object; see ``docs/seating.md``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kring.core.importing.encoding import decode_text
from kring.core.seating.model import (
    Affinity,
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
    """A file cannot be read or says something impossible; the message names the file, line
    and column, and ``file`` and ``line`` (None for the whole file) say them apart."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        code: str = "file",
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message, code=code, params={"file": file, "line": line, **(params or {})})
        self.file = file
        self.line = line


_DELIMITERS = (",", ";", "\t")


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class _Csv:
    """Rows of a CSV file as dicts, with the position of each cell for error messages."""

    def __init__(self, path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        self.path = path
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise self.error("file not found", code="file_not_found") from None
        except OSError as exc:
            raise self.error(f"cannot read: {exc}", code="file_unreadable") from None
        # The import's reader: UTF-8 (with or without BOM), UTF-16, Windows-1252 (Excel).
        text = decode_text(raw)
        if text is None:
            raise self.error("not a text file (a spreadsheet? save it as CSV)", code="binary")
        self.text = text.removeprefix("\ufeff")
        self.required, self.optional = required, optional
        self.delimiter = self._delimiter()

    def error(
        self, what: str, line: int | None = None, *, code: str = "file", **params: object
    ) -> SeatingFileError:
        where = f"{self.path}, line {line}" if line else f"{self.path}"
        return SeatingFileError(
            f"{where}: {what}", file=str(self.path), line=line, code=code, params=params
        )

    def _delimiter(self) -> str:
        """The separator that splits the header into the most known columns (Excel writes
        semicolons where the decimal comma is usual)."""
        first = next((line for line in self.text.splitlines() if line.strip()), "")
        known = set(self.required + self.optional)

        def score(delimiter: str) -> int:
            cells = next(csv.reader([first], delimiter=delimiter), [])
            return sum(1 for cell in cells if cell.strip().casefold() in known)

        return max(_DELIMITERS, key=score)

    def where(self, line: int, column: int | None = None, name: str = "") -> str:
        if column is None:
            return f"{self.path}, line {line}"
        return f"{self.path}, line {line}, column {column} ({name})"

    def rows(self) -> Iterator[tuple[int, dict[str, str], dict[str, int]]]:
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter, strict=True)
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
    comes: Path | None = None,
    next_meeting: bool = False,
) -> SeatingProblem:
    """Read a problem from CSV files (see the module docstring for the columns).

    Parameters
    ----------
    people, tables : required files.
    history, rules : optional files.
    meetings : how many meetings to plan; by default the highest number in the people file's
        ``meetings`` column, or 1.
    policy, variety : the rules' dial and variety weight.
    comes : who comes to the next meeting (a ``name`` column); implies ``next_meeting``.
    next_meeting : plan one meeting, the next after the history: with the people in
        ``comes``, or else everyone in the people file (the ``meetings`` column is ignored).
        People named only in the history are members who do not come.

    Returns
    -------
    SeatingProblem
        Not yet validated beyond the file format; :func:`plan_seating` checks names and rules.

    Raises
    ------
    SeatingFileError
        With the file, line and column of the first problem.
    """
    next_meeting = next_meeting or comes is not None
    if next_meeting and meetings is not None:
        raise SeatingFileError(
            "plan either the next meeting or a number of meetings, not both",
            code="next_and_meetings",
        )
    people_csv = _Csv(people, ("name",), ("sector", "organisation", "meetings"))
    attendees: list[Attendee] = []
    attends: list[tuple[str, set[int] | None]] = []
    line_of: dict[str, int] = {}
    highest = 0
    for line, row, cols in people_csv.rows():
        if not row["name"]:
            raise SeatingFileError(f"{people_csv.where(line, cols['name'], 'name')}: empty name")
        if row["name"] in line_of:
            raise people_csv.error(
                f"{row['name']!r} is listed twice (also on line {line_of[row['name']]})",
                line,
                code="duplicate_name",
                name=row["name"],
                first_line=line_of[row["name"]],
            )
        line_of[row["name"]] = line
        attendees.append(Attendee(row["name"], row.get("sector", ""), row.get("organisation", "")))
        raw = row.get("meetings", "")
        if next_meeting or raw.casefold() in ("", "all"):
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
        raise SeatingFileError("the number of meetings must be at least 1", code="no_meetings")
    plan_meetings = tuple(
        tuple(name for name, numbers in attends if numbers is None or m in numbers)
        for m in range(1, count + 1)
    )
    if comes is not None:
        comes_csv = _Csv(comes, ("name",), ())
        coming: dict[str, int] = {}
        for line, row, _ in comes_csv.rows():
            name = row["name"]
            if not name:
                continue
            if name not in line_of:
                raise comes_csv.error(
                    f"unknown person {name!r} (not in {people.name})",
                    line,
                    code="unknown_person",
                    name=name,
                )
            if name in coming:
                raise comes_csv.error(
                    f"{name!r} is listed twice (also on line {coming[name]})",
                    line,
                    code="duplicate_name",
                    name=name,
                    first_line=coming[name],
                )
            coming[name] = line
        plan_meetings = (tuple(coming),)

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
            name = row["name"]
            if name not in line_of:
                if not next_meeting:
                    raise history_csv.error(
                        f"unknown person {name!r} (not in {people.name}; to plan the next "
                        "meeting with only the people who come, use the next-meeting mode)",
                        line,
                        code="unknown_person",
                        name=name,
                    )
                # A member who sat at past meetings but is not coming tonight.
                line_of[name] = 0
                attendees.append(Attendee(name))
            seated = order.setdefault(row["meeting"], {})
            if any(name in names for names in seated.values()):
                raise history_csv.error(
                    f"{name!r} sits at two tables at meeting {row['meeting']!r}",
                    line,
                    code="seated_twice",
                    name=name,
                    meeting=row["meeting"],
                )
            seated.setdefault(row["table"], []).append(name)
        past = [PastMeeting(tuple(tuple(n) for n in t.values())) for t in order.values()]

    never: list[tuple[str, str]] = []
    meet_again: list[MeetAgain] = []
    if rules is not None:
        rules_csv = _Csv(rules, ("rule", "people"), ("value",))
        never_line: dict[frozenset[str], int] = {}
        again_line: dict[frozenset[str], int] = {}
        for line, row, cols in rules_csv.rows():
            kind = row["rule"].casefold().replace("-", "_").replace(" ", "_")
            names = _names(row["people"])
            value = row.get("value", "")
            where_people = rules_csv.where(line, cols["people"], "people")
            for name in names:
                if name not in line_of:
                    raise rules_csv.error(
                        f"unknown person {name!r} (not in {people.name})",
                        line,
                        code="unknown_person",
                        name=name,
                    )
            pairs = [frozenset((a, b)) for i, a in enumerate(names) for b in names[i + 1 :]]
            if kind in ("never", "never_together", "meet_again"):
                mine, other = (
                    (never_line, again_line) if kind != "meet_again" else (again_line, never_line)
                )
                for pair in pairs:
                    if pair in other:
                        a, b = sorted(pair)
                        raise rules_csv.error(
                            f"{a} and {b} must never sit together (line "
                            f"{never_line.get(pair, line)}) but should meet again (line "
                            f"{again_line.get(pair, line)})",
                            line,
                            code="contradictory_rules",
                            a=a,
                            b=b,
                        )
                    mine.setdefault(pair, line)
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
                earlier = next((t for who, t in fixed if who == names[0]), value)
                if earlier != value:
                    raise rules_csv.error(
                        f"{names[0]!r} is fixed at two tables: {earlier!r} and {value!r}",
                        line,
                        code="fixed_twice",
                        name=names[0],
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
    seats = sum(t.capacity for t in table_list)
    for m, present in enumerate(plan_meetings, start=1):
        if len(present) > seats:
            where = "" if next_meeting else f" at meeting {m}"
            raise tables_csv.error(
                f"{seats} seats for {len(present)} people{where}",
                code="too_few_seats",
                seats=seats,
                people=len(present),
                meeting=m,
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
    affinity = []
    for i, item in enumerate(raw.get("affinity", [])):
        where = f"rules.affinity[{i}]"
        weight = need(item, "weight", (int, float), where)
        affinity.append(
            Affinity(need(item, "a", str, where), need(item, "b", str, where), float(weight))
        )
    objective = raw.get("objective", "fewest_repeats")
    if not isinstance(objective, str):
        raise fail("rules.objective", "expected fewest_repeats or smallest_maximum")
    return SeatingProblem(
        people=tuple(people),
        tables=tuple(tables),
        meetings=meetings,
        history=tuple(history),
        rules=SeatingRules(
            never_together=tuple(never),
            fixed=tuple(fixed),
            meet_again=tuple(meet_again),
            policy=float(policy),
            variety=float(variety),
            affinity=tuple(affinity),
            objective=objective,
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
