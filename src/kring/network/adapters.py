"""A workspace's pooled network as the core's CSR graph, as one member may see it.

The network is built once per workspace (a :class:`Snapshot`: every member's relationships with
their share levels, strengths and identities, as flat arrays) and shared by every viewer; what
one viewer may see is applied when the viewer asks, as masks over those arrays (their own file,
and what the others share), never by building a copy of the data per viewer. The snapshot is
saved in the data directory as a directory of .npy files (its string columns as UTF-8 bytes and
offsets) that every server process memory-maps read-only, so that they all share one copy in
the operating system's cache; it is keyed by a version that changes
only when something a tie is made of changes (members, relationships, shares, people, their
contact points and organisations, interactions: kring.network.signals); `kring worker` builds it
(:mod:`kring.network.tasks`) after such a change, so that a request finds it ready.

Nodes are the workspace's members and the people in their relationship files, one node per
real person: files that hold the same e-mail address or LinkedIn profile point at one node, and
a member is the node of any file entry with the member's own address. Ties:

* a member's relationship with a person, weighted by its strength — for the viewer's own file
  always, for another member's file only when that member shares it with the workspace (at
  "knows someone at <organisation>" or "name and role");
* colleagues at one organisation (a weak tie), and "introduced by" (a middling one), between
  people the viewer may see.

What the viewer may *call* a person follows the same consent: a name only from the viewer's own
file or a "name and role" share; otherwise "someone at <organisation>". Nothing else about a
hidden relationship enters the graph, so no page, API answer or error can leak it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import math
import os
import pickle
import shutil
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection
from django.db.models import Count

from kring.accounts.models import User
from kring.core.graph import Graph, Ties, best_paths_to_matching, build_graph, prepare_ties, reach
from kring.core.names import display_name, fold
from kring.network.models import NetworkVersion
from kring.people.adapters import relationship_scores
from kring.people.models import (
    ContactPoint,
    Interaction,
    Organisation,
    Person,
    Relationship,
    Share,
    ShareLevel,
)
from kring.workspaces.models import Workspace

log = logging.getLogger(__name__)

COLLEAGUE_STRENGTH = 0.25
INTRODUCED_STRENGTH = 0.5
MIN_STRENGTH = 0.05  # a recorded relationship with no recent contact is still a tie
MAX_COLLEAGUES = 60  # organisations larger than this are not wired as a clique

_T = TypeVar("_T")


@dataclass
class NodeInfo:
    """What the viewer may know of one node."""

    name: str = ""  # empty when the viewer may not see it
    title: str = ""
    organisation: str = ""
    sector: str = ""  # only where the name may be seen
    region: str = ""
    member: User | None = None
    person_id: int | None = None  # in the viewer's own file, for a link to the person page
    files: dict[int, int] = field(default_factory=dict)  # member id -> person id in their file
    contacts: dict[int, int] = field(default_factory=dict)  # member id -> contacts last year

    def label(self, someone_at: str, someone: str) -> str:
        if self.name:
            return self.name
        return someone_at % {"organisation": self.organisation} if self.organisation else someone


class _Tie(NamedTuple):
    """One relationship row, as the graph needs it."""

    id: int
    owner_id: int
    person_id: int
    introduced_by_id: int | None
    given_name: str
    particles: str
    surname: str
    title: str
    linkedin_url: str
    organisation: str | None
    sector: str
    region: str
    sort_name: str


def _identity_keys(points: list[tuple[str, str]], linkedin: str) -> list[str]:
    keys = [f"{kind}:{value.lower()}" for kind, value in points]
    if linkedin:
        keys.append("in:" + linkedin.rstrip("/").lower())
    return keys


_LEVEL_CODES: dict[str, int] = {
    ShareLevel.ORGANISATION: 1,
    ShareLevel.NAME_ROLE: 2,
}  # anything else: 0
_NAME_ROLE = 2


class Strings(Sequence[str]):
    """A column of strings as two NumPy arrays, so that it can be memory-mapped and shared by
    every server process: the UTF-8 bytes of all of them, one after the other, and where each
    one starts (``offsets[i]:offsets[i + 1]``). Read-only; a string is decoded when asked for."""

    def __init__(self, data: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None:
        self.data = data
        self.offsets = offsets
        # Plain views of the same memory: indexing a np.memmap wraps every slice it returns.
        self._data = data.view(np.ndarray)
        self._offsets = offsets.view(np.ndarray)
        # Each string decoded once per process and then shared by every viewer's columns
        # (which hold references to them, not copies); only the strings asked for.
        self._decoded: list[str | None] | None = None

    @classmethod
    def of(cls, values: Sequence[str]) -> Strings:
        encoded = [value.encode("utf-8") for value in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), np.int64, count=len(encoded)), out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return int(self.offsets.shape[0] - 1)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = int(index)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(index)
        decoded = self._decoded
        if decoded is None:
            decoded = self._decoded = [None] * len(self)
        value = decoded[i]
        if value is None:  # two threads may both decode it: the same string either way
            value = self._data[self._offsets[i] : self._offsets[i + 1]].tobytes().decode("utf-8")
            decoded[i] = value
        return value

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self[i]

    def nonempty(self) -> npt.NDArray[np.bool_]:
        """True for each string that is not empty, without decoding any."""
        return np.diff(self.offsets) > 0


@dataclass
class Snapshot:
    """A workspace's pooled network for every viewer at once: one row per relationship of any
    member (shared or not), in relationship id order, and the ties between the nodes they
    point at. Never shown as such: :func:`pooled_network` masks it for one viewer."""

    workspace_id: int
    version: str
    members: list[User]  # node i is members[i]
    n_nodes: int
    rel_owner: npt.NDArray[np.int64]  # user id
    rel_owner_node: npt.NDArray[np.int32]
    rel_person: npt.NDArray[np.int64]
    rel_node: npt.NDArray[np.int32]
    rel_level: npt.NDArray[np.int8]  # 0 hidden, 1 organisation, 2 name and role
    rel_strength: npt.NDArray[np.float32]
    rel_contacts: npt.NDArray[np.int32]  # the owner's contacts with the person in the last year
    rel_org: npt.NDArray[np.int32]  # organisation code, -1 for none
    rel_name: Strings
    rel_title: Strings
    rel_sector: Strings
    rel_region: Strings
    rel_organisation: Strings  # as written in that file
    rel_sort: Strings  # the person's sort name
    org_keys: Strings  # code -> folded name
    org_display: Strings  # code -> the name as first written
    colleagues: npt.NDArray[np.int32]  # (n, 3): two nodes and the organisation they share
    intros: npt.NDArray[np.int32]  # (n, 2): a relationship and its introducer's relationship
    competitors: npt.NDArray[np.int32]  # (n, 2): organisation codes
    node_rel_ptr: npt.NDArray[np.int64]  # relationships of node u: node_rels[ptr[u]:ptr[u+1]]
    node_rels: npt.NDArray[np.int64]
    # What this process computed from the arrays, shared by every viewer (never saved).
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_relationships(self) -> int:
        return len(self.rel_owner)

    @property
    def nbytes(self) -> int:
        """About what the snapshot holds in a process that has used all of it: its arrays
        (mapped pages count once read) and, as much again, what is decoded and derived."""
        arrays = [getattr(self, name) for name in _ARRAYS]
        for name in _STRINGS:
            column: Strings = getattr(self, name)
            arrays += [column.data, column.offsets]
        return 2 * sum(int(a.nbytes) for a in arrays)


def _build_snapshot(workspace: Workspace, version: str, *, now: dt.datetime) -> Snapshot:
    """Every member's relationships, with strengths and identities, in a fixed number of
    queries whatever the size of the club."""
    members = list(User.objects.filter(memberships__workspace=workspace).order_by("id"))
    member_ids = [m.pk for m in members]
    levels = dict(
        Share.objects.filter(workspace=workspace, relationship__owner_id__in=member_ids)
        .exclude(level=ShareLevel.NONE)
        .values_list("relationship_id", "level")
    )
    relationships = [
        _Tie(*row)
        for row in Relationship.objects.filter(owner_id__in=member_ids)
        .order_by("id")
        .values_list(
            "id",
            "owner_id",
            "person_id",
            "introduced_by_id",
            "person__given_name",
            "person__particles",
            "person__surname",
            "person__title",
            "person__linkedin_url",
            "person__organisation__name",
            "person__sector",
            "person__region",
            "person__sort_name",
        )
    ]
    points: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, kind, value in ContactPoint.objects.filter(
        person__owner_id__in=member_ids
    ).values_list("person_id", "kind", "value"):
        points[person_id].append((kind, value))

    by_key: dict[str, int] = {}
    member_node = {m.pk: i for i, m in enumerate(members)}
    for i, member in enumerate(members):
        by_key[f"email:{member.email.lower()}"] = i
    n_nodes = len(members)
    level = np.array([_LEVEL_CODES.get(levels.get(r.id, ""), 0) for r in relationships], np.int8)
    rel_node = np.full(len(relationships), -1, dtype=np.int32)
    keys = [_identity_keys(points.get(r.person_id, []), r.linkedin_url) for r in relationships]
    # Identities are joined only through what the members share (and the members' own
    # addresses): a hidden record must never tie two shared ones together.
    for i in np.flatnonzero(level > 0).tolist() + np.flatnonzero(level == 0).tolist():
        found = next((by_key[k] for k in keys[i] if k in by_key), None)
        if found is None:
            found = n_nodes
            n_nodes += 1
        if level[i] > 0:
            for key in keys[i]:
                by_key.setdefault(key, found)
        rel_node[i] = found

    organisation_codes: dict[str, int] = {}
    org_display: list[str] = []

    def org_code(name: str | None) -> int:
        key = fold(name or "")
        if not key:
            return -1
        if key not in organisation_codes:
            organisation_codes[key] = len(org_display)
            org_display.append(name or "")
        return organisation_codes[key]

    rel_org = np.array([org_code(r.organisation) for r in relationships], dtype=np.int32)
    person_rel = {r.person_id: i for i, r in enumerate(relationships)}
    contacts = np.zeros(len(relationships), dtype=np.int32)
    recent = (
        Interaction.people.through.objects.filter(
            interaction__owner_id__in=member_ids,
            interaction__occurred_at__gte=now - dt.timedelta(days=365),
        )
        .values("person_id")
        .annotate(n=Count("id"))
    )
    for row in recent:
        if row["person_id"] in person_rel:
            contacts[person_rel[row["person_id"]]] = row["n"]
    scores = relationship_scores(member_ids, now=now)
    strength = np.array(
        [max(MIN_STRENGTH, scores.get(r.person_id, 0.0) / 100.0) for r in relationships],
        dtype=np.float32,
    )
    # Colleagues: the people at one organisation (as the first file that names one for them
    # says), wired as a clique when there are few enough of them.
    node_org = np.full(n_nodes, -1, dtype=np.int32)
    with_org = np.flatnonzero(rel_org >= 0)
    seen, first = np.unique(rel_node[with_org], return_index=True)
    node_org[seen] = rel_org[with_org[first]]
    colleague_rows: list[tuple[int, int, int]] = []
    at: dict[int, list[int]] = defaultdict(list)
    for node in np.flatnonzero(node_org >= 0).tolist():
        at[int(node_org[node])].append(node)
    for code, people in at.items():
        if 2 <= len(people) <= MAX_COLLEAGUES:
            for i, u in enumerate(people):
                colleague_rows.extend((u, v, code) for v in people[i + 1 :])
    intro_rows = [
        (i, person_rel[r.introduced_by_id])
        for i, r in enumerate(relationships)
        if r.introduced_by_id in person_rel
    ]
    competitor_rows = []
    for a, b in Organisation.competes_with.through.objects.filter(
        from_organisation__owner_id__in=member_ids
    ).values_list("from_organisation__name", "to_organisation__name"):
        ca, cb = organisation_codes.get(fold(a)), organisation_codes.get(fold(b))
        if ca is not None and cb is not None:
            competitor_rows.append((ca, cb))
    order = np.argsort(rel_node, kind="stable")
    ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(rel_node, minlength=n_nodes), out=ptr[1:])
    return Snapshot(
        workspace_id=workspace.pk,
        version=version,
        members=members,
        n_nodes=n_nodes,
        rel_owner=np.array([r.owner_id for r in relationships], dtype=np.int64),
        rel_owner_node=np.array([member_node[r.owner_id] for r in relationships], np.int32),
        rel_person=np.array([r.person_id for r in relationships], dtype=np.int64),
        rel_node=rel_node,
        rel_level=level,
        rel_strength=strength,
        rel_contacts=contacts,
        rel_org=rel_org,
        rel_name=Strings.of(
            [display_name(r.given_name, r.particles, r.surname) for r in relationships]
        ),
        rel_title=Strings.of([r.title for r in relationships]),
        rel_sector=Strings.of([r.sector for r in relationships]),
        rel_region=Strings.of([r.region for r in relationships]),
        rel_organisation=Strings.of([r.organisation or "" for r in relationships]),
        rel_sort=Strings.of([r.sort_name for r in relationships]),
        org_keys=Strings.of(list(organisation_codes)),
        org_display=Strings.of(org_display),
        colleagues=np.array(colleague_rows, dtype=np.int32).reshape(-1, 3),
        intros=np.array(intro_rows, dtype=np.int32).reshape(-1, 2),
        competitors=np.array(competitor_rows, dtype=np.int32).reshape(-1, 2),
        node_rel_ptr=ptr,
        node_rels=order.astype(np.int64),
    )


class _Nodes(Sequence[NodeInfo]):
    """What one viewer may know of each node, made when asked for; only the last few are kept
    (a page asks for the few nodes on its paths, not for thousands)."""

    KEEP = 64

    def __init__(self, network: PooledNetwork) -> None:
        # What making a NodeInfo reads, not the network itself: no reference cycle, so that a
        # view dropped from the cache is freed at once, not at the next full garbage collection.
        self._network = _NodeSource(network)
        self._count = network.graph.n_nodes
        self._made: dict[int, NodeInfo] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, node: int) -> NodeInfo: ...
    @overload
    def __getitem__(self, node: slice) -> list[NodeInfo]: ...
    def __getitem__(self, node: int | slice) -> NodeInfo | list[NodeInfo]:
        if isinstance(node, slice):
            return [self[i] for i in range(*node.indices(len(self)))]
        if node < 0:
            node += len(self)
        if not 0 <= node < len(self):
            raise IndexError(node)
        info = self._made.get(node)
        if info is None:
            if len(self._made) >= self.KEEP:
                self._made.clear()
            info = self._made[node] = self._network._make(node)
        return info

    def __iter__(self) -> Iterator[NodeInfo]:
        for node in range(len(self)):
            yield self._network._make(node)  # not kept: a walk over every node keeps none


class _Coded(NamedTuple):
    """A string column of the snapshot as a code per relationship into its distinct values
    (code 0 is always ""), with the values folded for matching: made once per process and
    shared by every viewer, who picks codes through their masks."""

    codes: npt.NDArray[np.int32]
    values: list[str]
    folded: list[str]


def _coded(column: Strings) -> _Coded:
    raw = column._data.tobytes()
    offsets = column._offsets.tolist()
    index: dict[bytes, int] = {b"": 0}
    codes = [index.setdefault(raw[a:b], len(index)) for a, b in itertools.pairwise(offsets)]
    values = [value.decode("utf-8") for value in index]
    return _Coded(np.array(codes, dtype=np.int32), values, [fold(v) if v else "" for v in values])


def _derived(snapshot: Snapshot, key: str, make: Callable[[], _T]) -> _T:
    """Something computed from the snapshot once per process and shared by every viewer (two
    threads may both compute it: the same either way)."""
    found = snapshot.derived.get(key)
    if found is None:
        found = snapshot.derived[key] = make()
    return found


def _string_column(snapshot: Snapshot, attribute: str) -> _Coded:
    return _derived(
        snapshot, "coded " + attribute, lambda: _coded(getattr(snapshot, "rel_" + attribute))
    )


def _organisation_lookup(snapshot: Snapshot) -> dict[str, int]:
    """Folded organisation name -> code, for every organisation in the snapshot."""
    return _derived(
        snapshot, "organisations", lambda: {key: c for c, key in enumerate(snapshot.org_keys)}
    )


def _organisation_rank(snapshot: Snapshot) -> npt.NDArray[np.int64]:
    """Each organisation code's place in directory order (by folded name)."""

    def make() -> npt.NDArray[np.int64]:
        keys = list(snapshot.org_keys)
        rank = np.empty(len(keys), dtype=np.int64)
        rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
        return rank

    return _derived(snapshot, "organisation rank", make)


