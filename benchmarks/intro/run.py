"""Introduction-paths benchmark (issue 7): Kring's CSR core against networkx, rustworkx, igraph.

Usage::

    .venv/bin/python benchmarks/intro/run.py [--sizes 100000,1000000] [--queries 200]
        [--peer-sizes 100000,1000000] [--networkx-queries 200] [--no-peers] [--json out.json]

For each size a seeded social graph (``generate.py``: heavy-tailed degrees with mean about 250,
company blocks) is built, saved as a snapshot and loaded back (memory-mapped, then read whole);
then 200 queries are timed one by one: (a) the best 5 paths of at most 3 hops from a random
person to anyone at a random company of at least 5 people, (b) the 2-hop reach of that person.
Each peer library runs in its own process (so its memory is its own) on the same ties and the
same queries, and every answer is compared with Kring's: the full list of best paths and the
reach counts. networkx runs at 100,000 people only; igraph and rustworkx at both sizes (igraph
takes about 7 minutes and 8 GiB to build at 1M).
The table is printed and written as JSON (default ``benchmarks/results/intro.json``).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table as RichTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import social_graph  # noqa: E402

from kring.core.graph import (  # noqa: E402
    best_paths_to_organisation,
    build_graph,
    load_graph,
    reach,
    save_graph,
)

TARGETS = {
    100_000: {"p50": 3.0, "p99": 30.0, "speedup": 100.0},
    1_000_000: {"p50": 5.0, "p99": 40.0, "memory_gib": 3.0, "load_s": 5.0},
}
GIB = 2**30


def rss() -> int:
    with Path("/proc/self/statm").open() as f:
        return int(f.read().split()[1]) * 4096


def percentiles(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms)
    return {
        "p50": float(np.percentile(a, 50)),
        "p99": float(np.percentile(a, 99)),
        "mean": float(a.mean()),
        "max": float(a.max()),
    }


def pick_queries(
    graph: Any, company_sizes: np.ndarray, count: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Random people with at least one tie, and random companies of 5+ people not their own."""
    rng = np.random.default_rng(seed)
    degree = np.diff(graph.indptr)
    people = np.flatnonzero(degree > 0)
    companies = np.flatnonzero(company_sizes >= 5)
    sources = rng.choice(people, count)
    chosen = rng.choice(companies, count)
    own = graph.organisation[sources] == chosen
    while own.any():
        chosen[own] = rng.choice(companies, int(own.sum()))
        own = graph.organisation[sources] == chosen
    return sources.astype(np.int64), chosen.astype(np.int64)


def run_kring(graph: Any, sources: np.ndarray, companies: np.ndarray) -> dict[str, Any]:
    for s, c in zip(sources[:5], companies[:5], strict=True):  # compile / page in
        best_paths_to_organisation(graph, int(s), int(c))
        reach(graph, int(s))
    path_ms, reach_ms, answers, reaches = [], [], [], []
    for s, c in zip(sources.tolist(), companies.tolist(), strict=True):
        clock = time.perf_counter()
        paths = best_paths_to_organisation(graph, s, c, k=5)
        path_ms.append((time.perf_counter() - clock) * 1e3)
        clock = time.perf_counter()
        r = reach(graph, s)
        reach_ms.append((time.perf_counter() - clock) * 1e3)
        answers.append([[p.score, list(p.nodes)] for p in paths])
        reaches.append([r.one_hop, r.within_two_hops])
    # a workspace of 50 members: reach through everyone's network at once
    rng = np.random.default_rng(3)
    team_ms = []
    for _ in range(20):
        team = rng.choice(sources, 50, replace=False).tolist()
        clock = time.perf_counter()
        reach(graph, team)
        team_ms.append((time.perf_counter() - clock) * 1e3)
    return {
        "path_ms": path_ms,
        "reach_ms": reach_ms,
        "answers": answers,
        "reaches": reaches,
        "workspace_reach_ms": team_ms,
    }


def run_peer(
    name: str, snapshot: Path, queries: Path, limit: int, kring: dict[str, Any]
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve().parent / "peers.py"),
        "--snapshot",
        str(snapshot),
        "--queries",
        str(queries),
        "--peer",
        name,
        "--limit",
        str(limit),
    ]
    clock = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return {"peer": name, "error": reason}
    result: dict[str, Any] = json.loads(done.stdout)
    result["wall_s"] = time.perf_counter() - clock
    n = len(result["answers"])
    result["paths_agree"] = sum(
        _same_paths(a, b) for a, b in zip(result["answers"], kring["answers"][:n], strict=True)
    )
    result["best_score_agree"] = sum(
        (a[0][0] if a else None) == (b[0][0] if b else None)
        for a, b in zip(result["answers"], kring["answers"][:n], strict=True)
    )
    result["reach_agree"] = sum(
        list(a) == list(b) for a, b in zip(result["reaches"], kring["reaches"][:n], strict=True)
    )
    result["queries"] = n
    return result


