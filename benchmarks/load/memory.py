"""What a server process keeps per distinct viewer: the load benchmark's pages in one process.

    .venv/bin/python benchmarks/load/memory.py [--postgres URL] [--rounds 10,50] [--threads 4]
        [--bump] [--trace] [--json FILE]

Loads the demo club into ``--postgres`` (as benchmarks/load/run.py does; kept between runs
with its data directory, ``--fresh`` loads it again), signs every member in (Django's test
client, one per member), then for each round has the first N members ask every page of the
load benchmark's mix once (dashboard, people search, a person, plan, meeting, my table,
introduction paths to an organisation, the club's asks), spread over ``--threads`` threads as
gunicorn's gthread worker would. After each round it reports the process's RSS, what Python
holds (tracemalloc, with ``--trace``: the largest growths by file and line), and what the
process's caches hold (the viewers' networks, the asks caches). ``--bump`` publishes a new
network version (a logged contact, the snapshot rebuilt in another process as `kring worker`
does) before each round after the first, as the load benchmark's writes do. ``--trim`` also
reports the RSS after glibc's malloc_trim: what the allocator holds free (fragmentation) rather
than Python.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib.util
import json
import os
import random
import subprocess
import sys
import threading
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _run_module() -> Any:
    spec = importlib.util.spec_from_file_location("load_run", Path(__file__).with_name("run.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _caches() -> dict[str, Any]:
    from kring.core import affinity, asks
    from kring.network import adapters, queries

    found: dict[str, Any] = {
        "views": len(adapters._VIEWS),
        "views_versions": len({key[:2] for key in adapters._VIEWS}),
        "views_mib": round(sum(v.nbytes for v in adapters._VIEWS.values()) / 2**20, 1),
        "fits_views": len(queries._FITS),
    }
    for module in (asks, affinity):
        for name, value in vars(module).items():
            if hasattr(value, "cache_info"):
                found[f"{module.__name__.rsplit('.', 1)[1]}.{name}"] = value.cache_info().currsize
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/kring_memory")
    parser.add_argument("--data-dir", default="/tmp/kring-memory")
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--rounds", default="10,50", help="members of each round (%(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="times each page per round")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--bump", action="store_true", help="a new network version each round")
    parser.add_argument("--trace", action="store_true", help="tracemalloc (slow)")
    parser.add_argument("--trim", action="store_true", help="report RSS after malloc_trim")
    parser.add_argument("--fresh", action="store_true", help="load the demo club again")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    data = Path(args.data_dir)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "kring.config.settings",
            "KRING_DATABASE_URL": args.postgres,
            "KRING_DATA_DIR": str(data),
            "KRING_MODE": "development",
            "KRING_BACKUP_AT": "off",
        }
    )
    os.environ.pop("KRING_DEBUG", None)
    run = _run_module()
    world_file = data / "world.json"
    if args.fresh or not world_file.exists():
        import shutil

        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        run._database(args.postgres, create=True)
        world_file.write_text(json.dumps(run.setup_child(args.members, args.seed)))
        print("loaded; run again to measure in a fresh process", file=sys.stderr)
        return 0
    world = json.loads(world_file.read_text())

    import django

    django.setup()
    from django.db import connections
    from django.test import Client

    from kring.accounts.models import User
    from kring.network import adapters

    adapters.warm_up()
    by_email = {u.email: u for u in User.objects.all()}
    members = world["members"]
    clients = []
    for facts in members:
        client = Client()
        client.force_login(by_email[facts["email"]])
        clients.append(client)
    connections.close_all()
    pages = [page for page, _weight in run.MIX if page not in ("log a contact", "plan item done")]

    class Fake:  # what run.Member._get reads
        def __init__(self, facts: dict[str, Any]) -> None:
            self.facts, self.world = facts, world

    def browse(index: int, round_no: int) -> int:
        rng = random.Random(args.seed * 1000 + index + 100_000 * round_no)
        errors = 0
        for _ in range(args.repeat):
            for page in pages:
                url = run.Member._get(Fake(members[index]), page, rng)
                answer = clients[index].get(url)
                errors += answer.status_code != 200
        return errors

    def bump() -> None:
        from kring.people.models import Person

        person = Person.objects.filter(owner=by_email[members[0]["email"]]).first()
        answer = clients[0].post(
            f"/people/{person.pk}/log/",
            {
                "channel": world["channel"],
                "minutes": "5",
                "initiated_by": world["initiated_by"],
                "summary": "memory probe",
            },
        )
        assert answer.status_code in (200, 302), answer.status_code
        # `kring worker` builds and publishes the next version in its own process; the server
        # only loads it from the data directory.
        script = "import django; django.setup(); from kring.network.tasks import "
        script += f"build_network_snapshot as b; b.call({world['club']})"
        subprocess.run([sys.executable, "-c", script], check=True)

    libc = ctypes.CDLL("libc.so.6")
    if args.trace:
        tracemalloc.start(1)
    gc.collect()
    previous = tracemalloc.take_snapshot() if args.trace else None
    rows = [{"round": "signed in", "rss_mb": round(_rss_mb(), 1), **_caches()}]
    print(json.dumps(rows[-1]), flush=True)
    pool = ThreadPoolExecutor(args.threads)
    for round_no, n in enumerate(int(x) for x in args.rounds.split(",")):
        if args.bump and round_no:
            pool.submit(bump).result()
        errors = sum(pool.map(browse, range(n), [round_no] * n))
        gc.collect()
        row: dict[str, Any] = {"round": n, "errors": errors, "rss_mb": round(_rss_mb(), 1)}
        if args.trace:
            row["traced_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        row.update(_caches())
        if args.trim:
            libc.malloc_trim(0)
            row["rss_after_trim_mb"] = round(_rss_mb(), 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
        if args.trace:
            snapshot = tracemalloc.take_snapshot()
            for stat in snapshot.compare_to(previous, "lineno")[:15]:
                print(
                    f"    {stat.size_diff / 2**20:+7.2f} MiB {stat.count_diff:+7d}  "
                    f"{stat.traceback[0].filename.replace(str(ROOT), '')}:"
                    f"{stat.traceback[0].lineno}"
                )
            previous = snapshot
    pool.shutdown()
    print(f"threads alive: {threading.active_count()}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
