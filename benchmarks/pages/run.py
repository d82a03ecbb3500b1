"""Every page of the demo club, as its organiser and as a member, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/pages/run.py [--postgres URL|''] [--repeat 10]
        [--sqlite-dir DIR] [--reload] [--only NAME,...] [--json benchmarks/results/pages.json]

Each database is loaded with the demo club (`kring demo`: 40 members, ~9,000 shared
relationships, a year of dinners) unless it holds it already (--reload loads it afresh). Each
page is then requested in process through Django's test client, logged in as the organiser and
as an ordinary member: once cold (the first request of the process, with whatever it builds on
the way) and ``--repeat`` times warm. Reported per page: server time p50/p95 of the warm
requests, the cold request, the server thread's CPU time (p50: what the page costs on a
machine that is not shared; on PostgreSQL the database's own time is not in it), on PostgreSQL
on this machine the CPU its backend spent on the page (a mean over the warm requests, read
from /proc: a tick is 10 ms, so ten requests or more), HTML size and the number of queries.
Targets (issue 13 and 16): p95 < 300 ms and < 300 KB for every page, p50 < 50 ms.

The pooled network is built by the worker when ties change (kring.network.tasks); before the
pages are timed the benchmark builds it once, as `kring worker` does at its start, and warms
the process up as `kring serve` does (graph kernels and snapshots loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 300.0
TARGET_MEDIAN_MS = 50.0
TARGET_KB = 300.0


def _pages(organiser_or_member: object) -> list[tuple[str, str]]:
    """(name, url) of every page a logged-in user of the demo club opens."""
    from django.urls import reverse

    from kring.clubs.models import Meeting
    from kring.network.models import Introduction
    from kring.people.models import Organisation, Person, Share, ShareLevel
    from kring.workspaces.models import Workspace

    user = organiser_or_member
    club = Workspace.objects.filter(kind=Workspace.Kind.CLUB, members=user).order_by("id").first()
    assert club is not None, "the demo club is not loaded"
    w = club.pk
    person = Person.objects.filter(owner=user).order_by("id").first()
    organisation = (
        Organisation.objects.filter(owner=user, people__isnull=False).order_by("id").first()
    )
    meetings = Meeting.objects.filter(workspace=club)
    upcoming = meetings.filter(starts_at__gte=_now()).order_by("starts_at").first()
    meeting = upcoming or meetings.order_by("-starts_at").first()
    other = club.members.exclude(pk=user.pk).order_by("id").first()
    share = (
        Share.objects.filter(workspace=club, level=ShareLevel.NAME_ROLE)
        .exclude(relationship__owner=user)
        .select_related("relationship", "relationship__person__organisation")
        .order_by("id")
        .first()
    )
    introduction = (
        Introduction.objects.filter(workspace=club, requester=user).order_by("id").first()
        or Introduction.objects.filter(workspace=club, connector=user).order_by("id").first()
    )
    assert person and organisation and meeting and other and share
    target_org = share.relationship.person.organisation
    pages = [
        ("dashboard", reverse("dashboard")),
        ("people", reverse("people")),
        ("people search", reverse("people") + "?q=jan"),
        ("person", reverse("person", args=[person.pk])),
        ("organisations", reverse("organisations")),
        ("organisation", reverse("organisation", args=[organisation.pk])),
        ("own asks", reverse("asks")),
        ("notes", reverse("notes")),
        ("plan", reverse("plan")),
        ("tier review", reverse("tier_review")),
        ("insight", reverse("insight")),
        ("planner settings", reverse("planner_settings")),
        ("settings", reverse("settings")),
        ("import", reverse("import")),
        ("proposals", reverse("proposals")),
        ("workspaces", reverse("workspaces")),
        ("club home", reverse("workspace", args=[w])),
        ("paths (form)", reverse("workspace_paths", args=[w])),
        (
            "paths (organisation)",
            reverse("workspace_paths", args=[w])
            + "?organisation="
            + (target_org.name if target_org else "")
            + "&k=5&hops=3",
        ),
        ("paths (role)", reverse("workspace_paths", args=[w]) + "?role=cfo&k=5&hops=3"),
        ("shared", reverse("workspace_shared", args=[w])),
        ("shared search", reverse("workspace_shared", args=[w]) + "?q=bank"),
        ("club asks", reverse("club_asks", args=[w])),
        ("introductions", reverse("introductions", args=[w])),
        ("member card", reverse("member_card", args=[w, other.pk])),
        (
            "brief",
            reverse("brief", args=[w, share.relationship.owner_id, share.relationship.person_id]),
        ),
        ("meetings", reverse("meetings", args=[w])),
        ("meeting", reverse("meeting", args=[meeting.pk])),
        ("my table", reverse("my_table", args=[meeting.pk])),
        ("members", reverse("club_members", args=[w])),
        ("ledger", reverse("club_ledger", args=[w])),
    ]
    if introduction is not None:
        pages.append(("introduction", reverse("introduction", args=[introduction.pk])))
    return pages


def _now():  # type: ignore[no-untyped-def]
    from kring.lib import clock

    return clock.now()


def child(repeat: int, reload: bool, only: set[str]) -> dict:
    """Runs in a fresh interpreter with the engine's environment set."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kring.accounts.models import User
    from kring.demo.club import demo_login, erase_everything, is_empty, load_demo_club
    from kring.workspaces.models import Membership, Workspace

    if reload and not is_empty():
        erase_everything()
    if is_empty():
        start = time.perf_counter()
        load_demo_club()
        print(f"  demo club loaded in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    setup_test_environment()  # locmem e-mail, "testserver" allowed
    warm_up = _warm_up()
    login = demo_login()
    organiser = User.objects.get(email=login)
    club = Workspace.objects.get(kind=Workspace.Kind.CLUB, members=organiser)
    member = (
        User.objects.filter(memberships__workspace=club, memberships__role=Membership.Role.MEMBER)
        .order_by("id")
        .first()
    )
    assert member is not None
    results: dict[str, dict] = {"warm_up_seconds": warm_up, "pages": {}}
    for role, user in (("organiser", organiser), ("member", member)):
        client = Client()
        client.force_login(user)
        for name, url in _pages(user):
            if only and name not in only:
                continue
            times, cpu = [], []
            size = queries = status = 0
            database_cpu = _database_cpu()
            for i in range(repeat + 1):
                if i == 1:  # the warm requests only
                    database_cpu = _database_cpu()
                with CaptureQueriesContext(connection) as captured:
                    start, start_cpu = time.perf_counter(), time.thread_time()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - start) * 1000
                    elapsed_cpu = (time.thread_time() - start_cpu) * 1000
                status = response.status_code
                if i == 0:
                    cold = elapsed
                    size = len(response.content)
                    queries = len(captured.captured_queries)
                else:
                    times.append(elapsed)
                    cpu.append(elapsed_cpu)
            times.sort()
            results["pages"][f"{role}: {name}"] = {
                "role": role,
                "page": name,
                "url": url,
                "status": status,
                "cold_ms": cold,
                "p50_ms": statistics.median(times),
                "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "cpu_p50_ms": statistics.median(cpu),
                # PostgreSQL's own CPU for the page (its backend, read from /proc on this
                # machine), a mean over the warm requests; None on SQLite.
                "db_cpu_ms": (
                    None
                    if database_cpu is None
                    else (_database_cpu() - database_cpu) / max(1, repeat)  # type: ignore[operator]
                ),
                "kb": size / 1024,
                "queries": queries,
            }
            print(f"  {role}: {name} {statistics.median(times):.0f} ms", file=sys.stderr)
    return results