class _OrganisationNames(Mapping[int, str]):
    """Code -> name of the organisations the viewer sees in the graph, read from the snapshot
    through the viewer's mask (no dictionary per viewer)."""

    def __init__(self, snapshot: Snapshot, seen: npt.NDArray[np.bool_]) -> None:
        self._snapshot = snapshot
        self._seen = seen

    def __getitem__(self, code: int) -> str:
        if not isinstance(code, int | np.integer) or not 0 <= code < len(self._seen):
            raise KeyError(code)
        if not self._seen[code]:
            raise KeyError(code)
        return self._snapshot.org_display[int(code)]

    def __iter__(self) -> Iterator[int]:
        return iter(np.flatnonzero(self._seen).tolist())

    def __len__(self) -> int:
        return int(self._seen.sum())


class _OrganisationCodes(Mapping[str, int]):
    """Folded name -> code of the organisations the viewer sees in the graph."""

    def __init__(self, snapshot: Snapshot, seen: npt.NDArray[np.bool_]) -> None:
        self._snapshot = snapshot
        self._seen = seen

    def __getitem__(self, key: str) -> int:
        code = _organisation_lookup(self._snapshot).get(key) if isinstance(key, str) else None
        if code is None or not self._seen[code]:
            raise KeyError(key)
        return code

    def __iter__(self) -> Iterator[str]:
        keys = self._snapshot.org_keys
        return (keys[c] for c in np.flatnonzero(self._seen).tolist())

    def __len__(self) -> int:
        return int(self._seen.sum())


