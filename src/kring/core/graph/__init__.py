"""The pooled network as compact arrays: introduction paths and reach (issue 7).

Public API:

* :func:`build_graph` makes a CSR :class:`Graph` from an edge list and node attribute codes;
  :func:`save_graph` / :func:`load_graph` keep it as memory-mappable ``.npy`` files;
  :func:`prepare_ties` sorts every tie of a network once, and :meth:`Ties.graph` makes the
  graph of any subset of them (one viewer's) without sorting again;
* :func:`best_paths`, :func:`best_paths_to_organisation` and :func:`best_paths_to_matching`
  give the best k simple paths (at most 3 ties, scored by the product of tie strengths) to a
  person, anyone at an organisation, or anyone in a mask made by :func:`node_mask`;
* :func:`explain_path` turns a :class:`Path` into :class:`Hop` rows for a page;
* :func:`reach` counts the people at one and within two hops of a node or a set of nodes.

No Django here: node ids are ``0 .. n - 1`` and attributes are int codes; the adapters map
database ids and sharing levels onto them.
"""

from kring.core.graph.build import Ties, build_graph, load_graph, prepare_ties, save_graph
from kring.core.graph.funnel import reach
from kring.core.graph.model import (
    Graph,
    GraphError,
    Hop,
    InvalidGraph,
    InvalidQuery,
    Path,
    Reach,
    UnknownNode,
)
from kring.core.graph.paths import (
    MAX_HOPS,
    MAX_K,
    best_paths,
    best_paths_to_matching,
    best_paths_to_organisation,
    explain_path,
    node_mask,
)

__all__ = [
    "MAX_HOPS",
    "MAX_K",
    "Graph",
    "GraphError",
    "Hop",
    "InvalidGraph",
    "InvalidQuery",
    "Path",
    "Reach",
    "Ties",
    "UnknownNode",
    "best_paths",
    "best_paths_to_matching",
    "best_paths_to_organisation",
    "build_graph",
    "explain_path",
    "load_graph",
    "node_mask",
    "prepare_ties",
    "reach",
    "save_graph",
]