def _database_cpu() -> float | None:
    """Milliseconds of CPU the PostgreSQL backend of this process's connection has used, when
    it runs on this machine; None on SQLite or a server elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _warm_up() -> float:
    """What `kring worker` does after the demo is loaded: build every workspace's pooled
    network snapshot. Returns the seconds it took (0 when the snapshot was there already)."""
    try:
        from kring.network.adapters import ensure_snapshots, warm_up
    except ImportError:  # before the snapshot existed: nothing is built outside a request
        return 0.0
    start = time.perf_counter()
    ensure_snapshots(now=_now())
    seconds = time.perf_counter() - start
    warm_up()  # as `kring serve` does before its first page
    try:
        from kring.cli.server import freeze_heap
    except ImportError:  # before the server froze its heap after the warm-up
        return seconds
    freeze_heap()
    return seconds


def measure(database_url: str | None, args: argparse.Namespace) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kring.config.settings"}
    env.pop("KRING_DATABASE_URL", None)
    env["KRING_DATA_DIR"] = args.sqlite_dir or tempfile.mkdtemp(prefix="kring-pages-")
    if database_url:
        env["KRING_DATABASE_URL"] = database_url
        env["KRING_DATA_DIR"] = tempfile.mkdtemp(prefix="kring-pages-pg-")
    command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)]
    if args.reload:
        command.append("--reload")
    if args.only:
        command += ["--only", args.only]
    out = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/kring_bench",
        help="a PostgreSQL database that holds the demo club or may be filled ('' to skip)",
    )
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--sqlite-dir", default="", help="a data directory to keep (reused)")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--reload", action="store_true", help="load the demo club afresh")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/pages.json"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    if args.child:
        print(json.dumps(child(args.repeat, args.reload, only)))
        return 0
    results = {}
    if args.sqlite:
        results["sqlite"] = measure(None, args)
    if args.postgres:
        _create_database(args.postgres)
        results["postgresql"] = measure(args.postgres, args)
    _print(results)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _print(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    engines = list(results)
    columns = ("p50", "p95", "cold", "cpu", "db cpu")
    table = Table("page", *[f"{e} {c}" for e in engines for c in columns], "KB", "q")
    rows = results[engines[0]]["pages"]
    worst = 0.0
    for key, first in rows.items():
        cells = []
        for engine in engines:
            r = results[engine]["pages"].get(key)
            if r is None:
                cells += ["-"] * len(columns)
                continue
            worst = max(worst, r["p95_ms"])
            flag = "!" if r["p95_ms"] > TARGET_MS else ""
            cells += [
                f"{r['p50_ms']:.0f}",
                f"{r['p95_ms']:.0f}{flag}",
                f"{r['cold_ms']:.0f}",
                f"{r['cpu_p50_ms']:.0f}",
                "-" if r.get("db_cpu_ms") is None else f"{r['db_cpu_ms']:.1f}",
            ]
        kb = f"{first['kb']:.0f}" + ("!" if first["kb"] > TARGET_KB else "")
        queries = "/".join(str(results[e]["pages"][key]["queries"]) for e in engines)
        status = "" if first["status"] == 200 else f" [{first['status']}]"
        table.add_row(key + status, *cells, kb, queries)
    Console(width=160).print(table)
    for engine in engines:
        seconds = results[engine]["warm_up_seconds"]
        print(f"{engine}: pooled network built before timing in {seconds:.1f} s")
    print(f"worst p95: {worst:.0f} ms (target {TARGET_MS:.0f} ms)")


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