def _all_ties(snapshot: Snapshot) -> Ties:
    """Every tie of the snapshot a viewer may be allowed to use, in the order the viewer's mask
    lists them: each relationship (member to person), each pair of colleagues at one
    organisation, each introduction between two people."""

    def make() -> Ties:
        s = snapshot
        u, v = s.colleagues[:, 0], s.colleagues[:, 1]
        a, b = s.intros[:, 0], s.intros[:, 1]
        return prepare_ties(
            s.n_nodes,
            np.concatenate([s.rel_owner_node, u, s.rel_node[b]]).astype(np.int32),
            np.concatenate([s.rel_node, v, s.rel_node[a]]).astype(np.int32),
            np.concatenate(
                [
                    s.rel_strength,
                    np.full(len(u), COLLEAGUE_STRENGTH, dtype=np.float32),
                    np.full(len(a), INTRODUCED_STRENGTH, dtype=np.float32),
                ]
            ),
        )

    return _derived(snapshot, "ties", make)


class _Competitors(Mapping[int, set[int]]):
    """Code -> the codes of its rivals, only between organisations the viewer already sees in
    the graph: a rival named nowhere but in a member's private record must not become a name
    the viewer can list or ask for. The pairs are filtered with the viewer's mask when the
    view is made and looked up when a page asks (a page asks for one or two organisations; a
    dictionary of sets for every pair cost 4 ms a view)."""

    def __init__(self, pairs: npt.NDArray[np.int32], seen: npt.NDArray[np.bool_]) -> None:
        pairs = np.asarray(pairs, dtype=np.int32).reshape(-1, 2)
        kept = pairs[seen[pairs[:, 0]] & seen[pairs[:, 1]]]
        # Both directions, sorted by the first code: a lookup is a binary search.
        both = np.concatenate([kept, kept[:, ::-1]])
        order = np.argsort(both[:, 0], kind="stable")
        self._from = np.ascontiguousarray(both[order, 0])
        self._to = np.ascontiguousarray(both[order, 1])

    def __getitem__(self, code: int) -> set[int]:
        if not isinstance(code, int | np.integer):
            raise KeyError(code)
        lo, hi = np.searchsorted(self._from, [code, code + 1])
        if lo == hi:
            raise KeyError(code)
        return set(self._to[lo:hi].tolist())

    def __iter__(self) -> Iterator[int]:
        return iter(np.unique(self._from).tolist())

    def __len__(self) -> int:
        return len(np.unique(self._from))

    @property
    def nbytes(self) -> int:
        return int(self._from.nbytes + self._to.nbytes)


