"""What one viewer's pooled network keeps in a server process, on the demo club (issue 16).

    .venv/bin/python benchmarks/viewers/run.py [--sqlite-dir DIR] [--viewers 6]
        [--json benchmarks/results/viewers.json]

Loads the demo club (`kring demo`: 40 members) into a SQLite database in ``--sqlite-dir``
unless it holds it already, builds the club's snapshot, lets one member use it (what every
viewer shares is then made), and then, for each of the next ``--viewers`` members, measures
with tracemalloc what stays allocated after their network served what the paths, reach, asks
and brief pages ask of it (the network kept, the answers dropped). Reported per viewer: what
stays, of which what kring.core.asks keeps in its bounded caches (shared by every viewer of the
process, not the viewer's), the network's own count of its arrays (``nbytes``), and the
milliseconds it takes to make the viewer's network again from the snapshot (``build_ms``, the
median of nine: what a page pays when the process's view cache no longer holds it).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sqlite-dir", default=str(Path(tempfile.gettempdir()) / "kring-viewers"))
    parser.add_argument("--viewers", type=int, default=6)
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/viewers.json"))
    args = parser.parse_args()
    os.environ["KRING_DATA_DIR"] = args.sqlite_dir
    os.environ.pop("KRING_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.config.settings")
    Path(args.sqlite_dir).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from kring.accounts.models import User
    from kring.core.asks import AskFields
    from kring.demo.club import load_demo_club
    from kring.lib import clock
    from kring.lib.errors import NotFound
    from kring.network import adapters, queries
    from kring.people.models import Person
    from kring.workspaces.models import Workspace

    call_command("migrate", verbosity=0)
    if not Workspace.objects.exclude(kind=Workspace.Kind.PERSONAL).exists():
        load_demo_club(seed=2026, members=40)
    club = Workspace.objects.exclude(kind=Workspace.Kind.PERSONAL).get()
    members = list(User.objects.filter(memberships__workspace=club).order_by("id"))
    now = clock.now()

    def use(viewer: User) -> adapters.PooledNetwork:
        network = adapters.pooled_network(viewer, club, now=now)
        queries.network_reach(viewer, club.pk, now=now, network=network)
        organisations = queries.organisation_names(network)
        for wanted in (
            {"organisation": organisations[len(organisations) // 2]},
            {"role": "director"},
            {"sector": "bouw"},
            {"role": "cfo", "region": "Antwerpen"},
        ):
            queries.introduction_paths(viewer, club.pk, now=now, network=network, **wanted)
        for fields in (AskFields(role="CFO"), AskFields(sector="bouw")):
            queries.ask_candidates(viewer, club.pk, fields, now=now, network=network)
        queries.own_asks_with_candidates(viewer, club.pk, now=now, network=network)
        other = members[(members.index(viewer) + 1) % len(members)]
        for person in Person.objects.filter(owner=other).order_by("id")[:6]:
            with contextlib.suppress(NotFound):  # hidden from the viewer, as on the page
                queries.brief(viewer, club.pk, other.pk, person.pk, now=now)
        return network

    use(members[0])
    rows = []
    for viewer in members[1 : 1 + args.viewers]:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        network = use(viewer)
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        stats = after.compare_to(before, "filename")
        # What a request that misses the view cache pays: the viewer's network made again.
        made = []
        for _ in range(9):
            start = time.perf_counter()
            adapters.PooledNetwork(adapters._SNAPSHOTS[club.pk], viewer.pk)
            made.append((time.perf_counter() - start) * 1000)
        kept = sum(s.size_diff for s in stats)
        asks = sum(s.size_diff for s in stats if s.traceback[0].filename.endswith("core/asks.py"))
        rows.append(
            {
                "viewer": viewer.pk,
                "kept_mib": round(kept / 2**20, 2),
                "asks_caches_mib": round(asks / 2**20, 2),
                "viewer_mib": round((kept - asks) / 2**20, 2),
                # 0 for a branch whose networks do not count themselves (before issue 16)
                "nbytes_mib": round(getattr(network, "nbytes", 0) / 2**20, 2),
                "build_ms": round(statistics.median(made), 2),
            }
        )
        print(json.dumps(rows[-1]))
    snapshot = adapters._SNAPSHOTS[club.pk]
    result = {
        "nodes": snapshot.n_nodes,
        "relationships": snapshot.n_relationships,
        "viewers": rows,
    }
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
