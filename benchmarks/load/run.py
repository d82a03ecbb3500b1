"""A club's server under load: the demo club on PostgreSQL behind `kring serve --production`.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/load/run.py [--quick] [--levels 10,25,50] [--duration 60]
        [--postgres URL] [--json benchmarks/results/load.json]

What it does (issue 16, "Speed"):

1. creates a fresh PostgreSQL database (``--postgres``, default ``kring_load_bench``; dropped
   at the end unless ``--keep``), loads the demo club into it with as many members as the
   largest level, builds the club's pooled network and every member's plan for this week (as
   `kring worker` and the weekly digest do);
2. starts `kring serve --production` (gunicorn, one process per core) on a free loopback port
   and `kring worker` beside it (at nice 10, as docs/server.md runs it), in development mode
   (DEBUG stays off; production mode's secure cookies would never come back over the plain
   HTTP of loopback);
3. signs every member in through the log-in page, with the password every demo member has
   (`kring-demo`). The sign-in throttle (django-axes) counts only failed attempts, so right
   passwords never trip it and the benchmark changes none of its settings;
4. for each level (10, 25 and 50 members) has each member ask a page, then wait 1–3 s (seeded
   random think time), for ``--duration`` seconds (60; ``--quick``: 10) from a mix of pages:
   dashboard, people search, a person, this week's plan, the next meeting, my table there,
   introduction paths to an organisation, the club's asks, and one write in ten (log a contact,
   or mark a plan item done: a POST through the page's form, its redirect not followed);
5. one run without think time (``--saturation-members``) for the saturation throughput;
6. one run with a client that holds 200 connections open and idle (``--idle``) while a few
   members browse: they must still be served.

Reported per level and page: p50/p95/p99 of the time to the last byte, the number of requests
and of errors (a status of 400 or more, a refused or broken connection), and per level the
throughput and the server's memory: the sum of the resident set (RSS) of the gunicorn master
and its processes, read from /proc at the end of the level (and the largest seen), plus the
proportional set (PSS: shared pages counted once) which is what the machine really gives it.
Also per level: the CPU time each part of the machine paid per request — the server's
processes, the PostgreSQL backends of the benchmark's database, the worker (its rebuilds of
the pooled network after contacts are logged) and this client — which says where the cores
went, whatever else the machine was doing.
Targets: at 50 members every page's p95 under 300 ms, no error, and memory that does not grow
with the number of members who viewed pages.

The client is one asyncio process (aiohttp), each member with its own cookie jar and one
keep-alive connection, like a browser tab; like a browser it sends a request again, once, when
the server closed the kept-alive connection just as the request went out (counted in the table).
It runs on the same cores as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 300.0
PASSWORD = "kring-demo"

# (page, weight): one write in ten.
MIX: list[tuple[str, int]] = [
    ("dashboard", 14),
    ("people search", 12),
    ("person", 14),
    ("plan", 10),
    ("meeting", 10),
    ("my table", 10),
    ("paths", 10),
    ("asks", 10),
    ("log a contact", 5),
    ("plan item done", 5),
]
SEARCHES = ["jan", "de", "peeters", "an", "bv", "maes", "wout", "van"]


# --- the database, loaded in a child interpreter (Django is never imported by the client) ---


def setup_child(members: int, seed: int) -> dict[str, Any]:
    """Runs with KRING_DATABASE_URL set: migrate, load the demo club, build the network and
    this week's plans; returns what the client needs to know of each member."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kring.accounts.models import User
    from kring.clubs.models import Meeting
    from kring.demo.club import load_demo_club
    from kring.lib import clock
    from kring.network.adapters import ensure_snapshots
    from kring.people.models import Channel, Initiator, Person, Share, ShareLevel
    from kring.planner import actions as planner_actions
    from kring.planner import queries as planner_queries

    start = time.perf_counter()
    club = load_demo_club(seed=seed, members=members)
    loaded = time.perf_counter() - start
    now = clock.now()
    start = time.perf_counter()
    ensure_snapshots(now=now)
    network = time.perf_counter() - start
    meetings = Meeting.objects.filter(workspace=club)
    meeting = (
        meetings.filter(starts_at__gte=now).order_by("starts_at").first()
        or meetings.order_by("-starts_at").first()
    )
    assert meeting is not None, "the demo club has no meeting"
    users = list(User.objects.filter(memberships__workspace=club).order_by("id"))
    found = []
    for user in users:
        today = clock.today(clock.zone_of(user), now)
        planner_actions.week_plan_build(
            user=user, now=now, week=planner_queries.week_start(today), via="digest"
        )
        people = list(
            Person.objects.filter(owner=user).order_by("id").values_list("pk", flat=True)[:30]
        )
        shared = (
            Share.objects.filter(workspace=club)
            .exclude(level=ShareLevel.NONE)
            .exclude(relationship__owner=user)
            .exclude(relationship__person__organisation=None)
            .values_list("relationship__person__organisation__name", flat=True)
        )
        organisations = sorted(set(shared[:200]))[:20]
        found.append(
            {"email": user.email, "people": people, "organisations": organisations or ["bank"]}
        )
    return {
        "club": club.pk,
        "meeting": meeting.pk,
        "members": found,
        "channel": Channel.CALL.value,
        "initiated_by": Initiator.ME.value,
        "load_seconds": loaded,
        "network_seconds": network,
    }


