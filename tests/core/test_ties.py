"""The graph of a subset of prepared ties is the graph build_graph makes of that subset: every
array equal, for random edge lists (duplicates, self-loops, isolated nodes) and random masks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.graph import InvalidGraph, build_graph, prepare_ties
from kring.core.graph.build import _ARRAYS
from tests.core.graph_strategies import EdgeList, edge_lists


def _same(a, b) -> None:
    for name in _ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name


@settings(max_examples=300, deadline=None)
@given(edge_lists(max_nodes=12, max_edges=40), st.data())
def test_a_masked_graph_equals_the_graph_of_the_kept_ties(edges: EdgeList, data):
    ties = prepare_ties(edges.n, edges.sources, edges.targets, edges.strengths)
    m = len(edges.sources)
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    src = np.array(edges.sources, dtype=np.int64)[keep]
    dst = np.array(edges.targets, dtype=np.int64)[keep]
    w = np.array(edges.strengths, dtype=np.float32)[keep]
    expected = build_graph(edges.n, src, dst, w, organisation=edges.organisation)
    _same(ties.graph(keep, organisation=edges.organisation), expected)


def test_all_none_and_a_larger_network():
    rng = np.random.default_rng(7)
    n, m = 3000, 40000
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    w = rng.choice([0.25, 0.5, 0.75, 1.0], m).astype(np.float32)
    ties = prepare_ties(n, src, dst, w)
    for keep in (np.ones(m, bool), np.zeros(m, bool), rng.random(m) < 0.3):
        _same(ties.graph(keep), build_graph(n, src[keep], dst[keep], w[keep]))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((3, [0], [1, 2], [1.0]), "differ in length"),
        ((3, [0], [3], [1.0]), "outside"),
        ((3, [0], [1], [0.0]), r"\(0, 1\]"),
        ((-1, [], [], []), "non-negative"),
    ],
)
def test_it_refuses_what_build_graph_refuses(args, message):
    with pytest.raises(InvalidGraph, match=message):
        prepare_ties(*args)


def test_a_mask_of_the_wrong_shape_or_type_is_refused():
    ties = prepare_ties(3, [0, 1], [1, 2], [0.5, 0.5])
    for keep in (np.ones(3, bool), np.ones(2, int), [1, 0]):
        with pytest.raises(InvalidGraph, match="one bool per tie"):
            ties.graph(keep)
