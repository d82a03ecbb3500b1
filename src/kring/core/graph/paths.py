"""Introduction paths: the best k paths of at most three ties to a person, an organisation or
anyone matching a mask, and their explanation hop by hop."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from kring.core.graph import _kernels
from kring.core.graph.model import Graph, Hop, InvalidQuery, Path

__all__ = [
    "MAX_HOPS",
    "MAX_K",
    "best_paths",
    "best_paths_to_matching",
    "best_paths_to_organisation",
    "explain_path",
    "node_mask",
]

MAX_K = 10
MAX_HOPS = 3


def best_paths(
    graph: Graph,
    source: int,
    target: int,
    *,
    k: int = 5,
    max_hops: int = 3,
    competitors: Iterable[int] = (),
) -> list[Path]:
    """The best ``k`` simple paths of at most ``max_hops`` ties from ``source`` to ``target``.

    Parameters
    ----------
    graph
        The pooled network.
    source, target
        Node ids; they must differ.
    k
        How many paths at most, 1-10 (default 5).
    max_hops
        The longest path allowed, 1-3 ties (default 3).
    competitors
        Organisation codes that compete with the target's organisation: a path whose
        intermediate node works at one of them is returned with that node in ``Path.flagged``.

    Returns
    -------
    list of Path
        Best first: higher score (the product of the tie strengths), then fewer hops, then the
        node sequence in ascending order. Fewer than ``k`` when fewer paths exist.

    Raises
    ------
    UnknownNode
        ``source`` or ``target`` is not a node of the graph.
    InvalidQuery
        ``source == target``, ``k`` outside 1-10 or ``max_hops`` outside 1-3.

    Examples
    --------
    >>> from kring.core.graph import build_graph
    >>> g = build_graph(3, [0, 1, 0], [1, 2, 2], [1.0, 0.5, 0.25])
    >>> [(p.nodes, p.score) for p in best_paths(g, 0, 2)]
    [((0, 1, 2), 0.5), ((0, 2), 0.25)]

    Notes
    -----
    Meet in the middle: the target's neighbours keep their tie to the target, the source's
    neighbours theirs to the source, and the ties between the two sets are read from the side
    with fewer entries. O(d(s) + d(t) + min(sum of degrees of N(s), of N(t))).
    """
    s = graph.check_node(source)
    t = graph.check_node(target)
    _check_query(k, max_hops)
    if s == t:
        raise InvalidQuery("a path from a node to itself is not an introduction", "self_path")
    return _best_paths(graph, s, np.array([t], np.int32), k, max_hops, competitors)


def best_paths_to_organisation(
    graph: Graph,
    source: int,
    organisation: int,
    *,
    k: int = 5,
    max_hops: int = 3,
    competitors: Iterable[int] = (),
) -> list[Path]:
    """The best ``k`` paths from ``source`` to anyone whose organisation is ``organisation``.

    A path ends at the first member of the organisation it reaches: members are never
    intermediate nodes, and the source is never a target even when it works there.

    Parameters, returns and ordering are those of :func:`best_paths`; an organisation with no
    member in the graph gives an empty list (the caller knows whether it exists at all).

    Raises
    ------
    UnknownNode
        ``source`` is not a node of the graph.
    InvalidQuery
        ``organisation`` is negative, ``k`` outside 1-10 or ``max_hops`` outside 1-3.

    Examples
    --------
    >>> from kring.core.graph import build_graph
    >>> g = build_graph(4, [0, 1, 1], [1, 2, 3], [0.9, 0.5, 0.8], organisation=[-1, -1, 7, 7])
    >>> [p.nodes for p in best_paths_to_organisation(g, 0, 7)]
    [(0, 1, 3), (0, 1, 2)]

    Notes
    -----
    O(sum of degrees of the members + min(sum of degrees of N(source), of their neighbours)).
    """
    s = graph.check_node(source)
    _check_query(k, max_hops)
    if isinstance(organisation, bool) or not isinstance(organisation, int | np.integer):
        raise InvalidQuery(f"organisation must be an integer code, not {organisation!r}")
    if organisation < 0:
        raise InvalidQuery(f"organisation must be a code >= 0, not {organisation}")
    members = graph.members(int(organisation))
    members = members[members != s]
    return _best_paths(graph, s, members, k, max_hops, competitors)


def best_paths_to_matching(
    graph: Graph,
    source: int,
    mask: npt.ArrayLike,
    *,
    k: int = 5,
    max_hops: int = 3,
    competitors: Iterable[int] = (),
) -> list[Path]:
    """The best ``k`` paths from ``source`` to any node where the boolean ``mask`` is True.

    Build the mask with :func:`node_mask` (role, sector, region, organisation) or any NumPy
    expression over the graph's attributes. As for organisations, matching nodes are never
    intermediate nodes and the source is never a target.

    Raises
    ------
    UnknownNode
        ``source`` is not a node of the graph.
    InvalidQuery
        ``mask`` is not a boolean array with one entry per node, ``k`` outside 1-10 or
        ``max_hops`` outside 1-3.

    Examples
    --------
    >>> from kring.core.graph import build_graph
    >>> g = build_graph(3, [0, 1], [1, 2], [0.5, 0.5], sector=[-1, 3, 3])
    >>> [p.nodes for p in best_paths_to_matching(g, 0, node_mask(g, sector=3))]
    [(0, 1)]

    Notes
    -----
    O(sum of degrees of the matching nodes + ...): a broad mask over a large graph reads a
    large part of it (about 1 ms per 100,000 matching nodes' worth of ties on one core).
    """
    s = graph.check_node(source)
    _check_query(k, max_hops)
    array = np.asarray(mask)
    if array.dtype != np.bool_ or array.shape != (graph.n_nodes,):
        raise InvalidQuery(f"mask must be a boolean array of length {graph.n_nodes}")
    targets = np.flatnonzero(array).astype(np.int32)
    targets = targets[targets != s]
    return _best_paths(graph, s, targets, k, max_hops, competitors)


def node_mask(
    graph: Graph,
    *,
    organisation: int | Iterable[int] | None = None,
    sector: int | Iterable[int] | None = None,
    region: int | Iterable[int] | None = None,
    role: int | Iterable[int] | None = None,
) -> npt.NDArray[np.bool_]:
    """A boolean mask of the nodes that match every given attribute (each a code or codes).

    >>> from kring.core.graph import build_graph
    >>> g = build_graph(3, [], [], [], sector=[1, 2, 1], region=[5, 5, 6])
    >>> node_mask(g, sector=1, region=[5, 6]).tolist()
    [True, False, True]
    """
    mask = np.ones(graph.n_nodes, np.bool_)
    for codes, values in (
        (graph.organisation, organisation),
        (graph.sector, sector),
        (graph.region, region),
        (graph.role, role),
    ):
        if values is None:
            continue
        if isinstance(values, int | np.integer):
            wanted = np.array([values])
        else:
            wanted = np.array(list(values), dtype=np.int64)
        mask &= np.isin(codes, wanted)
    return mask


def explain_path(graph: Graph, path: Path, *, competitors: Iterable[int] = ()) -> tuple[Hop, ...]:
    """The hops of ``path`` as plain data for a page: who, how strong, which organisation.

    ``competitors`` marks intermediate nodes at those organisations (``Hop.competitor``).

    >>> from kring.core.graph import build_graph
    >>> g = build_graph(3, [0, 1], [1, 2], [1.0, 0.5], organisation=[-1, 4, 9])
    >>> [(h.from_node, h.to_node, h.strength, h.organisation) for h in
    ...     explain_path(g, best_paths(g, 0, 2)[0])]
    [(0, 1, 1.0, 4), (1, 2, 0.5, 9)]
    """
    rivals = _codes(competitors)
    hops = []
    for i in range(path.hops):
        u, v = path.nodes[i], path.nodes[i + 1]
        organisation = graph.organisation_of(v)
        hops.append(
            Hop(
                position=i + 1,
                from_node=u,
                to_node=v,
                strength=path.strengths[i],
                organisation=organisation,
                degree=graph.degree(v),
                competitor=(
                    i + 1 < path.hops and organisation is not None and organisation in rivals
                ),
            )
        )
    return tuple(hops)


def _check_query(k: int, max_hops: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_K:
        raise InvalidQuery(
            f"k must be an integer from 1 to {MAX_K}, not {k!r}", "k", {"max": MAX_K}
        )
    if (
        isinstance(max_hops, bool)
        or not isinstance(max_hops, int | np.integer)
        or not 1 <= max_hops <= MAX_HOPS
    ):
        raise InvalidQuery(
            f"max_hops must be an integer from 1 to {MAX_HOPS}, not {max_hops!r}",
            "hops",
            {"max": MAX_HOPS},
        )


def _codes(values: Iterable[int]) -> frozenset[int]:
    return frozenset(int(v) for v in values)


def _best_paths(
    graph: Graph,
    source: int,
    targets: npt.NDArray[np.int32],
    k: int,
    max_hops: int,
    competitors: Iterable[int],
    direction: int = 0,
) -> list[Path]:
    """Run the kernel on sorted unique ``targets`` (without ``source``) and build the paths."""
    scratch = _kernels.scratch(graph.n_nodes)
    scores, hops, nodes, strengths = _kernels.best_paths(
        graph.indptr,
        graph.indices,
        graph.weights,
        graph.rowmax,
        source,
        targets.astype(np.int32, copy=False),
        int(k),
        int(max_hops),
        scratch["tbits"],
        scratch["abits"],
        scratch["bbits"],
        scratch["wsa"],
        scratch["slot"],
        direction,
    )
    rivals = _codes(competitors)
    paths = []
    for i in range(scores.shape[0]):
        h = int(hops[i])
        path_nodes = (source, *(int(x) for x in nodes[i, :h]))
        flagged: tuple[int, ...] = ()
        if rivals:
            flagged = tuple(u for u in path_nodes[1:-1] if int(graph.organisation[u]) in rivals)
        paths.append(
            Path(
                nodes=path_nodes,
                strengths=tuple(float(x) for x in strengths[i, :h]),
                score=float(scores[i]),
                flagged=flagged,
            )
        )
    return paths
