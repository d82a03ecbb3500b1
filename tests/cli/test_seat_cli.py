"""`kring seat` through its real entry point; bad input exits 2 and writes nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kring.cli.main import main


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def club(tmp_path: Path) -> list[str]:
    people = write(
        tmp_path / "people.csv",
        "name,sector,organisation\nAnn,law,Acme\nBob,law,Bolt\nCas,it,Core\nDee,it,Core\n"
        "Eve,food,Eat\nFay,food,Fab\n",
    )
    tables = write(tmp_path / "tables.csv", "name,capacity,host\nT1,3,Ann\nT2,3,\n")
    rules = write(tmp_path / "rules.csv", "rule,people,value\nnever,Ann;Bob,\n")
    return ["--people", str(people), "--tables", str(tables), "--rules", str(rules)]


def test_it_plans_from_csv_and_writes_csv_and_json(club, tmp_path, capsys):
    out_csv, out_json = tmp_path / "plan.csv", tmp_path / "plan.json"
    code = main(["seat", *club, "--meetings", "2", "--csv", str(out_csv), "--json", str(out_json)])
    assert code == 0
    rows = out_csv.read_text().splitlines()
    assert rows[0] == "meeting,table,seat,name"
    assert len(rows) == 1 + 2 * 6
    data = json.loads(out_json.read_text())
    assert data["report"]["hard_violations"] == []
    for meeting in data["meetings"]:
        t1 = next(t for t in meeting["tables"] if t["table"] == "T1")
        assert "Ann" in t1["people"] and "Bob" not in t1["people"]
    printed = capsys.readouterr().out
    assert "meeting 1" in printed and "hard rules broken: 0" in printed


def test_it_plans_a_pure_season(tmp_path, capsys):
    out = tmp_path / "season.json"
    assert main(["seat", "season", "4", "4", "5", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["repeats"] == 0 and len(data["rounds"]) == 5
    assert "repeated pairs: 0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tables", "{tables}"], "give --problem FILE.json, or --people and --tables"),
        (["season", "4", "x", "5"], "G S W must be whole numbers"),
        (["season", "4", "0", "5"], "G S W must be at least 1"),
    ],
)
def test_it_rejects_bad_arguments_with_exit_code_2(tmp_path, capsys, args, message):
    tables = write(tmp_path / "tables.csv", "name,capacity\nT1,3\n")
    argv = ["seat", *(a.format(tables=tables) for a in args)]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("tables.csv", "name,capacity\nT1,3\nT2,lots\n", "tables.csv, line 3, column 2"),
        (
            "tables.csv",
            "name,capacity\nT1,2\nT2,2\n",
            "tables.csv: 4 seats for 6 people at meeting 1",
        ),
        (
            "people.csv",
            "name\nAnn\nAnn\n",
            "people.csv, line 3: 'Ann' is listed twice (also on line 2)",
        ),
        (
            "rules.csv",
            "rule,people,value\nfixed,Ann,T1\nfixed,Ann,T2\n",
            "rules.csv, line 3: 'Ann' is fixed at two tables",
        ),
        (
            "rules.csv",
            "rule,people,value\nnever,Ann;Bob,\nmeet_again,Bob;Ann,2\n",
            "rules.csv, line 3: Ann and Bob must never sit together (line 2) but should meet again",
        ),
        (
            "rules.csv",
            "rule,people,value\nnever,Ann;Zed,\n",
            "rules.csv, line 2: unknown person 'Zed'",
        ),
        (
            "rules.csv",
            "rule,people,value\nnever,Ann;Bob;Cas,\n",
            "3 mutual competitors (Ann, Bob, Cas) but only 2 tables",
        ),
    ],
)
def test_it_exits_2_and_writes_nothing_on_bad_input(club, tmp_path, capsys, file, text, message):
    write(tmp_path / file, text)
    out = tmp_path / "plan.csv"
    assert main(["seat", *club, "--csv", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kring: error: ") and message in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv", "rules.csv", "tables.csv"]


def test_it_reports_an_unknown_person_in_the_history(club, tmp_path, capsys):
    history = write(tmp_path / "history.csv", "meeting,table,name\n1,A,Ann\n1,A,Zed\n")
    assert main(["seat", *club, "--history", str(history)]) == 2
    assert "history.csv, line 3: unknown person 'Zed'" in capsys.readouterr().err


def test_it_runs_as_a_real_command(club, tmp_path):
    out = tmp_path / "plan.json"
    result = subprocess.run(
        [sys.executable, "-m", "kring", "seat", *club, "--json", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["meetings"][0]["meeting"] == 1


def test_it_never_imports_django():
    code = (
        "import kring.core.seating, kring.cli.seat, sys; "
        "assert not any(m.startswith('django') for m in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_it_plans_the_next_meeting_from_who_comes_and_the_history(club, tmp_path, capsys):
    # Gus sat at the last meeting but is in no file of members present: an absent member.
    history = write(
        tmp_path / "history.csv",
        "meeting,table,name\nmay,A,Ann\nmay,A,Cas\nmay,A,Gus\nmay,B,Bob\nmay,B,Dee\n",
    )
    comes = write(tmp_path / "comes.csv", "name\nAnn\nBob\nCas\nDee\n")
    out = tmp_path / "plan.json"
    argv = ["seat", *club, "--history", str(history), "--comes", str(comes), "--json", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    plan = json.loads(out.read_text())
    assert len(plan["meetings"]) == 1
    seated = sorted(n for t in plan["meetings"][0]["tables"] for n in t["people"])
    assert seated == ["Ann", "Bob", "Cas", "Dee"]
    tables = {n: t["table"] for t in plan["meetings"][0]["tables"] for n in t["people"]}
    assert tables["Ann"] != tables["Cas"]  # last meeting's table-mates sit apart
    assert tables["Bob"] != tables["Dee"]


def test_it_plans_the_next_meeting_with_everyone_in_the_people_file(club, tmp_path, capsys):
    history = write(tmp_path / "history.csv", "meeting,table,name\n1,A,Ann\n1,A,Gus\n")
    out = tmp_path / "plan.csv"
    argv = ["seat", *club, "--history", str(history), "--next", "--csv", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    rows = out.read_text().splitlines()
    assert {row.split(",")[0] for row in rows[1:]} == {"1"}
    assert "Gus" not in out.read_text()


def test_it_refuses_an_unknown_person_in_who_comes(club, tmp_path, capsys):
    comes = write(tmp_path / "comes.csv", "name\nAnn\nZed\n")
    assert main(["seat", *club, "--comes", str(comes)]) == 2
    assert "comes.csv, line 3: unknown person 'Zed'" in capsys.readouterr().err


def test_it_refuses_meetings_with_the_next_meeting(club, capsys):
    assert main(["seat", *club, "--next", "--meetings", "3"]) == 2
    assert "leave out --meetings" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", ","), ("utf-8", "\t"), ("cp1252", ",")],
)
def test_it_reads_csv_files_from_excel_in_any_separator_and_encoding(
    tmp_path, capsys, encoding, separator
):
    people = tmp_path / "people.csv"
    text = "\n".join(
        separator.join(row)
        for row in [["name", "sector"], ["Zoë", "bouw"], ["Frédéric", "zorg"], ["Jan", "it"]]
    )
    people.write_bytes((text + "\n").encode(encoding))
    tables = tmp_path / "tables.csv"
    tables.write_bytes(
        f"name{separator}capacity\nT1{separator}2\nT2{separator}2\n".encode(encoding)
    )
    out = tmp_path / "plan.json"
    argv = ["seat", "--people", str(people), "--tables", str(tables), "--json", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    seated = {n for t in json.loads(out.read_text())["meetings"][0]["tables"] for n in t["people"]}
    assert seated == {"Zoë", "Frédéric", "Jan"}


# --- In Dutch (LANG=nl_BE.UTF-8) -------------------------------------------------------------
@pytest.fixture
def dutch(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")


def test_it_names_the_file_and_line_of_an_unknown_person_in_dutch(dutch, club, tmp_path, capsys):
    history = write(tmp_path / "history.csv", "meeting,table,name\n1,A,Ann\n1,A,Zed\n")
    assert main(["seat", *club, "--history", str(history)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kring: fout: "), err
    assert (
        "history.csv, regel 3: onbekende persoon 'Zed' (niet in people.csv; om de volgende "
        "bijeenkomst te plannen met alleen wie komt, gebruik je --next)"
    ) in err


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "people.csv",
            "name\nAnn\nAnn\n",
            "people.csv, regel 3: 'Ann' staat er twee keer in (ook op regel 2)",
        ),
        ("tables.csv", "name,capacity\nT1,2\nT2,2\n", "tables.csv: 4 plaatsen voor 6 personen op"),
        (
            "rules.csv",
            "rule,people,value\nnever,Ann;Bob,\nmeet_again,Bob;Ann,2\n",
            "rules.csv, regel 3: 'Ann' en 'Bob' mogen nooit samen zitten",
        ),
        (
            "rules.csv",
            "rule,people,value\nfixed,Ann,T1\nfixed,Ann,T2\n",
            "rules.csv, regel 3: 'Ann' heeft een vaste plaats aan twee tafels",
        ),
        ("people.csv", b"PK\x03\x04\x00\x00binary", "people.csv: geen tekstbestand"),
    ],
)
def test_it_says_what_is_wrong_in_a_file_in_dutch(
    dutch, club, tmp_path, capsys, file, text, message
):
    path = tmp_path / file
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    assert main(["seat", *club]) == 2
    err = capsys.readouterr().err
    assert message in err, err


def test_a_missing_file_and_a_bad_argument_are_said_in_dutch(dutch, club, tmp_path, capsys):
    missing = tmp_path / "nowhere.csv"
    assert main(["seat", *club, "--history", str(missing)]) == 2
    assert f"{missing}: bestand niet gevonden" in capsys.readouterr().err
    assert main(["seat", *club, "--history", str(tmp_path)]) == 2  # a folder, not a file
    assert f"{tmp_path}: kan het bestand niet lezen: Is a directory" in capsys.readouterr().err
    assert main(["seat", "season", "4", "x", "5"]) == 2
    assert "G S W moeten gehele getallen zijn, niet 4 x 5" in capsys.readouterr().err


def test_its_help_and_its_plan_are_in_dutch(dutch, club, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["seat", "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: kring seat")
    assert "Plan wie aan welke tafel zit" in out and "toon het tafelplan niet" in out
    assert main(["seat", *club]) == 0
    out = capsys.readouterr().out
    assert "bijeenkomst 1" in out and "harde regels gebroken: 0" in out


def test_every_code_the_engine_raises_has_a_sentence():
    from kring.cli.seat import _SEATING_MESSAGES

    engine = Path(__file__).resolve().parents[2] / "src" / "kring" / "core" / "seating"
    codes = {
        code
        for path in engine.glob("*.py")
        for code in re.findall(r'code="(\w+)"', path.read_text(encoding="utf-8"))
    }
    generic = {"seating", "file", "infeasible"}  # the defaults: the English sentence is shown
    assert "unknown_person" in codes
    assert codes - generic <= set(_SEATING_MESSAGES), codes - generic - set(_SEATING_MESSAGES)


def test_an_error_without_a_known_code_keeps_the_engines_english(dutch):
    from argparse import Namespace

    from kring.cli.seat import seating_message
    from kring.core.seating import SeatingError

    args = Namespace(next_meeting=False, comes=None, history=None, people=None)
    assert seating_message(SeatingError("no tables"), args) == "no tables"
    coded = SeatingError("x", code="no_meetings")
    assert seating_message(coded, args) == "het aantal bijeenkomsten moet minstens 1 zijn"