_PROFILE = ("title", "sector", "region", "organisation")


def _pick(
    values: npt.NDArray[Any], rels: npt.NDArray[np.int32], none: int
) -> npt.NDArray[np.int32]:
    """Per node, ``values`` of its relationship ``rels`` (``none`` where -1): also for a
    snapshot without relationships (a member's empty personal file)."""
    found = np.full(len(rels), none, dtype=np.int32)
    has = rels >= 0
    found[has] = values[rels[has]]
    return found


def _own_people(snapshot: Snapshot, viewer_id: int) -> int:
    """How many nodes (the viewer's own left out) are people in the viewer's own file."""
    s = snapshot
    viewer_node = next(i for i, m in enumerate(s.members) if m.pk == viewer_id)
    nodes = np.unique(s.rel_node[s.rel_owner == viewer_id])
    return int((nodes != viewer_node).sum())


class PooledNetwork:
    """The pooled network as one viewer may see it: the snapshot, the viewer's masks over it
    and the graph of the ties the viewer may use.

    What is kept per viewer is small (about 1 MiB for a club of 7,000 people): the graph, a mask
    over the relationships and, per node, which relationship gives each attribute the viewer
    may see. Strings are read from the snapshot (shared by every viewer of the process) when a
    page asks for them, never copied into per-viewer lists."""

    def __init__(self, snapshot: Snapshot, viewer_id: int) -> None:
        s = snapshot
        self.snapshot = s
        self.viewer_id = viewer_id
        own = s.rel_owner == viewer_id
        self.visible = own | (s.rel_level > 0)
        named = (own | (s.rel_level == _NAME_ROLE)) & (s.rel_node >= len(s.members))
        n = s.n_nodes

        by_node = s.node_rels  # relationship ids by node, ascending within a node
        node_of = s.rel_node[by_node]

        def first(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int32]:
            """Per node, the lowest relationship id ``mask`` keeps (-1 for none)."""
            out = np.full(n, -1, dtype=np.int32)
            kept = np.flatnonzero(mask[by_node])
            nodes = node_of[kept]
            starts = np.ones(len(nodes), dtype=bool)
            np.not_equal(nodes[1:], nodes[:-1], out=starts[1:])
            kept = kept[starts]
            out[node_of[kept]] = by_node[kept]
            return out

        self._org_rel = first(self.visible & (s.rel_org >= 0))
        self._name_rel = first(named)
        self._title_rel = first(named & s.rel_title.nonempty())
        self._sector_rel = first(named & s.rel_sector.nonempty())
        self._region_rel = first(named & s.rel_region.nonempty())
        node_org = _pick(s.rel_org, self._org_rel, -1)
        # Ties the viewer may use: their own relationships and what the others share, the
        # colleagues they can see at one organisation, introductions between visible people.
        # Every tie any viewer might use is sorted once per snapshot (_all_ties); the viewer's
        # graph keeps those of them this mask allows.
        u, v, c = s.colleagues[:, 0], s.colleagues[:, 1], s.colleagues[:, 2]
        a, b = s.intros[:, 0], s.intros[:, 1]
        keep = np.concatenate(
            [
                self.visible & (s.rel_owner_node != s.rel_node),
                (node_org[u] == c) & (node_org[v] == c),
                self.visible[a] & self.visible[b],
            ]
        )
        self.graph: Graph = _all_ties(s).graph(keep, organisation=node_org)
        self.member_nodes: dict[int, int] = {m.pk: i for i, m in enumerate(s.members)}
        self.viewer_node = self.member_nodes[viewer_id]
        seen = np.zeros(len(s.org_keys), dtype=bool)
        seen[node_org[node_org >= 0]] = True
        self._organisations_seen = seen
        self.organisation_codes: Mapping[str, int] = _OrganisationCodes(s, seen)
        self.organisation_names: Mapping[int, str] = _OrganisationNames(s, seen)
        self.competitors: Mapping[int, set[int]] = _Competitors(s.competitors, seen)
        self.nodes: Sequence[NodeInfo] = _Nodes(self)
        self.owns_snapshot = False  # set by pooled_network for a personal workspace
        # The profile groups of profiles(), made on first use: node ids grouped by profile.
        self._profiles: (
            tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[Any]] | None
        ) = None

    @property
    def nbytes(self) -> int:
        """About what this viewer's network holds beyond the shared snapshot, in bytes."""
        arrays = [
            self.visible,
            self._org_rel,
            self._name_rel,
            self._title_rel,
            self._sector_rel,
            self._region_rel,
            self._organisations_seen,
            *(getattr(self.graph, f.name) for f in dataclasses.fields(self.graph)),
            *(self._profiles or ()),
        ]
        unique = {id(a): a for a in arrays if isinstance(a, np.ndarray)}
        # The competitors' sets and the few NodeInfo kept (_Nodes.KEEP): a rough share each.
        found = sum(int(a.nbytes) for a in unique.values()) + 200 * 64
        if isinstance(self.competitors, _Competitors):
            found += self.competitors.nbytes
        # A personal workspace's snapshot has one viewer: kept alive by this view, it is
        # counted with it (a club's is shared by every viewer and kept anyway).
        return found + (self.snapshot.nbytes if self.owns_snapshot else 0)

    def _rels(self, attribute: str) -> npt.NDArray[np.int32]:
        return {
            "name": self._name_rel,
            "title": self._title_rel,
            "sector": self._sector_rel,
            "region": self._region_rel,
            "organisation": self._org_rel,
        }[attribute]

    def _codes(self, attribute: str) -> tuple[npt.NDArray[np.int32], _Coded]:
        """Per node, the code of the value of ``attribute`` the viewer sees (0 for none)."""
        coded = _string_column(self.snapshot, attribute)
        rels = self._rels(attribute)
        return _pick(coded.codes, rels, 0), coded

    def column(self, attribute: str) -> list[str]:
        """One of ``name``, ``title``, ``sector``, ``region``, ``organisation`` for every node
        as the viewer may see it ("" where not), without making a NodeInfo per node. Made
        anew at each call: a page matches with :meth:`matching` instead."""
        s = self.snapshot
        if attribute == "name":
            names = s.rel_name
            found = [names[r] if r >= 0 else "" for r in self._name_rel.tolist()]
            for node, member in enumerate(s.members):
                found[node] = member.name
            return found
        codes, coded = self._codes(attribute)
        return [coded.values[c] for c in codes.tolist()]

    def folded(self, attribute: str) -> list[str]:
        """:meth:`column`, folded for comparing (case and accents ignored)."""
        if attribute == "name":
            return [fold(v) if v else "" for v in self.column(attribute)]
        codes, coded = self._codes(attribute)
        return [coded.folded[c] for c in codes.tolist()]

    def matching(self, attribute: str, test: Callable[[str], bool]) -> npt.NDArray[np.bool_]:
        """Per node, whether ``test`` holds for the folded value of ``attribute`` (title,
        sector, region or organisation) the viewer sees ("" where none): tested once per
        distinct value, not once per node."""
        codes, coded = self._codes(attribute)
        hits = np.fromiter((test(v) for v in coded.folded), dtype=bool, count=len(coded.folded))
        return hits[codes]

    def sorted_organisation_codes(self) -> list[int]:
        """The codes of the organisations the viewer sees, in directory order."""
        codes = np.flatnonzero(self._organisations_seen)
        codes = codes[np.argsort(_organisation_rank(self.snapshot)[codes], kind="stable")]
        return list(codes.tolist())

    def sorted_organisation_names(self) -> list[str]:
        """The organisations the viewer sees, in directory order."""
        display = self.snapshot.org_display
        return [display[c] for c in self.sorted_organisation_codes()]

    def shared(self, key: str, make: Callable[[], _T]) -> _T:
        """Something made from the snapshot alone, once per process for every viewer of it
        (never from what this viewer may see: that stays in the view)."""
        return _derived(self.snapshot, key, make)

    def profiles(self) -> Iterator[tuple[tuple[str, str, str, str], npt.NDArray[Any]]]:
        """The non-member nodes grouped by (title, sector, region, organisation) as the viewer
        sees them, nodes with none of the four left out: what an ask is matched against, once
        per group instead of once per person. Kept as arrays of codes; the strings are the
        snapshot's."""
        codes, starts, nodes = self.profile_groups()
        values = self.profile_values()
        for g, (t, s, r, o) in enumerate(codes.tolist()):
            key = (values[0][t], values[1][s], values[2][r], values[3][o])
            yield key, nodes[starts[g] : starts[g + 1]]

    def profile_values(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """The distinct titles, sectors, regions and organisations of the snapshot, which the
        codes of :meth:`profile_groups` index (shared by every viewer)."""
        t, s, r, o = (_string_column(self.snapshot, attribute).values for attribute in _PROFILE)
        return t, s, r, o

    def profile_groups(
        self,
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[Any]]:
        """:meth:`profiles` as arrays: per group the codes of its (title, sector, region,
        organisation) in :meth:`profile_values`, and its nodes ``nodes[starts[g]:starts[g +
        1]]``."""
        if self._profiles is None:
            columns = [self._codes(attribute) for attribute in _PROFILE]
            keys = np.stack([codes for codes, _coded in columns], axis=1)
            chosen = np.flatnonzero(keys.any(axis=1))
            chosen = chosen[chosen >= len(self.snapshot.members)].astype(np.int32)
            # The four codes as one number (each code below its column's size, so the numbers
            # sort as the rows do): np.unique over rows sorted a void view, 5 ms a view.
            sizes = [max(1, len(coded.values)) for _codes, coded in columns]
            if math.prod(sizes) < 2**62:
                packed = np.zeros(len(chosen), dtype=np.int64)
                for column, size in zip(keys.T, sizes, strict=True):
                    packed = packed * size + column[chosen]
                _unique, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
                groups = keys[chosen[first]]
            else:  # too many distinct values to pack: rows compared as they are
                groups, inverse = np.unique(keys[chosen], axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
            order = np.argsort(inverse, kind="stable")
            ptr = np.zeros(len(groups) + 1, dtype=np.int64)
            np.cumsum(np.bincount(inverse, minlength=len(groups)), out=ptr[1:])
            self._profiles = (groups.astype(np.int32), ptr, chosen[order])
        return self._profiles

    def own_people(self) -> int:
        """How many nodes (the viewer left out) are people in the viewer's own file."""
        return _own_people(self.snapshot, self.viewer_id)

    def node_of(self, owner_id: int, person_id: int) -> int | None:
        """The node of the person ``person_id`` in ``owner_id``'s file, if the viewer may see
        that file entry."""
        s = self.snapshot
        hit = np.flatnonzero((s.rel_person == person_id) & (s.rel_owner == owner_id))
        if len(hit) == 0 or not self.visible[hit[0]]:
            return None
        return int(s.rel_node[hit[0]])

    def _make(self, node: int) -> NodeInfo:
        return _make_node(self, node)


class _NodeSource:
    """The parts of a viewer's network that :func:`_make_node` reads."""

    __slots__ = (
        "_name_rel",
        "_org_rel",
        "_region_rel",
        "_sector_rel",
        "_title_rel",
        "snapshot",
        "viewer_id",
        "visible",
    )

    _name_rel: npt.NDArray[np.int32]
    _org_rel: npt.NDArray[np.int32]
    _region_rel: npt.NDArray[np.int32]
    _sector_rel: npt.NDArray[np.int32]
    _title_rel: npt.NDArray[np.int32]
    snapshot: Snapshot
    viewer_id: int
    visible: npt.NDArray[np.bool_]

    def __init__(self, network: PooledNetwork) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(network, name))

    def _make(self, node: int) -> NodeInfo:
        return _make_node(self, node)


def _make_node(view: PooledNetwork | _NodeSource, node: int) -> NodeInfo:
    """What the viewer may know of one node."""
    s = view.snapshot
    info = NodeInfo()
    if node < len(s.members):
        info.member = s.members[node]
        info.name = info.member.name
    for attribute, rels, values in (
        ("organisation", view._org_rel, s.rel_organisation),
        ("name", view._name_rel, s.rel_name),
        ("title", view._title_rel, s.rel_title),
        ("sector", view._sector_rel, s.rel_sector),
        ("region", view._region_rel, s.rel_region),
    ):
        rel = int(rels[node])
        if rel >= 0:
            setattr(info, attribute, values[rel])
    for rel in s.node_rels[s.node_rel_ptr[node] : s.node_rel_ptr[node + 1]].tolist():
        if not view.visible[rel]:
            continue
        owner, person = int(s.rel_owner[rel]), int(s.rel_person[rel])
        info.files[owner] = person
        if s.rel_contacts[rel]:
            info.contacts[owner] = int(s.rel_contacts[rel])
        if owner == view.viewer_id:
            info.person_id = person
    return info


# A snapshot per club or company workspace, in this process's memory and in the data
# directory; a personal workspace's (one per member: its one viewer's) only for the last few
# used, so that what a process holds does not grow with the number of members who viewed a
# page. And the last viewers' masked graphs (small: arrays over the snapshot's nodes, no copy of
# its data), as many as fit in _VIEWS_BYTES (the newest is always kept): about ten of a club of
# fifty (1.1 MiB each). A view missed is made again in about 3 ms (benchmarks/viewers: the
# graph from the snapshot's ties sorted once, _all_ties); a larger cache made the server's
# memory grow with the number of members who viewed pages (2 processes × 32 MiB).
_SNAPSHOTS: dict[int, Snapshot] = {}
_PERSONAL: OrderedDict[int, Snapshot] = OrderedDict()
_PERSONAL_KEEP = 4
_VIEWS: OrderedDict[tuple[int, str, int], PooledNetwork] = OrderedDict()
_VIEWS_BYTES = 12 * 2**20
# The dashboard's count of the people in a member's own file, per (personal workspace,
# version, viewer): a number each, at most _COUNTS_KEEP of them.
_COUNTS: OrderedDict[tuple[int, str, int], int] = OrderedDict()
_COUNTS_KEEP = 4096
_LOCK = threading.Lock()
_BUILD_LOCK = threading.Lock()


def network_version(workspace: Workspace) -> str:
    """The version of the workspace's pooled network, in one query: its NetworkVersion number
    (bumped by kring.network.signals on every write to what the ties are made of) and the
    largest relationship, person and contact point ids (bulk inserts send no signal)."""
    version = f"SELECT {{}} FROM {NetworkVersion._meta.db_table} WHERE workspace_id = %s"
    tables = {
        "number": version.format("number"),
        "token": version.format("token"),
        "relationship": f"SELECT MAX(id) FROM {Relationship._meta.db_table}",
        "person": f"SELECT MAX(id) FROM {Person._meta.db_table}",
        "point": f"SELECT MAX(id) FROM {ContactPoint._meta.db_table}",
    }
    sql = "SELECT " + ", ".join(f"({query})" for query in tables.values())
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, workspace.pk])
        number, token, *largest = cursor.fetchone()
    if number is None:  # the first time anyone asks: from now on writes bump it
        made, _created = NetworkVersion.objects.get_or_create(workspace=workspace)
        number, token = made.number, made.token
    return "-".join(str(x or 0) for x in (token, number, *largest))


