"""Import speed and memory: 30,000 LinkedIn connections, 10,000 vCards, and both again.

Run: KRING_DATA_DIR=$(mktemp -d) .venv/bin/python benchmarks/import/run.py
Prints a table and writes benchmarks/results/import.json. SQLite in a fresh data directory.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

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
    runs = []
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
    Console(width=130).print(table)
    out = ROOT / "benchmarks" / "results" / "import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": "sqlite", "runs": runs}, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