# --- the server ---


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def server_memory(master: int) -> dict[str, float]:
    """MB of the gunicorn master and its worker processes: RSS summed, PSS summed."""
    pids = [master, *_children(master)]
    rss = sum(_kb(Path(f"/proc/{p}/status"), "VmRSS:") for p in pids)
    pss = sum(_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:") for p in pids)
    return {"rss_mb": rss / 1024, "pss_mb": pss / 1024, "processes": len(pids)}


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (their reaped children included)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after ')': state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state
        total += sum(int(x) for x in fields[11:15])
    return total / _TICK


def _postgres_backends(url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the benchmark's database
    (other databases on the same server, and this query's own backend, left out)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
        ).fetchall()
    return {pid: _cpu_seconds([pid]) for (pid,) in rows}


class Server:
    def __init__(self, env: dict[str, str], workers: int, threads: int, logs: Path) -> None:
        self.database = env["KRING_DATABASE_URL"]
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        kring = str(Path(sys.executable).with_name("kring"))
        command = [kring, "serve", "--production", "--host", "127.0.0.1"]
        command += ["--port", str(self.port)]
        if threads:
            command += ["--threads", str(threads)]
        if workers:
            command += ["--workers", str(workers)]
        self.log = (logs / "server.log").open("wb")
        self.worker_log = (logs / "worker.log").open("wb")
        self.server = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        # At a lower priority, as docs/server.md's unit runs it (Nice=10): its rebuilds of the
        # pooled network after contacts are logged must not slow the pages down.
        self.worker = subprocess.Popen(
            ["nice", "-n", "10", kring, "worker"],
            env=env,
            stdout=self.worker_log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"kring serve stopped (see {self.log.name})")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"kring serve did not answer /healthz in {timeout:.0f} s")

    def memory(self) -> dict[str, float]:
        return server_memory(self.server.pid)

    def cpu(self) -> dict[str, Any]:
        """CPU seconds used so far by the server, the worker and this client, and by each
        PostgreSQL backend serving the benchmark's database."""
        client = os.times()
        return {
            "server": _cpu_seconds([self.server.pid, *_children(self.server.pid)]),
            "worker": _cpu_seconds([self.worker.pid, *_children(self.worker.pid)]),
            "postgres": _postgres_backends(self.database),
            "client": client.user + client.system,
        }

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.server, self.worker):
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()
        self.worker_log.close()


# --- the client ---


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    retried: int = 0  # requests sent again after the server closed a kept-alive connection
    # What the server said of each answer in its Server-Timing header (KRING_SERVER_TIMING):
    # {"app": wall ms in Django, "cpu": its thread's CPU ms, "db": SQL ms, "gc": collector ms}.
    served: dict[str, list[dict[str, float]]] = field(default_factory=dict)

    def add(
        self, page: str, ms: float, error: str | None, served: dict[str, float] | None = None
    ) -> None:
        self.times.setdefault(page, [])
        self.errors.setdefault(page, [])
        if error is None:
            self.times[page].append(ms)
            if served:
                self.served.setdefault(page, []).append({**served, "client": ms})
        else:
            self.errors[page].append(error)