def _same_paths(a: list[Any], b: list[Any]) -> bool:
    return [(s, list(p)) for s, p in a] == [(s, list(p)) for s, p in b]


def run_size(n: int, args: argparse.Namespace, console: Console) -> dict[str, Any]:
    out: dict[str, Any] = {"n": n}
    console.print(f"[bold]{n:,} people[/]: generating")
    clock = time.perf_counter()
    sg = social_graph(n, seed=args.seed)
    out["generate_s"] = time.perf_counter() - clock
    base = rss()
    clock = time.perf_counter()
    graph = build_graph(
        n,
        sg.sources,
        sg.targets,
        sg.strengths,
        organisation=sg.organisation,
        sector=sg.sector,
        region=sg.region,
        role=sg.role,
    )
    out["build_s"] = time.perf_counter() - clock
    out["generated_ties"] = int(sg.sources.shape[0])
    company_sizes = sg.company_sizes
    del sg
    gc.collect()
    out["ties"] = graph.n_edges
    out["mean_degree"] = 2 * graph.n_edges / n
    degree = np.diff(graph.indptr)
    out["degree_p50_p99_max"] = [
        int(np.percentile(degree, 50)),
        int(np.percentile(degree, 99)),
        int(degree.max()),
    ]
    out["companies"] = int(company_sizes.shape[0])
    out["largest_company"] = int(company_sizes.max())
    out["graph_bytes"] = graph.nbytes
    out["rss_after_build_bytes"] = rss()
    out["rss_build_delta_bytes"] = rss() - base
    console.print(
        f"  built {graph.n_edges:,} ties in {out['build_s']:.1f} s, "
        f"{graph.nbytes / GIB:.2f} GiB; saving the snapshot"
    )

    snapshot = Path(args.snapshot_dir) / f"graph-{n}"
    clock = time.perf_counter()
    save_graph(graph, snapshot)
    out["save_s"] = time.perf_counter() - clock
    out["snapshot_bytes"] = sum(f.stat().st_size for f in snapshot.iterdir())
    del graph
    gc.collect()
    clock = time.perf_counter()
    mapped = load_graph(snapshot)
    out["load_mmap_s"] = time.perf_counter() - clock
    del mapped
    # the queries run on the graph read whole into memory, as a server would hold it: on a
    # memory map, queries that touch pages evicted from the page cache would time the disk
    clock = time.perf_counter()
    graph = load_graph(snapshot, mmap=False)
    out["load_eager_s"] = time.perf_counter() - clock

    sources, companies = pick_queries(graph, company_sizes, args.queries, args.seed + 1)
    sizes = np.array([graph.members(int(c)).shape[0] for c in companies])
    out["target_company_size_p50_max"] = [int(np.median(sizes)), int(sizes.max())]
    queries = Path(args.snapshot_dir) / f"queries-{n}.npz"
    np.savez(queries, sources=sources, companies=companies)
    console.print(f"  {args.queries} queries on the snapshot read into memory")
    kring = run_kring(graph, sources, companies)
    out["kring"] = {
        "paths": percentiles(kring["path_ms"]),
        "reach": percentiles(kring["reach_ms"]),
        "workspace_reach_50": percentiles(kring["workspace_reach_ms"]),
        "queries": len(kring["path_ms"]),
        "paths_found": sum(1 for a in kring["answers"] if a),
    }
    del graph
    gc.collect()

    out["peers"] = {}
    if not args.no_peers and n in args.peer_sizes:
        for name in args.peers:
            if name == "networkx" and n > args.networkx_max_size:
                continue
            limit = min(args.queries, args.networkx_queries if name == "networkx" else args.queries)
            console.print(f"  {name}: building and answering {limit} queries")
            result = run_peer(name, snapshot, queries, limit, kring)
            if "error" in result:
                console.print(f"  [red]{name} failed: {result['error']}[/]")
                out["peers"][name] = result
                continue
            out["peers"][name] = {
                "build_s": result["build_s"],
                "memory_bytes": result["memory_bytes"],
                "paths": percentiles(result["path_ms"]),
                "reach": percentiles(result["reach_ms"]),
                "queries": result["queries"],
                "paths_agree": result["paths_agree"],
                "best_score_agree": result["best_score_agree"],
                "reach_agree": result["reach_agree"],
            }
    if not args.keep_snapshots:
        shutil.rmtree(snapshot, ignore_errors=True)
        queries.unlink(missing_ok=True)
    return out


def speedups(size: dict[str, Any]) -> dict[str, float]:
    """Peer time over Kring time for the fastest peer, on p50 and on the mean, per query kind."""
    result = {}
    for kind in ("paths", "reach"):
        peers = [p for p in size["peers"].values() if kind in p]
        if not peers:
            continue
        ours = size["kring"][kind]
        result[f"{kind}_p50"] = min(p[kind]["p50"] for p in peers) / ours["p50"]
        result[f"{kind}_mean"] = min(p[kind]["mean"] for p in peers) / ours["mean"]
    return result