def _snapshot_dir() -> Path:
    return Path(settings.DATA_DIR) / "network" / connection.vendor


# Bumped whenever the Snapshot's fields or their files change, so that an upgraded server
# never loads a file an older one wrote. Format 3: a directory of .npy files, memory-mapped.
SNAPSHOT_FORMAT = 3

# The snapshot's arrays, one .npy file each; its string columns, two each (bytes and offsets);
# the rest (the members, the sizes) is small and pickled in meta.pickle.
_ARRAYS = (
    "rel_owner",
    "rel_owner_node",
    "rel_person",
    "rel_node",
    "rel_level",
    "rel_strength",
    "rel_contacts",
    "rel_org",
    "colleagues",
    "intros",
    "competitors",
    "node_rel_ptr",
    "node_rels",
)
_STRINGS = (
    "rel_name",
    "rel_title",
    "rel_sector",
    "rel_region",
    "rel_organisation",
    "rel_sort",
    "org_keys",
    "org_display",
)
_META = "meta.pickle"


def _snapshot_path(workspace_id: int, version: str) -> Path:
    """The directory that holds the snapshot's files."""
    return _snapshot_dir() / f"workspace-{workspace_id}-{version}-f{SNAPSHOT_FORMAT}"


def _load(workspace_id: int, version: str) -> Snapshot | None:
    """The snapshot saved in the data directory, its arrays memory-mapped read-only: every
    server process that loads it shares the same pages of the operating system's cache, so
    memory does not grow with the number of processes. None when there is none (or a broken
    one: it is built again)."""
    path = _snapshot_path(workspace_id, version)
    try:
        with (path / _META).open("rb") as file:
            meta = pickle.load(file)  # written by this server only (_save)
        if meta.get("format") != SNAPSHOT_FORMAT or meta.get("version") != version:
            raise ValueError(f"{path} holds another snapshot")

        def array(name: str) -> Any:
            # A read-only np.memmap of the file, seen as a plain array: the same pages, without
            # the memmap subclass's Python hooks on every slice a view of it takes.
            mapped = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            return mapped.view(np.ndarray)

        fields: dict[str, Any] = {name: array(name) for name in _ARRAYS}
        for name in _STRINGS:
            fields[name] = Strings(array(f"{name}.bytes"), array(f"{name}.offsets"))
        return Snapshot(
            workspace_id=meta["workspace_id"],
            version=version,
            members=meta["members"],
            n_nodes=meta["n_nodes"],
            **fields,
        )
    except FileNotFoundError:
        return None
    except Exception:  # a broken snapshot (a full disk, a hand): removed, built again
        log.warning("network snapshot %s unreadable; building it again", path, exc_info=True)
        shutil.rmtree(path, ignore_errors=True)
        return None


