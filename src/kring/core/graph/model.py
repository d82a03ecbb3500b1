"""The pooled network's plain data: the CSR graph, paths, hops, reach, and the errors raised.

A :class:`Graph` holds NumPy arrays only, so it can be saved as ``.npy`` files and memory-mapped
back; every answer (:class:`Path`, :class:`Hop`, :class:`Reach`) is an immutable dataclass of
built-in types, so pages, the API and the CLI can render or serialise it as they like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Graph",
    "GraphError",
    "Hop",
    "InvalidGraph",
    "InvalidQuery",
    "Path",
    "Reach",
    "UnknownNode",
]


class GraphError(ValueError):
    """Base class of the errors the graph core raises for input it cannot answer.

    ``code`` and ``params`` say what is wrong for the interface to translate: ``self_path``,
    ``k`` (with ``max``), ``hops`` (with ``max``), ``no_source``, ``unknown_node``, else
    ``invalid``; the message is English, for logs and tracebacks."""

    def __init__(self, message: str, code: str = "invalid", params: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code  # what the interface translates, with ``params``; the message is English
        self.params = dict(params or {})


class InvalidGraph(GraphError):
    """The edge list or the node attributes cannot make a graph (bad ids, strengths, shapes)."""


class InvalidQuery(GraphError):
    """A query the core refuses: ``k`` outside 1-10, hops outside 1-3, a path to oneself, ..."""


class UnknownNode(GraphError):
    """A node id that is not in the graph; ``node`` holds it."""

    def __init__(self, node: object) -> None:
        super().__init__(f"unknown node {node!r}", "unknown_node", {"node": node})
        self.node = node


@dataclass(frozen=True, eq=False)
class Graph:
    """An undirected weighted graph in compressed sparse row form, with node attributes.

    Node ids are ``0 .. n_nodes - 1``. The neighbours of ``u`` are
    ``indices[indptr[u]:indptr[u + 1]]`` in ascending order, with the tie strengths in the
    same slice of ``weights`` (float32 in ``(0, 1]``). Every tie is stored in both directions.
    Attributes are int32 codes per node, ``-1`` for none. Build one with
    :func:`~kring.core.graph.build_graph`; never mutate the arrays (they may be memory-mapped).
    """

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]
    organisation: npt.NDArray[np.int32]
    sector: npt.NDArray[np.int32]
    region: npt.NDArray[np.int32]
    role: npt.NDArray[np.int32]
    #: the strongest tie of each node (0 for none): an upper bound that prunes path search
    rowmax: npt.NDArray[np.float32]
    #: node ids ordered by organisation, and the organisation of each, to find members fast
    org_order: npt.NDArray[np.int32]
    org_sorted: npt.NDArray[np.int32]

    @property
    def n_nodes(self) -> int:
        """The number of nodes."""
        return int(self.indptr.shape[0] - 1)

    @property
    def n_edges(self) -> int:
        """The number of undirected ties (each is stored twice)."""
        return int(self.indices.shape[0] // 2)

    @property
    def nbytes(self) -> int:
        """Bytes held by the graph's arrays."""
        arrays = (
            self.indptr,
            self.indices,
            self.weights,
            self.organisation,
            self.sector,
            self.region,
            self.role,
            self.rowmax,
            self.org_order,
            self.org_sorted,
        )
        return int(sum(a.nbytes for a in arrays))

    def check_node(self, node: int) -> int:
        """Return ``node`` as an int, or raise :class:`UnknownNode` if it is not in the graph."""
        if isinstance(node, bool) or not isinstance(node, int | np.integer):
            raise UnknownNode(node)
        if not 0 <= int(node) < self.n_nodes:
            raise UnknownNode(node)
        return int(node)

    def degree(self, node: int) -> int:
        """The number of ties of ``node``."""
        u = self.check_node(node)
        return int(self.indptr[u + 1] - self.indptr[u])

    def neighbors(self, node: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """The neighbours of ``node`` (ascending) and the strengths of those ties (views)."""
        u = self.check_node(node)
        lo, hi = int(self.indptr[u]), int(self.indptr[u + 1])
        return self.indices[lo:hi], self.weights[lo:hi]

    def strength(self, u: int, v: int) -> float:
        """The strength of the tie ``u - v``, or 0.0 when there is none."""
        nbrs, ws = self.neighbors(u)
        v = self.check_node(v)
        i = int(np.searchsorted(nbrs, v))
        if i < nbrs.shape[0] and int(nbrs[i]) == v:
            return float(ws[i])
        return 0.0

    def members(self, organisation: int) -> npt.NDArray[np.int32]:
        """The nodes whose organisation is ``organisation``, ascending (empty if none)."""
        lo = int(np.searchsorted(self.org_sorted, organisation, side="left"))
        hi = int(np.searchsorted(self.org_sorted, organisation, side="right"))
        return np.sort(self.org_order[lo:hi])

    def organisation_of(self, node: int) -> int | None:
        """The organisation code of ``node``, or None."""
        code = int(self.organisation[self.check_node(node)])
        return None if code < 0 else code


@dataclass(frozen=True, slots=True)
class Path:
    """A simple path from a source to a target, scored by the product of its tie strengths.

    ``nodes`` starts at the source and ends at the target; ``strengths[i]`` is the strength of
    the tie ``nodes[i] - nodes[i + 1]``. ``flagged`` lists the intermediate nodes that work at
    an organisation the query named as a competitor of the target (the path is kept, marked).
    """

    nodes: tuple[int, ...]
    strengths: tuple[float, ...]
    score: float
    flagged: tuple[int, ...] = ()

    @property
    def hops(self) -> int:
        """The number of ties on the path."""
        return len(self.nodes) - 1

    @property
    def source(self) -> int:
        """The first node."""
        return self.nodes[0]

    @property
    def target(self) -> int:
        """The last node: the person reached."""
        return self.nodes[-1]

    @property
    def is_flagged(self) -> bool:
        """True when an intermediate node works at a competitor of the target."""
        return bool(self.flagged)


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of an explained path: who introduces whom, how strong the tie is.

    ``organisation`` is the organisation code of ``to_node`` (None for none), ``degree`` its
    number of ties, and ``competitor`` is True when ``to_node`` is an intermediate node at a
    competitor of the target.
    """

    position: int
    from_node: int
    to_node: int
    strength: float
    organisation: int | None
    degree: int
    competitor: bool


@dataclass(frozen=True, slots=True)
class Reach:
    """How many distinct people are at exactly one hop, and within two hops, of the sources.

    The sources themselves are never counted.
    """

    one_hop: int
    within_two_hops: int

    @property
    def two_hops(self) -> int:
        """People at exactly two hops."""
        return self.within_two_hops - self.one_hop
