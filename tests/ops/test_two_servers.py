"""Kring on more than one machine (docs/scaling.md), on loopback: two `kring serve
--production` processes and one `kring worker` against one PostgreSQL database and one Redis
(a redis-server of the test's own, without persistence). A session made on one server works on
the other, a write on one is read on the other, and the background task a write asks for is
done by the worker through Redis."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.ops.conftest import (
    KRING,
    PASSWORD,
    Browser,
    kring_server,
    own_processes,
    production_environment,
)

pytestmark = own_processes

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of this test's own on a free loopback port, nothing saved to disk."""
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("KRING_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"no redis-server at {REDIS_SERVER} (apt-get install redis-server)")
        # Only a bare `pytest` on a machine without it: scripts/test installs Debian's
        # redis-server, and CI (KRING_REQUIRE_POSTGRES=1) fails above instead.
        pytest.skip(f"no redis-server at {REDIS_SERVER}: scripts/test installs it")
    import redis  # the redis extra, part of dev

    port = _free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    process = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out = process.stdout.read() if process.stdout else ""
                    pytest.fail(f"redis-server did not start:\n{out}")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SETUP = """
from kring.cli.django import setup
setup()
from kring.accounts.actions import user_sign_up
from kring.people import actions
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace

alice = user_sign_up(email="alice@example.be", password=PASSWORD, display_name="Alice",
                     language="en", country="BE")
bob = user_sign_up(email="bob@example.nl", password=PASSWORD, display_name="Bob",
                   language="en", country="NL")
club = workspace_create(owner=alice, name="Businessclub Twee", kind=Workspace.Kind.CLUB)
Membership.objects.create(workspace=club, user=bob, role=Membership.Role.MEMBER)
koen = actions.person_create(owner=bob, given_name="Koen", surname="Klant",
                             organisation_name="Acme", title="CFO")
actions.share_set(actor=bob, relationship=koen.relationship, workspace=club, level="name_role")
print(club.pk)
"""


@contextlib.contextmanager
def kring_worker(env: dict[str, str]) -> Iterator[list[str]]:
    process = subprocess.Popen(
        [KRING, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))

    threading.Thread(target=drain, daemon=True).start()
    try:
        yield lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _finished_builds(url: str) -> dict[str, str]:
    """The network builds RQ has finished: job id -> the version the worker built."""
    from redis import Redis
    from rq.job import Job

    connection = Redis.from_url(url)
    done = {}
    for raw in connection.zrange("rq:finished:default", 0, -1):
        job = Job.fetch(raw.decode(), connection=connection)
        if job.func_name.endswith("build_network_snapshot"):
            done[job.id] = job.return_value()
    return done


def _wait(what: str, check, timeout: float = 30, log: list[str] | None = None):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen in {timeout} s\n" + "\n".join(log or []))


def test_two_servers_and_a_worker_share_postgresql_and_redis(
    tmp_path, postgres_database, redis_url
):
    def env_for(folder: str) -> dict[str, str]:
        env = production_environment(
            tmp_path / folder,
            KRING_DATABASE_URL=postgres_database,
            KRING_TASKS_URL=redis_url,
            KRING_SSL_REDIRECT="0",  # plain http on loopback, no proxy in this test
            KRING_BACKUP_AT="off",
        )
        env["KRING_MODE"] = "development"  # no secure cookies over the plain http of this test
        return env

    # The worker and server 1 share a machine (and a data directory); server 2 has its own.
    one, two = env_for("one"), env_for("two")
    made = subprocess.run(
        [sys.executable, "-c", f"PASSWORD = {PASSWORD!r}\n" + SETUP],
        env=one, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    club = int(made.stdout.split()[-1])
    snapshots = tmp_path / "one" / "network" / "postgresql"

    with contextlib.ExitStack() as stack, ThreadPoolExecutor(2) as pool:
        # The two servers start side by side (each loads its kernels and collects its files).
        starting = [
            pool.submit(stack.enter_context, kring_server(env, "--production", "--workers", "1"))
            for env in (one, two)
        ]
        worker = stack.enter_context(kring_worker(one))
        first, second = (future.result() for future in starting)
        # The worker asks for every club's network at its start, through Redis, and builds it.
        built = _wait("the first network build", lambda: _finished_builds(redis_url), log=worker)
        (version,) = built.values()
        assert (snapshots / f"workspace-{club}-{version}-f3" / "meta.pickle").exists()

        alice = Browser(first.url)
        assert alice.login("alice@example.be").status == 302
        # The same session on the other server: one secret key, sessions in the database.
        elsewhere = Browser(second.url)
        for cookie in alice.jar:
            elsewhere.jar.set_cookie(cookie)
        home = elsewhere.request("/")
        assert home.status == 200 and "Alice" in home.body, home.body[:400]

        # A write on server 1 ...
        token = alice.csrf_token("/people/new/")
        added = alice.request(
            "/people/new/",
            data={"given_name": "Greta", "surname": "Tweede", "organisation_name": "Beta",
                  "tier": "B", "csrfmiddlewaretoken": token},
            headers={"Referer": alice.base + "/people/new/", "Origin": alice.base},
        )  # fmt: skip
        assert added.status == 302, re.sub(r"\s+", " ", added.body)[-1500:]
        # ... is read on server 2,
        people = elsewhere.request("/people/?q=Greta")
        assert people.status == 200 and "Tweede" in people.body
        # and the network it changed is built again by the worker, through Redis.
        rebuilt = _wait(
            "the rebuild after the write",
            lambda: set(_finished_builds(redis_url).values()) - {version},
            log=worker,
        )
        (newer,) = rebuilt
        assert (snapshots / f"workspace-{club}-{newer}-f3" / "meta.pickle").exists()
        assert not (snapshots / f"workspace-{club}-{version}-f3").exists()
        assert re.search(r"build_network_snapshot", "\n".join(worker)), "\n".join(worker)

        # Both servers answer the club's pooled network at the new version: server 2 (another
        # machine, its own data directory) builds it once from the same database.
        for browser in (alice, elsewhere):
            shared = browser.request(f"/workspaces/{club}/shared/?q=koen")
            assert shared.status == 200 and "Koen Klant" in shared.body
        assert first.process.poll() is None and second.process.poll() is None
    assert "Traceback" not in first.log() + second.log(), first.log() + second.log()
