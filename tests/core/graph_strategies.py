"""Hypothesis strategies for pooled-network graphs, and a brute-force reference to check them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

# a few strengths so that equal scores (and the tie-break) are common
STRENGTHS = [0.25, 0.5, 0.75, 1.0, 0.3, 0.9]


@dataclass(frozen=True)
class EdgeList:
    """A small graph as plain lists, as an adapter would hand it to ``build_graph``."""

    n: int
    sources: list[int]
    targets: list[int]
    strengths: list[float]
    organisation: list[int]


@st.composite
def edge_lists(draw: st.DrawFn, max_nodes: int = 10, max_edges: int = 30) -> EdgeList:
    """Small graphs with duplicate ties, self-loops, isolated nodes and four organisations."""
    n = draw(st.integers(2, max_nodes))
    m = draw(st.integers(0, max_edges))
    node = st.integers(0, n - 1)
    pairs = draw(st.lists(st.tuples(node, node), min_size=m, max_size=m))
    strength = st.sampled_from(STRENGTHS) | st.floats(0.0625, 1.0, width=32)
    strengths = [draw(strength) for _ in pairs]
    organisation = draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n))
    return EdgeList(n, [p[0] for p in pairs], [p[1] for p in pairs], strengths, organisation)


def reference_adjacency(edges: EdgeList) -> dict[int, dict[int, float]]:
    """Adjacency with duplicates merged by max strength (as float32), self-loops dropped."""
    adj: dict[int, dict[int, float]] = {u: {} for u in range(edges.n)}
    for u, v, w in zip(edges.sources, edges.targets, edges.strengths, strict=True):
        if u == v:
            continue
        w32 = float(np.float32(w))
        adj[u][v] = max(adj[u].get(v, 0.0), w32)
        adj[v][u] = max(adj[v].get(u, 0.0), w32)
    return adj


def reference_paths(
    adj: dict[int, dict[int, float]], source: int, targets: set[int], k: int, max_hops: int
) -> list[tuple[tuple[int, ...], float]]:
    """Every simple path to a target (no target in between), sorted as the core sorts them."""
    found: list[tuple[tuple[int, ...], float]] = []

    def walk(path: list[int], strengths: list[float]) -> None:
        for v, w in adj[path[-1]].items():
            if v in path:
                continue
            if v in targets:
                found.append(((*path, v), math.prod([*strengths, w])))
            elif len(path) < max_hops:
                walk([*path, v], [*strengths, w])

    walk([source], [])
    found.sort(key=lambda item: (-item[1], len(item[0]), item[0]))
    return found[:k]


def reference_reach(adj: dict[int, dict[int, float]], sources: set[int]) -> tuple[int, int]:
    one = set().union(*(adj[s].keys() for s in sources)) - sources
    two = set().union(one, *(adj[a].keys() for a in one)) - sources
    return len(one), len(two)
