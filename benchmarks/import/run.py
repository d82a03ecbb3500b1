"""Import speed and memory on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/import/run.py [--postgres URL|''] [--no-memory]

Runs, each engine in a fresh process and a fresh database:

* 30,000 generated LinkedIn connections, 10,000 vCards, and both again (all known);
* 5,000 vCards of people among the connections (the same profile, a new mobile number and
  birthday): 5,000 merges; 500 of them undone; the cards imported again after the undo
  (nothing may change: no merge comes back, nobody is made twice);
* 8,000 connections who all have one name (half with a profile, most at one of 300
  companies), into a new account, and again: the worst case for matching by name.

Targets: 30,000 connections under 20 s on both engines; the one-name file under 5 s.
Prints a table and writes benchmarks/results/import.json.

Memory, on SQLite (tracemalloc slows Python down, so it is measured apart): the peak of
Python's allocations during an import, above what was allocated before it, for the first third
of Connections.csv and for all of it,

* re-imported into the account that has them all (the index of known people is the same for
  both, so any difference comes from the file: streamed, it is about nil), and
* imported into a new, empty account (the difference per row is what the index keeps of
  each new person, the one thing that grows, with people rather than with the file).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TARGETS = {"connections": 20.0, "one name": 5.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/kring_imports_bench",
        help="a PostgreSQL database that may be emptied ('' to skip)",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the database of a measuring run
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_measure(args.child, memory=not args.no_memory)))
        return 0
    results: dict[str, Any] = {"machine": _machine()}
    engines = [("sqlite", "")] + ([("postgresql", args.postgres)] if args.postgres else [])
    for engine, url in engines:
        if url:
            _recreate_database(url)
        command = [sys.executable, __file__, "--child", url]
        if args.no_memory or url:
            command.append("--no-memory")  # memory is a property of the code, not the engine
        env = {**os.environ, "KRING_DATA_DIR": tempfile.mkdtemp(prefix="kring-bench-")}
        env.pop("KRING_DATABASE_URL", None)
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        results[engine] = json.loads(out.stdout.strip().splitlines()[-1])
    _print(results)
    target = ROOT / "benchmarks" / "results" / "import.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {target.relative_to(ROOT)}")
    return 0


def _machine() -> dict[str, Any]:
    return {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
    }


def _recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'drop database if exists "{name}" with (force)')
        connection.execute(f'create database "{name}"')


# -- the files ----------------------------------------------------------------------------------


def _files(folder: Path, n_connections: int, n_cards: int) -> dict[str, tuple[Path, int]]:
    from faker import Faker
    from tests.imports.samples import connection, connections_csv, many_connections, vcard

    connections = folder / "Connections.csv"
    connections.write_bytes(many_connections(n_connections))
    cards = folder / "contacts.vcf"
    fake = Faker(["nl_BE", "nl_NL"])
    fake.seed_instance(2)
    with cards.open("w", encoding="utf-8", newline="") as out:
        for i in range(n_cards):
            out.write(
                vcard(
                    fake.first_name(),
                    fake.last_name(),
                    emails=(f"person{i}@example{i % 97}.be",),
                    phones=(f"+32 470 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d}",),
                    org=f"Bedrijf {i % 500}",
                    title="Zaakvoerder",
                )
            )
    # Cards of people among the connections: their profile, and what LinkedIn did not have.
    rows = list(csv.DictReader(io.StringIO(connections.read_text().split("\n\n", 1)[1])))
    merge_cards = folder / "phone.vcf"
    picked = rows[::6]
    with merge_cards.open("w", encoding="utf-8", newline="") as out:
        for i, row in enumerate(picked):
            card = vcard(
                row["First Name"],
                row["Last Name"],
                phones=(f"+32 478 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d}",),
                bday=f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}",
            )
            out.write(card.replace("END:VCARD", f"URL:{row['URL']}\r\nEND:VCARD"))
    # 8,000 people called Jan Peeters.
    rng = random.Random(8)
    companies = [f"Bedrijf {c}" for c in range(300)]
    one_name_rows = [
        connection(
            "Jan",
            "Peeters",
            "" if rng.random() < 0.1 else rng.choice(companies),
            slug=f"jan-peeters-{i}" if i % 2 else "",
            on=f"{rng.randint(1, 28):02d} Mar {rng.randint(2012, 2025)}",
        )
        for i in range(8000)
    ]
    one_name = folder / "Connections-one-name.csv"
    one_name.write_bytes(connections_csv(one_name_rows))
    return {
        "connections": (connections, n_connections),
        "vcards": (cards, n_cards),
        "merges": (merge_cards, len(picked)),
        "one name": (one_name, len(one_name_rows)),
    }


# -- measuring (in the child process) -------------------------------------------------------------


def _measure(database_url: str, *, memory: bool) -> dict[str, Any]:
    if database_url:
        os.environ["KRING_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.config.settings")
    from kring.cli.django import setup

    setup()
    from kring.accounts.actions import user_sign_up
    from kring.core.importing import open_source
    from kring.imports.actions import import_sources, merge_undo
    from kring.imports.models import Merge

    n_connections = int(os.environ.get("KRING_BENCH_CONNECTIONS", 30_000))
    n_cards = int(os.environ.get("KRING_BENCH_CARDS", 10_000))
    folder = Path(tempfile.mkdtemp(prefix="kring-bench-files-"))
    files = _files(folder, n_connections, n_cards)
    user = user_sign_up(email="bench@example.be", password="a long benchmark secret")
    runs: list[dict[str, Any]] = []

    def run(label: str, kind: str, owner: Any) -> None:
        path, rows = files[kind]
        started, cpu = time.perf_counter(), time.process_time()
        report = import_sources(owner=owner, sources=open_source(path.name, path))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        runs.append(
            {
                "run": label,
                "rows": rows,
                "file_mb": round(path.stat().st_size / 1e6, 2),
                "seconds": round(seconds, 2),
                # This process's own CPU time: what the machine's other work does not inflate
                # (PostgreSQL's server work is not in it).
                "cpu_seconds": round(cpu, 2),
                "rows_per_second": round(rows / seconds),
                "target_seconds": TARGETS.get(label),
                "counts": report.counts,
            }
        )

    run("connections", "connections", user)
    run("vcards", "vcards", user)
    run("connections again", "connections", user)
    run("vcards again", "vcards", user)
    run("merges", "merges", user)
    undo = list(Merge.objects.filter(owner=user).order_by("id")[:500])
    started = time.perf_counter()
    for merge in undo:
        merge_undo(actor=user, merge=merge)
    undo_seconds = time.perf_counter() - started
    run("merges again, 500 undone", "merges", user)
    other = user_sign_up(email="one-name@example.be", password="a long benchmark secret")
    run("one name", "one name", other)
    run("one name again", "one name", other)
    result: dict[str, Any] = {
        "runs": runs,
        "undo": {
            "merges": len(undo),
            "seconds": round(undo_seconds, 2),
            "ms_per_merge": round(1000 * undo_seconds / max(1, len(undo)), 1),
        },
    }
    if memory:
        result["memory"] = _memory(user, files["connections"][0], n_connections, folder)
    return result


def _peak(owner: object, path: Path) -> float:
    """Peak traced allocation (bytes) of importing ``path``, above the level before it."""
    from kring.core.importing import open_source
    from kring.imports.actions import import_sources

    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    import_sources(owner=owner, sources=open_source(path.name, path))  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def _memory(owner: object, connections: Path, n: int, folder: Path) -> list[dict[str, object]]:
    from kring.accounts.actions import user_sign_up

    lines = connections.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name"))
    third = folder / "Connections-third.csv"
    third.write_text("".join(lines[: header + 1 + n // 3]), encoding="utf-8")
    out: list[dict[str, object]] = []
    for label, account in (
        ("again, same account", lambda: owner),
        ("new, empty account", None),
    ):
        peaks = []
        for path, rows in ((third, n // 3), (connections, n)):
            who = (
                account()
                if account
                else user_sign_up(
                    email=f"bench-{rows}-{len(out)}@example.be", password="a long benchmark secret"
                )
            )
            peaks.append((rows, path, _peak(who, path)))
        (small_rows, _, small), (big_rows, _, big) = peaks
        for rows, path, peak in peaks:
            row: dict[str, object] = {
                "import": f"connections {label}",
                "rows": rows,
                "file_mb": round(path.stat().st_size / 1e6, 2),
                "peak_mb": round(peak / 1e6, 1),
            }
            if rows == big_rows:
                row["bytes_per_extra_row"] = round((big - small) / (big_rows - small_rows))
            out.append(row)
    return out


# -- the table ------------------------------------------------------------------------------------


def _print(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    machine = results["machine"]
    console = Console(width=140)
    table = Table(
        title=f"Import ({machine['machine']}, Python {machine['python']}, {machine['cpus']} CPUs, "
        f"load {machine['load_average_at_start']})"
    )
    for column in (
        "run",
        "rows",
        "engine",
        "seconds",
        "CPU s",
        "rows/s",
        "target",
        "new",
        "merged",
        "unchanged",
        "proposed",
    ):
        table.add_column(column, justify="left" if column in {"run", "engine"} else "right")
    engines = [e for e in ("sqlite", "postgresql") if e in results]
    for index, r in enumerate(results[engines[0]]["runs"]):
        for engine in engines:
            run = results[engine]["runs"][index]
            c = run["counts"]
            target = run.get("target_seconds")
            table.add_row(
                r["run"],
                str(run["rows"]),
                engine,
                str(run["seconds"]),
                str(run["cpu_seconds"]),
                str(run["rows_per_second"]),
                f"< {target:g}" if target else "",
                str(c["new"]),
                str(c["merged"]),
                str(c["unchanged"]),
                str(c["proposed"]),
            )
    console.print(table)
    for engine in engines:
        undo = results[engine]["undo"]
        console.print(
            f"{engine}: {undo['merges']} merges undone in {undo['seconds']} s "
            f"({undo['ms_per_merge']} ms each)"
        )
    memory = results[engines[0]].get("memory")
    if memory:
        mem = Table(title="Peak Python memory of one import (tracemalloc, SQLite), by file size")
        for column in ("import", "rows", "file MB", "peak MB", "per extra row"):
            mem.add_column(column, justify="left" if column == "import" else "right")
        for m in memory:
            extra = f"{m['bytes_per_extra_row']} B" if "bytes_per_extra_row" in m else ""
            mem.add_row(m["import"], str(m["rows"]), str(m["file_mb"]), str(m["peak_mb"]), extra)
        console.print(mem)


if __name__ == "__main__":
    sys.exit(main())
