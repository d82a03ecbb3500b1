"""Introduction paths and reach on the CSR graph: worked examples, errors and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kring.core.graph as graph_api
from kring.core.graph import (
    Graph,
    Hop,
    InvalidGraph,
    InvalidQuery,
    Path,
    Reach,
    UnknownNode,
    best_paths,
    best_paths_to_matching,
    best_paths_to_organisation,
    build_graph,
    explain_path,
    load_graph,
    node_mask,
    reach,
    save_graph,
)
from kring.core.graph.paths import _best_paths
from tests.core.graph_strategies import (
    EdgeList,
    edge_lists,
    reference_adjacency,
    reference_paths,
    reference_reach,
)

# The cast: you (0) know Marie (1) well and Bram (2) a little; Marie knows Koen (3) at Acme (10);
# Bram knows Lies (4) at Acme; Marie also knows Eva (5) at Bolt (20), who competes with Acme,
# and Eva knows Koen.
YOU, MARIE, BRAM, KOEN, LIES, EVA = range(6)
ACME, BOLT = 10, 20


@pytest.fixture
def club() -> Graph:
    return build_graph(
        6,
        [YOU, YOU, MARIE, BRAM, MARIE, EVA],
        [MARIE, BRAM, KOEN, LIES, EVA, KOEN],
        [0.9, 0.4, 0.8, 0.9, 1.0, 0.7],
        organisation=[-1, -1, -1, ACME, ACME, BOLT],
        sector=[1, 1, 2, 3, 3, 3],
    )


def test_it_exports_the_public_api():
    assert sorted(graph_api.__all__) == [
        "Graph", "GraphError", "Hop", "InvalidGraph", "InvalidQuery", "MAX_HOPS", "MAX_K",
        "Path", "Reach", "Ties", "UnknownNode", "best_paths", "best_paths_to_matching",
        "best_paths_to_organisation", "build_graph", "explain_path", "load_graph",
        "node_mask", "prepare_ties", "reach", "save_graph",
    ]  # fmt: skip


# --- building ------------------------------------------------------------------------------


def test_it_builds_an_undirected_csr_with_sorted_rows():
    g = build_graph(4, [2, 0, 3], [0, 1, 0], [0.5, 1.0, 0.25])
    assert g.indptr.tolist() == [0, 3, 4, 5, 6]
    assert g.indices.tolist() == [1, 2, 3, 0, 0, 0]
    assert g.weights.tolist() == [1.0, 0.5, 0.25, 1.0, 0.5, 0.25]
    assert (g.indptr.dtype, g.indices.dtype, g.weights.dtype) == (np.int64, np.int32, np.float32)
    assert g.n_nodes == 4 and g.n_edges == 3


def test_it_merges_duplicate_ties_by_their_strongest_value_and_drops_self_loops():
    g = build_graph(3, [0, 1, 0, 2, 2], [1, 0, 1, 2, 0], [0.2, 0.7, 0.5, 1.0, 0.3])
    assert g.n_edges == 2
    assert g.strength(0, 1) == pytest.approx(0.7)
    assert g.strength(1, 0) == pytest.approx(0.7)
    assert g.strength(2, 2) == 0.0


def test_it_keeps_node_attributes_and_finds_organisation_members(club):
    assert club.members(ACME).tolist() == [KOEN, LIES]
    assert club.members(99).tolist() == []
    assert club.organisation_of(YOU) is None
    assert club.organisation_of(EVA) == BOLT
    assert node_mask(club, sector=3, organisation=[ACME]).tolist() == [
        False, False, False, True, True, False,
    ]  # fmt: skip


def test_it_builds_an_empty_graph():
    g = build_graph(2, [], [], [])
    assert g.n_edges == 0
    assert best_paths(g, 0, 1) == []
    assert reach(g, 0) == Reach(0, 0)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((3, [0], [1, 2], [1.0]), {}, "differ in length"),
        ((3, [0], [3], [1.0]), {}, "outside"),
        ((3, [-1], [1], [1.0]), {}, "outside"),
        ((3, [0.0], [1], [1.0]), {}, "integers"),
        ((3, [0], [1], [0.0]), {}, r"\(0, 1\]"),
        ((3, [0], [1], [1.5]), {}, r"\(0, 1\]"),
        ((3, [0], [1], [float("nan")]), {}, "finite"),
        ((3, [0], [1], [1.0]), {"organisation": [1, 2]}, "one code per node"),
        ((-1, [], [], []), {}, "non-negative"),
    ],
)
def test_it_refuses_a_bad_edge_list(args, kwargs, message):
    with pytest.raises(InvalidGraph, match=message):
        build_graph(*args, **kwargs)


def test_it_saves_and_memory_maps_a_snapshot(club, tmp_path):
    save_graph(club, tmp_path / "snap")
    loaded = load_graph(tmp_path / "snap")
    assert isinstance(loaded.indices, np.memmap)
    for name in ("indptr", "indices", "weights", "organisation", "sector", "rowmax"):
        assert np.array_equal(getattr(loaded, name), getattr(club, name))
    assert best_paths_to_organisation(loaded, YOU, ACME) == best_paths_to_organisation(
        club, YOU, ACME
    )
    eager = load_graph(tmp_path / "snap", mmap=False)
    assert not isinstance(eager.indices, np.memmap)


def test_it_refuses_a_folder_without_a_snapshot(tmp_path):
    with pytest.raises(InvalidGraph, match="no graph snapshot"):
        load_graph(tmp_path)


# --- paths: worked examples ----------------------------------------------------------------


def test_it_ranks_paths_to_a_person_by_the_product_of_strengths(club):
    paths = best_paths(club, YOU, KOEN)
    assert [p.nodes for p in paths] == [(YOU, MARIE, KOEN), (YOU, MARIE, EVA, KOEN)]
    assert paths[0].strengths == pytest.approx((0.9, 0.8))
    assert paths[0].score == pytest.approx(0.72)
    assert paths[1].score == pytest.approx(0.9 * 1.0 * 0.7)
    assert paths[0].hops == 2 and paths[0].source == YOU and paths[0].target == KOEN


def test_it_reaches_anyone_at_an_organisation(club):
    paths = best_paths_to_organisation(club, YOU, ACME)
    assert [p.nodes for p in paths] == [
        (YOU, MARIE, KOEN),
        (YOU, MARIE, EVA, KOEN),
        (YOU, BRAM, LIES),
    ]


def test_it_flags_paths_through_a_competitor_without_removing_them(club):
    paths = best_paths_to_organisation(club, YOU, ACME, competitors=[BOLT])
    assert [p.flagged for p in paths] == [(), (EVA,), ()]
    assert [p.is_flagged for p in paths] == [False, True, False]


def test_it_never_passes_through_a_member_of_the_target_organisation():
    # 0 - 1 (Acme) - 2 (Acme): the colleague behind Koen is not a separate path
    g = build_graph(3, [0, 1], [1, 2], [1.0, 1.0], organisation=[-1, 7, 7])
    assert [p.nodes for p in best_paths_to_organisation(g, 0, 7)] == [(0, 1)]


def test_it_never_targets_the_source_at_its_own_organisation():
    g = build_graph(3, [0, 1], [1, 2], [1.0, 0.5], organisation=[7, -1, 7])
    assert [p.nodes for p in best_paths_to_organisation(g, 0, 7)] == [(0, 1, 2)]


def test_it_respects_k_and_the_hop_limit(club):
    assert len(best_paths(club, YOU, KOEN, k=1)) == 1
    assert best_paths(club, YOU, KOEN, max_hops=1) == []
    assert [p.nodes for p in best_paths(club, YOU, KOEN, max_hops=2)] == [(YOU, MARIE, KOEN)]


def test_it_breaks_ties_by_fewer_hops_then_by_node_order():
    # 0-3 direct at 0.25, and 0-1-3, 0-2-3 both 0.5 * 0.5 = 0.25
    g = build_graph(4, [0, 0, 0, 1, 2], [3, 2, 1, 3, 3], [0.25, 0.5, 0.5, 0.5, 0.5])
    assert [p.nodes for p in best_paths(g, 0, 3)] == [(0, 3), (0, 1, 3), (0, 2, 3)]


def test_it_finds_paths_to_anyone_matching_a_mask(club):
    paths = best_paths_to_matching(club, YOU, node_mask(club, sector=3), k=2)
    assert [p.nodes for p in paths] == [(YOU, MARIE, EVA), (YOU, MARIE, KOEN)]


def test_it_explains_a_path_hop_by_hop(club):
    path = best_paths_to_organisation(club, YOU, ACME, competitors=[BOLT])[1]
    hops = explain_path(club, path, competitors=[BOLT])
    assert hops == (
        Hop(1, YOU, MARIE, float(np.float32(0.9)), None, 3, False),
        Hop(2, MARIE, EVA, 1.0, BOLT, 2, True),
        Hop(3, EVA, KOEN, float(np.float32(0.7)), ACME, 2, False),
    )


# --- paths: refused queries ----------------------------------------------------------------


@pytest.mark.parametrize("k", [0, 11, -1, True, 2.0])
def test_it_refuses_k_outside_one_to_ten(club, k):
    with pytest.raises(InvalidQuery, match="k must be"):
        best_paths(club, YOU, KOEN, k=k)


@pytest.mark.parametrize("hops", [0, 4])
def test_it_refuses_a_hop_limit_outside_one_to_three(club, hops):
    with pytest.raises(InvalidQuery, match="max_hops"):
        best_paths_to_organisation(club, YOU, ACME, max_hops=hops)


def test_it_refuses_a_path_to_oneself(club):
    with pytest.raises(InvalidQuery, match="itself"):
        best_paths(club, YOU, YOU)


@pytest.mark.parametrize("node", [-1, 6, "0", None, 1.0])
def test_it_names_an_unknown_node(club, node):
    with pytest.raises(UnknownNode) as caught:
        best_paths(club, node, KOEN)
    assert caught.value.node == node
    with pytest.raises(UnknownNode):
        reach(club, [YOU, node])


def test_it_refuses_a_negative_organisation_and_a_bad_mask(club):
    with pytest.raises(InvalidQuery, match="organisation"):
        best_paths_to_organisation(club, YOU, -1)
    with pytest.raises(InvalidQuery, match="mask"):
        best_paths_to_matching(club, YOU, np.ones(3, bool))
    with pytest.raises(InvalidQuery, match="mask"):
        best_paths_to_matching(club, YOU, np.ones(6, int))


def test_it_answers_nothing_for_an_organisation_without_members(club):
    assert best_paths_to_organisation(club, YOU, 99) == []


# --- reach ---------------------------------------------------------------------------------


def test_it_counts_reach_at_one_and_two_hops(club):
    assert reach(club, YOU) == Reach(one_hop=2, within_two_hops=5)
    assert reach(club, KOEN).two_hops == 1  # only YOU, through Marie: Eva is already at one hop
    assert reach(club, [YOU, MARIE]) == Reach(one_hop=3, within_two_hops=4)


def test_it_refuses_reach_from_nobody(club):
    with pytest.raises(InvalidQuery):
        reach(club, [])


# --- properties ----------------------------------------------------------------------------


def _check_paths(g: Graph, paths: list[Path], source: int, targets: set[int], hops: int) -> None:
    for p in paths:
        assert p.nodes[0] == source and p.nodes[-1] in targets
        assert len(set(p.nodes)) == len(p.nodes), "simple"
        assert 1 <= p.hops <= hops
        assert not targets & set(p.nodes[1:-1])
        for (u, v), w in zip(zip(p.nodes[:-1], p.nodes[1:], strict=True), p.strengths, strict=True):
            assert g.strength(u, v) == w, "each hop is a tie of that strength"
        assert p.score == math.prod(p.strengths)
    keys = [(-p.score, p.hops, p.nodes) for p in paths]
    assert keys == sorted(keys)


@settings(max_examples=300, deadline=None)
@given(edge_lists(), st.data())
def test_it_matches_brute_force_on_small_graphs(edges: EdgeList, data: st.DataObject):
    g = build_graph(
        edges.n, edges.sources, edges.targets, edges.strengths, organisation=edges.organisation
    )
    adj = reference_adjacency(edges)
    source = data.draw(st.integers(0, edges.n - 1))
    k = data.draw(st.integers(1, 10))
    hops = data.draw(st.integers(1, 3))
    kind = data.draw(st.sampled_from(["node", "organisation", "mask"]))
    if kind == "node":
        target = data.draw(st.integers(0, edges.n - 1).filter(lambda t: t != source))
        targets = {target}
        paths = best_paths(g, source, target, k=k, max_hops=hops)
    elif kind == "organisation":
        org = data.draw(st.integers(0, 3))
        targets = {u for u in range(edges.n) if edges.organisation[u] == org} - {source}
        paths = best_paths_to_organisation(g, source, org, k=k, max_hops=hops)
    else:
        mask = np.array(data.draw(st.lists(st.booleans(), min_size=edges.n, max_size=edges.n)))
        targets = set(np.flatnonzero(mask).tolist()) - {source}
        paths = best_paths_to_matching(g, source, mask, k=k, max_hops=hops)
    _check_paths(g, paths, source, targets, hops)
    expected = reference_paths(adj, source, targets, k, hops)
    assert [(p.nodes, p.score) for p in paths] == expected


@settings(max_examples=150, deadline=None)
@given(edge_lists(), st.data())
def test_it_matches_brute_force_reach(edges: EdgeList, data: st.DataObject):
    g = build_graph(edges.n, edges.sources, edges.targets, edges.strengths)
    sources = data.draw(st.sets(st.integers(0, edges.n - 1), min_size=1))
    expected = reference_reach(reference_adjacency(edges), sources)
    got = reach(g, sorted(sources))
    assert (got.one_hop, got.within_two_hops) == expected


@settings(max_examples=100, deadline=None)
@given(edge_lists())
def test_it_builds_a_symmetric_graph_equal_to_the_merged_edge_list(edges: EdgeList):
    g = build_graph(edges.n, edges.sources, edges.targets, edges.strengths)
    adj = reference_adjacency(edges)
    for u in range(edges.n):
        nbrs, ws = g.neighbors(u)
        assert nbrs.tolist() == sorted(adj[u])
        assert ws.tolist() == [adj[u][v] for v in sorted(adj[u])]
        assert g.rowmax[u] == max(ws.tolist(), default=0.0)


def test_it_matches_brute_force_on_a_denser_random_graph():
    # hubs and many ties: exercises both directions of the middle join and the pruning
    rng = np.random.default_rng(7)
    n = 60
    src = rng.integers(0, n, 900)
    dst = (src + rng.integers(1, n, 900)) % n
    strengths = rng.choice([0.2, 0.4, 0.6, 0.8, 1.0], 900)
    organisation = rng.integers(-1, 6, n)
    edges = EdgeList(n, src.tolist(), dst.tolist(), strengths.tolist(), organisation.tolist())
    g = build_graph(n, src, dst, strengths, organisation=organisation)
    adj = reference_adjacency(edges)
    for source in range(0, n, 7):
        for org in range(6):
            targets = {u for u in range(n) if organisation[u] == org} - {source}
            members = np.array(sorted(targets), np.int32)
            for k in (1, 5, 10):
                expected = reference_paths(adj, source, targets, k, 3)
                paths = best_paths_to_organisation(g, source, org, k=k)
                assert [(p.nodes, p.score) for p in paths] == expected
                for direction in (1, 2):  # force each side of the middle join
                    forced = _best_paths(g, source, members, k, 3, (), direction)
                    assert forced == paths


@pytest.mark.parametrize("module", ["build", "paths", "funnel"])
def test_it_keeps_its_docstring_examples_true(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"kring.core.graph.{module}"))
    assert result.attempted > 0 and result.failed == 0