def print_table(console: Console, results: list[dict[str, Any]]) -> None:
    table = RichTable(title="Introduction paths: best 5 paths within 3 hops to a company")
    for column in (
        "people",
        "engine",
        "build s",
        "memory GiB",
        "load s",
        "queries",
        "paths p50 ms",
        "paths p99 ms",
        "reach p50 ms",
        "reach p99 ms",
        "agree (paths/reach)",
    ):
        table.add_column(column, justify="right" if column != "engine" else "left")
    for size in results:
        k = size["kring"]
        table.add_row(
            f"{size['n']:,}",
            "kring (CSR + numba)",
            f"{size['build_s']:.1f}",
            f"{size['graph_bytes'] / GIB:.2f}",
            f"{size['load_mmap_s']:.3f} mmap / {size['load_eager_s']:.2f} read",
            str(k["queries"]),
            f"{k['paths']['p50']:.3f}",
            f"{k['paths']['p99']:.2f}",
            f"{k['reach']['p50']:.3f}",
            f"{k['reach']['p99']:.2f}",
            "-",
        )
        for name, p in size["peers"].items():
            if "error" in p:
                table.add_row("", name, "failed", "", "", "", "", "", "", "", "")
                continue
            q = p["queries"]
            table.add_row(
                "",
                name,
                f"{p['build_s']:.1f}",
                f"{p['memory_bytes'] / GIB:.2f}",
                "-",
                str(q),
                f"{p['paths']['p50']:.1f}",
                f"{p['paths']['p99']:.1f}",
                f"{p['reach']['p50']:.2f}",
                f"{p['reach']['p99']:.2f}",
                f"{p['paths_agree']}/{q}, {p['reach_agree']}/{q}",
            )
    console.print(table)
    for size in results:
        s = speedups(size)
        if s:
            console.print(
                f"{size['n']:,}: fastest peer / kring — paths p50 {s['paths_p50']:.0f}x, "
                f"mean {s['paths_mean']:.0f}x; reach p50 {s['reach_p50']:.0f}x, "
                f"mean {s['reach_mean']:.0f}x"
            )
        w = size["kring"]["workspace_reach_50"]
        console.print(
            f"{size['n']:,}: {size['ties']:,} ties, mean degree {size['mean_degree']:.0f}, "
            f"degree p50/p99/max {size['degree_p50_p99_max']}, target company size p50/max "
            f"{size['target_company_size_p50_max']}; reach of a 50-member workspace "
            f"p50 {w['p50']:.1f} ms"
        )


def check_targets(results: list[dict[str, Any]]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for size in results:
        goal = TARGETS.get(size["n"])
        if not goal:
            continue
        k = size["kring"]["paths"]
        row = {
            "p50": [k["p50"], goal["p50"], k["p50"] < goal["p50"]],
            "p99": [k["p99"], goal["p99"], k["p99"] < goal["p99"]],
        }
        if "speedup" in goal:
            s = speedups(size)
            if s:
                row["speedup_p50"] = [s["paths_p50"], goal["speedup"], s["paths_p50"] >= 100]
        if "memory_gib" in goal:
            gib = size["graph_bytes"] / GIB
            row["memory_gib"] = [gib, goal["memory_gib"], gib < goal["memory_gib"]]
        if "load_s" in goal:
            row["load_eager_s"] = [
                size["load_eager_s"],
                goal["load_s"],
                size["load_eager_s"] < goal["load_s"],
            ]
        checks[str(size["n"])] = row
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--peer-sizes",
        default="100000,1000000",
        help="sizes at which rustworkx and igraph run, one at a time (about 12 GiB at 1M)",
    )
    parser.add_argument("--peers", default="igraph,rustworkx,networkx")
    parser.add_argument("--networkx-queries", type=int, default=200)
    parser.add_argument("--networkx-max-size", type=int, default=100_000)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--snapshot-dir", default=str(ROOT / "benchmarks/results/intro.tmp"))
    parser.add_argument("--keep-snapshots", action="store_true")
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/intro.json"))
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.peer_sizes = {int(s) for s in args.peer_sizes.split(",") if s}
    args.peers = [p for p in args.peers.split(",") if p]

    console = Console(width=170)
    Path(args.snapshot_dir).mkdir(parents=True, exist_ok=True)
    results = [run_size(n, args, console) for n in args.sizes]
    print_table(console, results)
    checks = check_targets(results)
    for n, row in checks.items():
        console.print(
            f"targets at {int(n):,}: "
            + ", ".join(
                f"{key} {v[0]:.3g} vs {v[1]:g} {'ok' if v[2] else 'MISSED'}"
                for key, v in row.items()
            )
        )
    report = {
        "benchmark": "intro",
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": len(__import__("os").sched_getaffinity(0)),
        },
        "queries": args.queries,
        "seed": args.seed,
        "results": results,
        "targets": checks,
        "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    console.print(f"written {args.json}")
    if not args.keep_snapshots:
        shutil.rmtree(args.snapshot_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
