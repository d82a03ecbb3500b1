"""The same queries answered with networkx, rustworkx and python-igraph.

None of the three has a "best k paths of at most 3 hops to anyone in a set" function, so each
answers (a) with the same meet-in-the-middle as Kring's kernel written in Python over the
library's own adjacency access (what a developer on that library would write), and (b) with
the library's own neighbourhood function where it has one (networkx's cutoff BFS, igraph's
``neighborhood_size`` in C) or the union of its neighbour lists (rustworkx).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

Neighbours = Callable[[int], Iterable[tuple[int, float]]]
Answer = list[tuple[float, tuple[int, ...]]]


def python_best_paths(nbrs: Neighbours, s: int, targets: set[int], k: int = 5) -> Answer:
    """Best ``k`` simple paths of at most 3 hops from ``s`` to ``targets``, Kring's order."""
    candidates: list[tuple[float, int, tuple[int, ...]]] = []
    first: dict[int, float] = {}
    for a, w in nbrs(s):
        if a in targets:
            candidates.append((w, 1, (s, a)))
        else:
            first[a] = w
    lists: dict[int, list[tuple[float, int]]] = {}
    for t in sorted(targets):
        for b, w in nbrs(t):
            if b == s or b in targets:
                continue
            if b in first:
                candidates.append((first[b] * w, 2, (s, b, t)))
            lists.setdefault(b, []).append((w, t))
    best_of = {
        b: heapq.nsmallest(k, pairs, key=lambda p: (-p[0], p[1])) for b, pairs in lists.items()
    }
    for a, w_sa in first.items():
        for b, w_ab in nbrs(a):
            pairs = best_of.get(b)
            if pairs:
                base = w_sa * w_ab
                candidates.extend((base * w, 3, (s, a, b, t)) for w, t in pairs)
    best = heapq.nsmallest(k, candidates, key=lambda c: (-c[0], c[1], c[2]))
    return [(score, nodes) for score, _, nodes in best]


class NetworkxPeer:
    name = "networkx"

    def __init__(self, n: int, u: npt.NDArray[Any], v: npt.NDArray[Any], w: npt.NDArray[Any]):
        import networkx as nx

        self.nx = nx
        self.graph = nx.Graph()
        self.graph.add_nodes_from(range(n))
        self.graph.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
        self._adj = self.graph.adj

    def neighbours(self, u: int) -> Iterable[tuple[int, float]]:
        return ((v, d["weight"]) for v, d in self._adj[u].items())

    def best_paths(self, s: int, targets: set[int], k: int = 5) -> Answer:
        return python_best_paths(self.neighbours, s, targets, k)

    def reach(self, s: int) -> tuple[int, int]:
        dist = self.nx.single_source_shortest_path_length(self.graph, s, cutoff=2)
        one = sum(1 for d in dist.values() if d == 1)
        return one, len(dist) - 1


class RustworkxPeer:
    name = "rustworkx"

    def __init__(self, n: int, u: npt.NDArray[Any], v: npt.NDArray[Any], w: npt.NDArray[Any]):
        import rustworkx as rx

        # multigraph=True skips the duplicate check: the ties come deduplicated from the CSR
        self.graph = rx.PyGraph(multigraph=True)
        self.graph.add_nodes_from(range(n))
        step = 2_000_000
        for i in range(0, u.shape[0], step):
            self.graph.extend_from_weighted_edge_list(
                list(
                    zip(
                        u[i : i + step].tolist(),
                        v[i : i + step].tolist(),
                        w[i : i + step].tolist(),
                        strict=True,
                    )
                )
            )

    def neighbours(self, u: int) -> Iterable[tuple[int, float]]:
        return self.graph.adj(u).items()

    def best_paths(self, s: int, targets: set[int], k: int = 5) -> Answer:
        return python_best_paths(self.neighbours, s, targets, k)

    def reach(self, s: int) -> tuple[int, int]:
        first = set(self.graph.neighbors(s))
        seen = set(first)
        for a in first:
            seen.update(self.graph.neighbors(a))
        seen.discard(s)
        return len(first), len(seen)