def parse_server_timing(value: str) -> dict[str, float]:
    """``{"app": 12.3, "cpu": 10.1, "db": 1.2, "gc": 0.0}`` from a Server-Timing header
    (kring.lib.timing writes it; metrics without a duration are left out)."""
    found: dict[str, float] = {}
    for metric in value.split(","):
        name, *parameters = (part.strip() for part in metric.split(";"))
        for parameter in parameters:
            key, _, number = parameter.partition("=")
            if key == "dur":
                with contextlib.suppress(ValueError):
                    found[name] = float(number)
    return found


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOUCH_DONE = re.compile(r'action="(/plan/touches/\d+/done/)"')


class Member:
    def __init__(self, index: int, facts: dict[str, Any], world: dict[str, Any], url: str):
        import aiohttp

        self.index = index
        self.email = facts["email"]
        self.facts = facts
        self.world = world
        self.url = url
        # unsafe: keep cookies from an IP address (127.0.0.1); one connection, as a tab.
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=120),
        )
        self.done_urls: list[str] = []

    def csrf(self) -> str:
        for cookie in self.session.cookie_jar:
            if cookie.key == "csrftoken":
                return cookie.value
        return ""

    async def log_in(self) -> None:
        async with self.session.get(self.url + "/login/") as answer:
            token = CSRF_FIELD.search(await answer.text())
        assert token, "no CSRF token on the log-in page"
        form = {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        async with self.session.post(
            self.url + "/login/", data=form, allow_redirects=False
        ) as answer:
            await answer.read()
            if answer.status != 302:
                raise SystemExit(f"{self.email} could not sign in: HTTP {answer.status}")

    def _get(self, page: str, rng: random.Random) -> str:
        facts, world = self.facts, self.world
        if page == "dashboard":
            return "/"
        if page == "people search":
            return "/people/?q=" + rng.choice(SEARCHES)
        if page == "person":
            return f"/people/{rng.choice(facts['people'])}/"
        if page == "plan":
            return "/plan/"
        if page == "meeting":
            return f"/meetings/{world['meeting']}/"
        if page == "my table":
            return f"/meetings/{world['meeting']}/my-table/"
        if page == "paths":
            from urllib.parse import quote

            organisation = quote(rng.choice(facts["organisations"]))
            return f"/workspaces/{world['club']}/paths/?organisation={organisation}&k=5&hops=3"
        if page == "asks":
            return f"/workspaces/{world['club']}/asks/"
        raise AssertionError(page)

    async def request(self, page: str, rng: random.Random, stats: Stats) -> None:
        if page == "plan item done" and not self.done_urls:
            page = "log a contact"  # nothing left to mark done this week
        headers = {}
        if page == "log a contact":
            method, path = "POST", f"/people/{rng.choice(self.facts['people'])}/log/"
            data: dict[str, str] | None = {
                "channel": self.world["channel"],
                "minutes": "5",
                "initiated_by": self.world["initiated_by"],
                "summary": "load benchmark",
            }
        elif page == "plan item done":
            method, path, data = "POST", self.done_urls.pop(), {"answered": "yes"}
        else:
            method, path, data = "GET", self._get(page, rng), None
        if data is not None:
            data["csrfmiddlewaretoken"] = self.csrf()
            headers["X-CSRFToken"] = data["csrfmiddlewaretoken"]
        import aiohttp

        error = None
        served: dict[str, float] | None = None
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                async with self.session.request(
                    method, self.url + path, data=data, headers=headers, allow_redirects=False
                ) as answer:
                    body = await answer.read()
                    served = parse_server_timing(answer.headers.get("Server-Timing", ""))
                    if answer.status >= 400 or (method == "GET" and answer.status != 200):
                        error = f"HTTP {answer.status} {path}"
                break
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                # The server closed the kept-alive connection as the request went out (its idle
                # timeout): a browser sends the request again on a new one, once. Counted. A
                # connection refused is an error at once.
                body = b""
                if attempt == 1 and not isinstance(exc, aiohttp.ClientConnectorError):
                    stats.retried += 1
                    continue
                error = f"{type(exc).__name__} ({exc}) {path}"
            except Exception as exc:  # a refused, reset or timed-out connection is an error
                error = f"{type(exc).__name__} ({exc}) {path}"
                body = b""
                break
        ms = (time.perf_counter() - start) * 1000
        stats.add(page, ms, error, served)
        if page == "plan" and error is None:
            self.done_urls = list(dict.fromkeys(TOUCH_DONE.findall(body.decode())))

    async def browse(
        self, until: float, think: tuple[float, float], rng: random.Random, stats: Stats
    ) -> None:
        pages, weights = zip(*MIX, strict=True)
        while time.monotonic() < until:
            await self.request(rng.choices(pages, weights)[0], rng, stats)
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))

    async def close(self) -> None:
        await self.session.close()