def _save(snapshot: Snapshot) -> Path:
    """Write the snapshot as a directory of .npy files, atomically (into a temporary directory,
    then renamed), and remove the workspace's older snapshots."""
    path = _snapshot_path(snapshot.workspace_id, snapshot.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.parent / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        for name in _ARRAYS:
            np.save(partial / f"{name}.npy", getattr(snapshot, name), allow_pickle=False)
        for name in _STRINGS:
            column: Strings = getattr(snapshot, name)
            np.save(partial / f"{name}.bytes.npy", column.data, allow_pickle=False)
            np.save(partial / f"{name}.offsets.npy", column.offsets, allow_pickle=False)
        meta = {
            "format": SNAPSHOT_FORMAT,
            "workspace_id": snapshot.workspace_id,
            "version": snapshot.version,
            "members": snapshot.members,
            "n_nodes": snapshot.n_nodes,
        }
        with (partial / _META).open("wb") as file:
            pickle.dump(meta, file, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            partial.rename(path)
        except OSError:  # another process saved the same version first: theirs is as good
            if not (path / _META).exists():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    # Older versions and formats (format 2 was one pickle file). A process that still maps an
    # older snapshot's files keeps reading them: the pages stay until it lets go.
    for older in path.parent.glob(f"workspace-{snapshot.workspace_id}-*"):
        if older == path:
            continue
        if older.is_dir():
            shutil.rmtree(older, ignore_errors=True)
        else:
            older.unlink(missing_ok=True)
    return path


def workspace_snapshot(
    workspace: Workspace, *, now: dt.datetime, version: str | None = None
) -> Snapshot:
    """The workspace's snapshot at its current version: from this process's memory, else from
    the data directory (where the worker or another process left it), else built now."""
    version = version or network_version(workspace)
    personal = workspace.kind == Workspace.Kind.PERSONAL
    kept = _PERSONAL if personal else _SNAPSHOTS
    found = kept.get(workspace.pk)
    if found is not None and found.version == version:
        if personal:
            with _LOCK:
                if workspace.pk in _PERSONAL:
                    _PERSONAL.move_to_end(workspace.pk)
        return found
    with _BUILD_LOCK:  # one build at a time per process; the others then find it
        found = kept.get(workspace.pk)
        if found is None or found.version != version:
            found = _load(workspace.pk, version)
            if found is None:
                built = _build_snapshot(workspace, version, now=now)
                _save(built)
                # Read back memory-mapped, so that this process shares the pages too.
                found = _load(workspace.pk, version) or built
            with _LOCK:
                kept[workspace.pk] = found
                if personal:
                    _PERSONAL.move_to_end(workspace.pk)
                    while len(_PERSONAL) > _PERSONAL_KEEP:
                        _PERSONAL.popitem(last=False)
    return found


def ensure_snapshots(*, now: dt.datetime) -> dict[int, str]:
    """Build the snapshot of every club and company workspace that lacks a current one (what
    `kring worker` runs); returns workspace id -> version."""
    built = {}
    for workspace in Workspace.objects.exclude(kind=Workspace.Kind.PERSONAL).order_by("id"):
        built[workspace.pk] = workspace_snapshot(workspace, now=now).version
    return built


def pooled_network(viewer: User, workspace: Workspace, *, now: dt.datetime) -> PooledNetwork:
    """The workspace's pooled network as ``viewer`` may see it."""
    version = network_version(workspace)
    key = (workspace.pk, version, viewer.pk)
    with _LOCK:
        hit = _VIEWS.get(key)
        if hit is not None:
            _VIEWS.move_to_end(key)
            return hit
    network = PooledNetwork(workspace_snapshot(workspace, now=now, version=version), viewer.pk)
    network.owns_snapshot = workspace.kind == Workspace.Kind.PERSONAL
    with _LOCK:
        _VIEWS[key] = network
        _VIEWS.move_to_end(key)
        held = sum(view.nbytes for view in _VIEWS.values())
        while held > _VIEWS_BYTES and len(_VIEWS) > 1:
            _key, oldest = _VIEWS.popitem(last=False)
            held -= oldest.nbytes
    return network


def own_people_count(viewer: User, workspace: Workspace, *, now: dt.datetime) -> int:
    """How many people are in ``viewer``'s own file of ``workspace``, counted as the reach
    funnel counts them (one per real person, the viewer left out): from the snapshot, without
    a view of it, and remembered as a number per viewer and version."""
    version = network_version(workspace)
    key = (workspace.pk, version, viewer.pk)
    with _LOCK:
        found = _COUNTS.get(key)
        if found is not None:
            _COUNTS.move_to_end(key)
            return found
    found = _own_people(workspace_snapshot(workspace, now=now, version=version), viewer.pk)
    with _LOCK:
        _COUNTS[key] = found
        while len(_COUNTS) > _COUNTS_KEEP:
            _COUNTS.popitem(last=False)
    return found


def warm_up() -> None:
    """What a server process does before its first page: load the graph kernels (compiled
    once, loaded from their cache in about a second) and every workspace's snapshot left in the
    data directory, so that no member's first page pays for either."""
    graph = build_graph(2, [0], [1], [0.5])
    best_paths_to_matching(graph, 0, np.array([False, True]), k=1, max_hops=1)
    reach(graph, 0)
    for workspace in Workspace.objects.exclude(kind=Workspace.Kind.PERSONAL):
        version = network_version(workspace)
        found = _load(workspace.pk, version)
        if found is not None:
            _SNAPSHOTS[workspace.pk] = found
