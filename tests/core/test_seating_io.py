"""Reading problems from CSV and JSON: file, line and column named on every error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kring.core.seating import (
    SeatingFileError,
    plan_seating,
    plan_to_json,
    plan_to_rows,
    read_problem,
    read_problem_json,
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def club(tmp_path: Path) -> dict[str, Path]:
    return {
        "people": write(
            tmp_path / "people.csv",
            "name,sector,organisation,meetings\n"
            "Ann,law,Acme,\nBob,law,Bolt,1\nCas,it,Core,all\nDee,food,Dune,1;2\n",
        ),
        "tables": write(tmp_path / "tables.csv", "name,capacity,host\nT1,2,Ann\nT2,2,\n"),
        "history": write(tmp_path / "history.csv", "meeting,table,name\nm0,A,Ann\nm0,A,Cas\n"),
        "rules": write(
            tmp_path / "rules.csv",
            "rule,people,value\nnever,Bob;Dee,\nmeet_again,Ann;Dee,2\n",
        ),
    }


def test_it_reads_a_club_from_csv_files(club):
    problem = read_problem(**club)
    assert [p.name for p in problem.people] == ["Ann", "Bob", "Cas", "Dee"]
    assert problem.meetings == (("Ann", "Bob", "Cas", "Dee"), ("Ann", "Cas", "Dee"))
    assert problem.rules.fixed == (("Ann", "T1"),)
    assert problem.rules.never_together == (("Bob", "Dee"),)
    assert problem.history[0].tables == (("Ann", "Cas"),)
    plan = plan_seating(problem)
    assert plan_to_rows(plan)[0] == ["meeting", "table", "seat", "name"]
    assert json.loads(plan_to_json(plan))["report"]["hard_violations"] == []


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("tables", "name,capacity\nT1,2\nT2,many\n", r"tables.csv, line 3, column 2 \(capacity\)"),
        ("tables", "name,seats\nT1,2\n", r"tables.csv, line 1: missing column 'capacity'"),
        ("people", "name,sector\nAnn,law,extra\n", r"people.csv, line 2: 3 fields"),
        ("people", 'name\n"Ann\n', r"people.csv, line \d+: malformed CSV"),
        ("people", "name,meetings\nAnn,x\n", r"people.csv, line 2, column 2 \(meetings\)"),
        ("rules", "rule,people,value\nsometimes,Ann;Bob,\n", r"rules.csv, line 2, column 1"),
        ("rules", "rule,people,value\nmeet_again,Ann;Bob,often\n", r"line 2, column 3"),
    ],
)
def test_it_names_file_line_and_column_of_a_malformed_csv(club, key, text, message):
    write(club[key], text)
    with pytest.raises(SeatingFileError, match=message):
        read_problem(**club)


def test_it_reads_a_problem_from_json(tmp_path):
    path = write(
        tmp_path / "club.json",
        json.dumps(
            {
                "people": [{"name": "Ann", "sector": "law"}, {"name": "Bob"}, {"name": "Cas"}],
                "tables": [{"name": "T1", "capacity": 2}, {"name": "T2", "capacity": 2}],
                "meetings": [["Ann", "Bob", "Cas"]],
                "history": [[["Ann", "Bob"], ["Cas"]]],
                "rules": {
                    "never_together": [["Ann", "Cas"]],
                    "fixed": {"Ann": "T1"},
                    "meet_again": [{"people": ["Bob", "Cas"], "every": 2}],
                    "policy": 0.2,
                },
            }
        ),
    )
    problem = read_problem_json(path)
    assert problem.rules.fixed == (("Ann", "T1"),)
    assert problem.rules.policy == 0.2
    plan = plan_seating(problem)
    assert plan.meetings[0].table_of("Ann") == "T1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"people": [}', r"line 1, column 13: malformed JSON"),
        ('{"tables": []}', r"top level: missing field 'people'"),
        ('{"people": [], "tables": [{"name": "T", "capacity": "2"}]}', r"tables\[0\].capacity"),
        ('{"people": [{"name": "A"}], "tables": [], "rules": {"policy": "x"}}', "rules.policy"),
    ],
)
def test_it_names_the_place_of_a_json_error(tmp_path, text, message):
    with pytest.raises(SeatingFileError, match=message):
        read_problem_json(write(tmp_path / "bad.json", text))


def test_it_reports_a_missing_file(tmp_path):
    with pytest.raises(SeatingFileError, match="file not found"):
        read_problem_json(tmp_path / "nope.json")


def test_it_reads_affinity_and_the_objective_from_json(tmp_path):
    path = write(
        tmp_path / "club.json",
        json.dumps(
            {
                "people": [{"name": "Ann"}, {"name": "Bob"}],
                "tables": [{"name": "T1", "capacity": 2}],
                "rules": {
                    "affinity": [{"a": "Ann", "b": "Bob", "weight": 0.8}],
                    "objective": "smallest_maximum",
                },
            }
        ),
    )
    problem = read_problem_json(path)
    assert problem.rules.affinity[0].weight == 0.8
    assert problem.rules.objective == "smallest_maximum"
    assert plan_seating(problem).meetings[0].table_of("Ann") == "T1"