class IgraphPeer:
    name = "igraph"

    def __init__(self, n: int, u: npt.NDArray[Any], v: npt.NDArray[Any], w: npt.NDArray[Any]):
        import igraph as ig

        # in chunks: igraph turns the pairs into Python objects first, which for 125M ties
        # at once takes over 20 GiB
        self.graph = ig.Graph(n=n)
        step = 8_000_000
        for i in range(0, u.shape[0], step):
            self.graph.add_edges(np.column_stack([u[i : i + step], v[i : i + step]]).tolist())
        self.graph.es["weight"] = w.tolist()
        self._u, self._v = u, v

    def prepare(self) -> None:
        # the glue reads the library's weight list; edge i joins u[i] and v[i] (added in order)
        self._weights = self.graph.es["weight"]

    def neighbours(self, u: int) -> Iterable[tuple[int, float]]:
        ends_u, ends_v, weights = self._u, self._v, self._weights
        for e in self.graph.incident(u):
            a = int(ends_u[e])
            yield (int(ends_v[e]) if a == u else a), weights[e]

    def best_paths(self, s: int, targets: set[int], k: int = 5) -> Answer:
        return python_best_paths(self.neighbours, s, targets, k)

    def reach(self, s: int) -> tuple[int, int]:
        # no loops nor parallel ties, so the degree is the number of people at one hop
        return self.graph.degree(s), self.graph.neighborhood_size(s, order=2, mindist=1)


PEERS: dict[str, Any] = {"networkx": NetworkxPeer, "rustworkx": RustworkxPeer, "igraph": IgraphPeer}


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:  # noqa: PTH123 - a Linux special file, read once
        return int(f.read().split()[1]) * 4096


def main() -> None:
    """Child process: build one peer from a Kring snapshot, answer the queries, print JSON."""
    import argparse
    import json
    import resource
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from kring.core.graph import load_graph

    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--peer", required=True, choices=sorted(PEERS))
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--memory-limit-gib", type=float, default=16.0)
    args = parser.parse_args()
    # fail with MemoryError rather than wake the machine's OOM killer on a shared box
    limit = int(args.memory_limit_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    graph = load_graph(args.snapshot)
    queries = np.load(args.queries)
    sources = queries["sources"][: args.limit].tolist()
    companies = queries["companies"][: args.limit].tolist()
    n = graph.n_nodes
    rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(graph.indptr))
    upper = rows < graph.indices
    u, v, w = rows[upper], graph.indices[upper], graph.weights[upper]
    del rows, upper
    members = {c: set(graph.members(c).tolist()) for c in set(companies)}
    before = _rss_bytes()
    clock = time.perf_counter()
    peer = PEERS[args.peer](n, u, v, w)
    build = time.perf_counter() - clock
    memory = _rss_bytes() - before
    del u, v, w  # igraph's glue keeps its own reference to u and v
    if hasattr(peer, "prepare"):
        peer.prepare()

    path_ms, reach_ms, answers, reaches = [], [], [], []
    for s, c in zip(sources, companies, strict=True):
        targets = members[c] - {s}
        clock = time.perf_counter()
        answer = peer.best_paths(s, targets, 5)
        path_ms.append((time.perf_counter() - clock) * 1e3)
        clock = time.perf_counter()
        counts = peer.reach(s)
        reach_ms.append((time.perf_counter() - clock) * 1e3)
        answers.append([[score, list(nodes)] for score, nodes in answer])
        reaches.append(list(counts))
    json.dump(
        {
            "peer": args.peer,
            "build_s": build,
            "memory_bytes": memory,
            "path_ms": path_ms,
            "reach_ms": reach_ms,
            "answers": answers,
            "reaches": reaches,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
