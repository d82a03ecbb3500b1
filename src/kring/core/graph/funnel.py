"""Reach: how many people a node, or a set of nodes, reaches at one and at two hops."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kring.core.graph import _kernels
from kring.core.graph.model import Graph, InvalidQuery, Reach

__all__ = ["reach"]


def reach(graph: Graph, sources: int | Iterable[int]) -> Reach:
    """Distinct people at exactly one hop, and within two hops, of ``sources``.

    Parameters
    ----------
    graph
        The pooled network.
    sources
        One node id, or several (a workspace's members); duplicates count once.

    Returns
    -------
    Reach
        ``one_hop`` and ``within_two_hops``; the sources themselves are never counted, so a
        member who knows another member does not count them.

    Raises
    ------
    UnknownNode
        A source is not a node of the graph.
    InvalidQuery
        ``sources`` is empty.

    Examples
    --------
    >>> from kring.core.graph import build_graph
    >>> g = build_graph(5, [0, 1, 2, 3], [1, 2, 3, 4], [1.0] * 4)
    >>> reach(g, 0), reach(g, [0, 4])
    (Reach(one_hop=1, within_two_hops=2), Reach(one_hop=2, within_two_hops=3))

    Notes
    -----
    O(sum of the degrees of the sources and of their neighbours), with per-thread scratch
    arrays so nothing of size n is cleared per query.
    """
    if isinstance(sources, int | np.integer):
        nodes = [graph.check_node(sources)]
    else:
        nodes = [graph.check_node(s) for s in sources]
    if not nodes:
        raise InvalidQuery("reach needs at least one source", "no_source")
    scratch = _kernels.scratch(graph.n_nodes)
    one, within_two = _kernels.reach(
        graph.indptr,
        graph.indices,
        np.asarray(nodes, dtype=np.int32),
        scratch["mark"],
        scratch["touched"],
    )
    return Reach(one_hop=int(one), within_two_hops=int(within_two))
