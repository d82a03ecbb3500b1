"""The keep-warm planner on a real database: 5,000 relationships, 200,000 interactions.

    .venv/bin/python benchmarks/planner/run.py [--postgres URL|''] [--requests 60]

Reports, on SQLite and PostgreSQL: recomputing every strength from the database; building the
week's plan from those strengths (the rest of the data read, the plan solved); the whole
rebuild as the page's button does it (strengths + plan + writing the touches); and rendering
the plan page (p50/p95 over repeated requests through Django's test client, in process).
Targets: strengths < 1 s, plan < 200 ms, page p95 < 150 ms. Writes benchmarks/results/planner.json.
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

CHILD = r"""
import datetime as dt, json, random, statistics, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("flush", interactive=False, verbosity=0)
from django.conf import settings
settings.ALLOWED_HOSTS = ["testserver"]
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from kring.accounts.models import User
from kring.people.models import Interaction, Person, Relationship
from kring.core.names import sort_key
from kring.planner.actions import week_plan_build
from kring.people.adapters import relationship_facts

N_REL, N_INT = 5000, 200000
rng = random.Random(1)
now = timezone.now()
user = User.objects.create(email="bench@example.be", username="bench@example.be",
                           password=make_password("x"), language="en")
people = Person.objects.bulk_create(
    [Person(owner=user, given_name=f"P{i}", surname=f"S{i}",
            sort_name=sort_key(f"P{i}", "", f"S{i}")) for i in range(N_REL)], batch_size=2000)
tiers = ["A"] * 500 + ["B"] * 2500 + ["C"] * 2000
Relationship.objects.bulk_create(
    [Relationship(owner=user, person=p, tier=t) for p, t in zip(people, tiers)], batch_size=2000)
channels = ["in_person", "call", "email", "message", "small_group", "event", "other"]
interactions = Interaction.objects.bulk_create([
    Interaction(owner=user, occurred_at=now - dt.timedelta(seconds=rng.uniform(0, 3 * 365 * 86400)),
                channel=rng.choice(channels), minutes=rng.choice([5, 10, 30, 60]),
                initiated_by=rng.choice(["me", "them", "both"]),
                answered=rng.choice([None, True, False]))
    for _ in range(N_INT)], batch_size=5000)
link = Interaction.people.through
link.objects.bulk_create([link(interaction=i, person=people[rng.randrange(N_REL)])
                          for i in interactions], batch_size=10000)
# A server's autovacuum analyses tables this size within a minute of such a load; without it
# PostgreSQL plans the strengths' join for empty tables (a hash that spills to disk).
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter(); fn(); times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)

from kring.core.planning import plan_week
from kring.planner.actions import planner_settings_get
from kring.planner.adapters import cadences, plan_people
from kring.planner.queries import week_start

strength_best, strength_median = best(lambda: relationship_facts(user, now=now))
facts = relationship_facts(user, now=now)
week = week_start(timezone.localtime(now).date())
found = planner_settings_get(user)

def plan_from_strengths():
    people = plan_people(user, week=week, now=now, facts=facts)
    return plan_week(people, week_start=week, budget_minutes=user.weekly_budget_minutes,
                     cadences=cadences(found))

plan_best, plan_median = best(plan_from_strengths)
build_best, build_median = best(lambda: week_plan_build(user=user, now=now))
client = Client()
client.force_login(user)
client.get("/plan/")
samples = []
for _ in range(REQUESTS):
    start = time.perf_counter()
    response = client.get("/plan/")
    samples.append(time.perf_counter() - start)
    assert response.status_code == 200
samples.sort()
print(json.dumps({
    "relationships": N_REL, "interactions": N_INT,
    "strengths_s": strength_median, "strengths_best_s": strength_best,
    "plan_s": plan_median, "plan_best_s": plan_best,
    "build_s": build_median, "build_best_s": build_best,
    "page_p50_ms": 1000 * samples[len(samples) // 2],
    "page_p95_ms": 1000 * samples[int(len(samples) * 0.95) - 1],
    "touches": len(week_plan_build(user=user, now=now)[1]),
}))
"""


def measure(database_url: str | None, requests: int) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kring.config.settings"}
    env["KRING_DATA_DIR"] = tempfile.mkdtemp(prefix="kring-bench-")
    env.pop("KRING_DATABASE_URL", None)
    if database_url:
        env["KRING_DATABASE_URL"] = database_url
    code = CHILD.replace("REQUESTS", str(requests))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("select 1 from pg_database where datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'create database "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/kring_bench",
        help="a PostgreSQL database that may be emptied ('' to skip)",
    )
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/planner.json"))
    args = parser.parse_args()
    results = {"sqlite": measure(None, args.requests)}
    if args.postgres:
        _create_database(args.postgres)
        results["postgresql"] = measure(args.postgres, args.requests)
    table = Table(
        "database",
        "strengths (s)",
        "plan (s)",
        "build + store (s)",
        "page p50 (ms)",
        "page p95 (ms)",
        "touches",
        title="5,000 relationships, 200,000 interactions",
    )
    for name, r in results.items():
        table.add_row(
            name,
            f"{r['strengths_s']:.3f}",
            f"{r['plan_s']:.3f}",
            f"{r['build_s']:.3f}",
            f"{r['page_p50_ms']:.1f}",
            f"{r['page_p95_ms']:.1f}",
            str(r["touches"]),
        )
    table.add_row("target", "< 1", "< 0.2", "", "", "< 150", "")
    Console().print(table)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
