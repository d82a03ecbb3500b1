"""How long the demo club takes to load (issue target: under 30 s), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/demo/run.py [--postgres URL] [--json benchmarks/results/demo.json]

Each database gets a fresh, empty schema; the figure is the wall time of load_demo_club().
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("flush", interactive=False, verbosity=0)
from kring.demo.club import load_demo_club
from kring.people.models import Interaction, Person
start = time.perf_counter()
load_demo_club(seed=2026, members=40)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "people": Person.objects.count(),
                  "interactions": Interaction.objects.count()}))
"""


def measure(database_url: str | None) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kring.config.settings"}
    env["KRING_DATA_DIR"] = tempfile.mkdtemp(prefix="kring-bench-")
    env.pop("KRING_DATABASE_URL", None)
    if database_url:
        env["KRING_DATABASE_URL"] = database_url
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/kring_bench",
        help="a PostgreSQL database that may be emptied ('' to skip)",
    )
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/demo.json"))
    args = parser.parse_args()
    results = {"sqlite": measure(None)}
    if args.postgres:
        _create_database(args.postgres)
        results["postgresql"] = measure(args.postgres)
    table = Table("database", "people", "interactions", "load (s)", "target (s)")
    for name, r in results.items():
        table.add_row(name, str(r["people"]), str(r["interactions"]), f"{r['seconds']:.1f}", "30")
    Console().print(table)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'create database "{name}"')


if __name__ == "__main__":
    sys.exit(main())
