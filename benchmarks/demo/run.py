"""How long the demo club takes to load (issue target: under 30 s), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/demo/run.py [--postgres URL] [--json benchmarks/results/demo.json]

Each database gets a fresh, empty schema; the figure is the wall time of load_demo_club(), and
apart the part of it spent on the club's year of dinners, referrals and one-to-ones
(kring.demo.life.load_club_year, most of it in the seating engine).
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
import kring.demo.club
from kring.clubs.models import Meeting, Referral
from kring.people.models import Interaction, Person
year_seconds = []
inner = kring.demo.club.load_club_year
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return inner(*args, **kwargs)
    finally:
        year_seconds.append(time.perf_counter() - start)
kring.demo.club.load_club_year = timed
start = time.perf_counter()
kring.demo.club.load_demo_club(seed=2026, members=40)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "club_year_seconds": sum(year_seconds),
                  "people": Person.objects.count(),
                  "interactions": Interaction.objects.count(),
                  "meetings": Meeting.objects.count(), "referrals": Referral.objects.count()}))
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
    table = Table(
        "database",
        "people",
        "interactions",
        "meetings",
        "referrals",
        "club year (s)",
        "load (s)",
        "target (s)",
    )
    for name, r in results.items():
        table.add_row(
            name,
            str(r["people"]),
            str(r["interactions"]),
            str(r["meetings"]),
            str(r["referrals"]),
            f"{r['club_year_seconds']:.1f}",
            f"{r['seconds']:.1f}",
            "30",
        )
    Console(width=120).print(table)
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