async def sign_in(members: list[Member], at_once: int = 4) -> float:
    """Every member signs in through the page (a few at a time, as they would arrive)."""
    gate = asyncio.Semaphore(at_once)

    async def one(member: Member) -> None:
        async with gate:
            await member.log_in()

    start = time.perf_counter()
    await asyncio.gather(*(one(m) for m in members))
    return time.perf_counter() - start


async def run_level(
    members: list[Member],
    seconds: float,
    think: tuple[float, float],
    seed: int,
    server: Server,
) -> dict[str, Any]:
    stats = Stats()
    peak: dict[str, float] = {"rss_mb": 0.0, "pss_mb": 0.0}
    until = time.monotonic() + seconds

    async def watch() -> None:
        while time.monotonic() < until:
            now = server.memory()
            peak["rss_mb"] = max(peak["rss_mb"], now["rss_mb"])
            peak["pss_mb"] = max(peak["pss_mb"], now["pss_mb"])
            await asyncio.sleep(1.0)

    start = time.perf_counter()
    cpu_before = server.cpu()
    rngs = [random.Random(seed * 1000 + m.index) for m in members]
    # Members start spread over the first think time, not all in the same millisecond.
    await asyncio.gather(
        watch(),
        *(
            _after(rng.uniform(0, think[1]), m.browse(until, think, rng, stats))
            for m, rng in zip(members, rngs, strict=True)
        ),
    )
    elapsed = time.perf_counter() - start
    cpu_after = server.cpu()
    result = _summary(stats, elapsed, server.memory(), peak)
    before, after = cpu_before.pop("postgres"), cpu_after.pop("postgres")
    result["cpu_seconds"] = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
    # Backends that closed during the level are missed; new ones counted from zero.
    result["cpu_seconds"]["postgres"] = sum(t - before.get(pid, 0.0) for pid, t in after.items())
    # CPU per request, every part counted: what the machine's cores pay for one page.
    result["cpu_ms_per_request"] = {
        k: 1000 * v / max(1, result["requests"]) for k, v in result["cpu_seconds"].items()
    }
    return result


async def _after(delay: float, work: Any) -> None:
    await asyncio.sleep(delay)
    await work


def _summary(
    stats: Stats, elapsed: float, memory: dict[str, float], peak: dict[str, float]
) -> dict[str, Any]:
    pages = {}
    total = errors = 0
    for page, _weight in MIX:
        times = stats.times.get(page, [])
        failed = stats.errors.get(page, [])
        total += len(times) + len(failed)
        errors += len(failed)
        if not times and not failed:
            continue
        pages[page] = {
            "requests": len(times) + len(failed),
            "errors": len(failed),
            "error_examples": sorted(set(failed))[:3],
            "p50_ms": statistics.median(times) if times else None,
            "p95_ms": _percentile(times, 0.95) if times else None,
            "p99_ms": _percentile(times, 0.99) if times else None,
            "server": _served(stats.served.get(page, [])),
        }
    return {
        "seconds": elapsed,
        "requests": total,
        "errors": errors,
        "retried_after_keepalive_close": stats.retried,
        "throughput_rps": total / elapsed,
        "memory": memory,
        "memory_peak": peak,
        "pages": pages,
    }


def _served(served: list[dict[str, float]]) -> dict[str, float] | None:
    """A page's answers as the server timed them: Django's wall time (p50, p95), the
    serving thread's CPU, SQL and collector time (means, the collector's worst too), and
    the time outside Django (p50: waiting for a thread, the HTTP server, the network)."""
    if not served:
        return None
    app = [s["app"] for s in served]
    outside = [s["client"] - s["app"] for s in served]
    return {
        "app_p50_ms": statistics.median(app),
        "app_p95_ms": _percentile(app, 0.95),
        "cpu_mean_ms": statistics.fmean(s["cpu"] for s in served),
        "db_mean_ms": statistics.fmean(s["db"] for s in served),
        "gc_mean_ms": statistics.fmean(s["gc"] for s in served),
        "gc_max_ms": max(s["gc"] for s in served),
        "outside_p50_ms": statistics.median(outside),
        "outside_p95_ms": _percentile(outside, 0.95),
    }


