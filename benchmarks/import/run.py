"""Import speed and memory: 30,000 LinkedIn connections, 10,000 vCards, and both again.

Run: KRING_DATA_DIR=$(mktemp -d) .venv/bin/python benchmarks/import/run.py
Prints two tables and writes benchmarks/results/import.json. SQLite in a fresh data directory.

Memory, after the timed runs (tracemalloc slows Python down, so it is measured apart): the
peak of Python's allocations during an import, above what was allocated before it, for the
first third of Connections.csv and for all of it,

* re-imported into the account that has them all (the index of known people is the same for
  both, so any difference comes from the file: streamed, it is about nil), and
* imported into a new, empty account (the difference per row is what the index keeps of
  each new person, the one thing that grows, with people rather than with the file).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KRING_DATA_DIR", tempfile.mkdtemp(prefix="kring-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.config.settings")


def main() -> None:
    from kring.cli.django import setup

    setup()
    from faker import Faker
    from rich.console import Console
    from rich.table import Table
    from tests.imports.samples import many_connections, vcard

    from kring.accounts.actions import user_sign_up
    from kring.core.importing import open_source
    from kring.imports.actions import import_sources

    n_connections = int(os.environ.get("KRING_BENCH_CONNECTIONS", 30_000))
    n_cards = int(os.environ.get("KRING_BENCH_CARDS", 10_000))
    folder = Path(tempfile.mkdtemp(prefix="kring-bench-files-"))
    connections = folder / "Connections.csv"
    connections.write_bytes(many_connections(n_connections))
    cards = folder / "contacts.vcf"
    with cards.open("w", encoding="utf-8", newline="") as out:
        fake = Faker(["nl_BE", "nl_NL"])
        fake.seed_instance(2)
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
    user = user_sign_up(email="bench@example.be", password="a long benchmark secret")
    runs: list[dict[str, Any]] = []
    for label, path, rows in (
        ("connections", connections, n_connections),
        ("vcards", cards, n_cards),
        ("connections again", connections, n_connections),
        ("vcards again", cards, n_cards),
    ):
        started = time.perf_counter()
        report = import_sources(owner=user, sources=open_source(path.name, path))
        seconds = time.perf_counter() - started
        # Peak resident memory of the process so far (Linux: KiB). Streaming shows as a peak
        # that hardly grows from one run to the next, whatever the file size.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        runs.append(
            {
                "run": label,
                "rows": rows,
                "file_mb": round(path.stat().st_size / 1e6, 2),
                "seconds": round(seconds, 2),
                "rows_per_second": round(rows / seconds),
                "peak_rss_mb": round(peak / 1e6, 1),
                "counts": report.counts,
            }
        )
    memory = _memory(user, connections, n_connections, folder)
    table = Table(
        title=f"Import on SQLite ({platform.machine()}, Python {platform.python_version()})"
    )
    for column in ("run", "rows", "file MB", "seconds", "rows/s", "peak RSS MB", "new", "merged",
                   "unchanged", "proposed"):  # fmt: skip
        table.add_column(column, justify="left" if column == "run" else "right")
    for r in runs:
        c = r["counts"]
        table.add_row(
            r["run"], str(r["rows"]), str(r["file_mb"]), str(r["seconds"]),
            str(r["rows_per_second"]), str(r["peak_rss_mb"]), str(c["new"]), str(c["merged"]),
            str(c["unchanged"]), str(c["proposed"]),
        )  # fmt: skip
    console = Console(width=130)
    console.print(table)
    mem = Table(title="Peak Python memory of one import (tracemalloc), by file size")
    for column in ("import", "rows", "file MB", "peak MB", "per extra row"):
        mem.add_column(column, justify="left" if column == "import" else "right")
    for m in memory:
        extra = f"{m['bytes_per_extra_row']} B" if "bytes_per_extra_row" in m else ""
        mem.add_row(str(m["import"]), str(m["rows"]), str(m["file_mb"]), str(m["peak_mb"]), extra)
    console.print(mem)
    target = ROOT / "benchmarks" / "results" / "import.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = {"database": "sqlite", "cpus": os.cpu_count(), "runs": runs, "memory": memory}
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Wrote {target.relative_to(ROOT)}")


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
            who = account() if account else user_sign_up(
                email=f"bench-{rows}-{len(out)}@example.be", password="a long benchmark secret"
            )  # fmt: skip
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


if __name__ == "__main__":
    main()