async def idle_check(
    server: Server, members: list[Member], idle: int, seconds: float, seed: int
) -> dict[str, Any]:
    """``idle`` connections opened and left silent while ``members`` browse."""
    sockets = []
    refused = 0
    for _ in range(idle):
        try:
            sockets.append(await asyncio.open_connection("127.0.0.1", server.port))
        except OSError:
            refused += 1
    result = await run_level(members, seconds, (1.0, 3.0), seed, server)
    still_open = sum(1 for reader, _writer in sockets if not reader.at_eof())
    for _reader, writer in sockets:
        writer.close()
    result.update(
        {"idle_connections": idle, "idle_refused": refused, "idle_open_at_end": still_open}
    )
    return result


async def drive(args: argparse.Namespace, world: dict[str, Any], server: Server) -> dict:
    levels = sorted({int(x) for x in args.levels.split(",")})
    everyone = [Member(i, facts, world, server.url) for i, facts in enumerate(world["members"])]
    try:
        seconds = await sign_in(everyone)
        print(f"  {len(everyone)} members signed in in {seconds:.1f} s", file=sys.stderr)
        results: dict[str, Any] = {"sign_in_seconds": seconds, "levels": {}}
        results["memory_before"] = server.memory()
        warm = 3.0 if args.quick else 10.0
        await run_level(everyone[: levels[0]], warm, (0.0, 0.0), args.seed, server)
        results["memory_after_warm_up"] = server.memory()
        for n in levels:
            print(f"  {n} members, {args.duration:.0f} s …", file=sys.stderr)
            level = await run_level(everyone[:n], args.duration, (1.0, 3.0), args.seed, server)
            results["levels"][str(n)] = level
            _say_level(f"{n} members", level)
        n = min(args.saturation_members, len(everyone))
        print(f"  saturation: {n} members without think time …", file=sys.stderr)
        results["saturation"] = await run_level(
            everyone[:n], args.duration, (0.0, 0.0), args.seed, server
        )
        results["saturation"]["members"] = n
        _say_level("saturation", results["saturation"])
        print(f"  {args.idle} idle connections held open …", file=sys.stderr)
        results["idle"] = await idle_check(
            server, everyone[:5], args.idle, max(10.0, args.duration / 2), args.seed
        )
        _say_level("idle check", results["idle"])
        return results
    finally:
        await asyncio.gather(*(m.close() for m in everyone))


def _say_level(name: str, level: dict[str, Any]) -> None:
    worst = max((p["p95_ms"] or 0 for p in level["pages"].values()), default=0)
    print(
        f"  {name}: {level['throughput_rps']:.1f} req/s, {level['errors']} errors, "
        f"worst p95 {worst:.0f} ms, RSS {level['memory']['rss_mb']:.0f} MB",
        file=sys.stderr,
    )


# --- the run ---


def _production_threads() -> int:
    from kring.cli.server import PRODUCTION_THREADS

    return PRODUCTION_THREADS


def _database(url: str, create: bool) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"--postgres: {name!r} is not a plain database name")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'drop database if exists "{name}" with (force)')
        if create:
            connection.execute(f'create database "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/kring_load_bench",
        help="a PostgreSQL database to create afresh, fill and drop (default: %(default)s)",
    )
    parser.add_argument("--levels", default="10,25,50", help="members at once (%(default)s)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per level")
    parser.add_argument("--quick", action="store_true", help="10 s per level, for iterating")
    parser.add_argument("--saturation-members", type=int, default=16)
    parser.add_argument("--idle", type=int, default=200, help="idle connections to hold open")
    parser.add_argument("--workers", type=int, default=0, help="server processes (0: per core)")
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per server process (0: the server's own)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/load.json"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--members", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(setup_child(args.members, args.seed)))
        return 0
    if args.quick:
        args.duration = 10.0
    levels = sorted({int(x) for x in args.levels.split(",")})
    if not levels or levels[0] < 1:
        parser.error("--levels: positive numbers, e.g. 10,25,50")
    members = max(levels[-1], args.saturation_members, 5)

    data_dir = Path(tempfile.mkdtemp(prefix="kring-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kring.config.settings",
        "KRING_DATABASE_URL": args.postgres,
        "KRING_DATA_DIR": str(data_dir),
        "KRING_MODE": "development",
        "KRING_BACKUP_AT": "off",
        # Each answer says how long Django worked on it: the table of where a page's time goes.
        "KRING_SERVER_TIMING": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("KRING_DEBUG", None)
    _database(args.postgres, create=True)
    server = None
    try:
        print(f"loading the demo club ({members} members) …", file=sys.stderr)
        command = [sys.executable, __file__, "--child", "--members", str(members)]
        command += ["--seed", str(args.seed)]
        out = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
        world = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  loaded in {world['load_seconds']:.0f} s, network in "
            f"{world['network_seconds']:.1f} s",
            file=sys.stderr,
        )
        server = Server(env, args.workers, args.threads, data_dir)
        server.wait_ready()
        print(f"serving on {server.url} (logs in {data_dir})", file=sys.stderr)
        results = asyncio.run(drive(args, world, server))
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            _database(args.postgres, create=False)
            shutil.rmtree(data_dir, ignore_errors=True)
    results.update(
        {
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "cores": os.cpu_count(),
            "load_average": os.getloadavg(),
            "workers": args.workers or os.cpu_count(),
            "threads": args.threads or _production_threads(),
            "duration_s": args.duration,
            "mix": dict(MIX),
        }
    )
    _print(results)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _print(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    runs = {f"{n} members": r for n, r in results["levels"].items()}
    runs[f"no think ({results['saturation']['members']})"] = results["saturation"]
    runs["200 idle conns"] = results["idle"]
    table = Table("page", *runs, title="p50 / p95 / p99 ms (errors)")
    for page, _weight in MIX:
        cells = []
        for run in runs.values():
            r = run["pages"].get(page)
            if r is None or r["p50_ms"] is None:
                cells.append("-" if r is None else f"all {r['errors']} failed")
                continue
            flag = "!" if r["p95_ms"] > TARGET_MS else ""
            error = f" ({r['errors']})" if r["errors"] else ""
            cells.append(f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f}{flag} / {r['p99_ms']:.0f}{error}")
        table.add_row(page, *cells)
    table.add_row("requests/s", *[f"{r['throughput_rps']:.1f}" for r in runs.values()])
    table.add_row("errors", *[str(r["errors"]) for r in runs.values()])
    table.add_row(
        "sent again (closed keep-alive)",
        *[str(r["retried_after_keepalive_close"]) for r in runs.values()],
    )
    table.add_row("RSS MB (peak)", *[_memory(r) for r in runs.values()])
    table.add_row("PSS MB", *[f"{r['memory']['pss_mb']:.0f}" for r in runs.values()])
    for part in ("server", "postgres", "worker", "client"):
        table.add_row(
            f"CPU ms/request: {part}",
            *[f"{r['cpu_ms_per_request'][part]:.1f}" for r in runs.values()],
        )
    Console(width=170).print(table)
    _print_served(results)
    idle = results["idle"]
    print(
        f"idle check: {idle['idle_connections']} connections, {idle['idle_refused']} refused, "
        f"{idle['idle_open_at_end']} still open at the end"
    )
    load = ", ".join(f"{x:.1f}" for x in results["load_average"])
    print(f"measured {results['measured_at']} on {results['cores']} cores (load average {load})")


def _print_served(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    n = max(results["levels"], key=int)
    level = results["levels"][n]
    table = Table(
        "page",
        "in Django p50 / p95",
        "CPU",
        "SQL",
        "GC (worst)",
        "outside Django p50 / p95",
        title=f"where the time goes at {n} members, ms (Server-Timing; CPU, SQL, GC: means)",
    )
    for page, _weight in MIX:
        r = level["pages"].get(page, {}).get("server")
        if not r:
            continue
        table.add_row(
            page,
            f"{r['app_p50_ms']:.0f} / {r['app_p95_ms']:.0f}",
            f"{r['cpu_mean_ms']:.1f}",
            f"{r['db_mean_ms']:.1f}",
            f"{r['gc_mean_ms']:.1f} ({r['gc_max_ms']:.0f})",
            f"{r['outside_p50_ms']:.0f} / {r['outside_p95_ms']:.0f}",
        )
    Console(width=170).print(table)


def _memory(run: dict[str, Any]) -> str:
    return f"{run['memory']['rss_mb']:.0f} ({run['memory_peak']['rss_mb']:.0f})"


if __name__ == "__main__":
    sys.exit(main())
