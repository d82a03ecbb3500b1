"""A workspace's pooled network as the core's CSR graph, as one member may see it.

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

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from django.db.models import Count, Max, Q

from kring.accounts.models import User
from kring.core.graph import Graph, build_graph
from kring.core.names import display_name, fold
from kring.people.adapters import relationship_facts
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

COLLEAGUE_STRENGTH = 0.25
INTRODUCED_STRENGTH = 0.5
MIN_STRENGTH = 0.05  # a recorded relationship with no recent contact is still a tie
MAX_COLLEAGUES = 60  # organisations larger than this are not wired as a clique


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


@dataclass
class PooledNetwork:
    graph: Graph
    nodes: list[NodeInfo]
    viewer_node: int
    member_nodes: dict[int, int]  # user id -> node
    organisation_codes: dict[str, int]  # folded name -> code
    organisation_names: dict[int, str]
    competitors: dict[int, set[int]]  # organisation code -> competing codes


def _identity_keys(points: list[tuple[str, str]], linkedin: str) -> list[str]:
    keys = [f"{kind}:{value.lower()}" for kind, value in points]
    if linkedin:
        keys.append("in:" + linkedin.rstrip("/").lower())
    return keys


def _build(viewer: User, workspace: Workspace, *, now: dt.datetime) -> PooledNetwork:
    members = list(User.objects.filter(memberships__workspace=workspace).order_by("id"))
    member_ids = [m.pk for m in members]
    shared = dict(
        Share.objects.filter(workspace=workspace, relationship__owner_id__in=member_ids)
        .exclude(level=ShareLevel.NONE)
        .values_list("relationship_id", "level")
    )
    relationships = [
        _Tie(*row)
        for row in Relationship.objects.filter(owner_id__in=member_ids)
        .filter(Q(owner=viewer) | Q(pk__in=list(shared)))
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
        )
    ]
    person_ids = [r.person_id for r in relationships]
    points: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, kind, value in ContactPoint.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "kind", "value"
    ):
        points[person_id].append((kind, value))

    nodes: list[NodeInfo] = []
    by_key: dict[str, int] = {}
    member_nodes: dict[int, int] = {}
    for member in members:
        node = len(nodes)
        nodes.append(NodeInfo(name=member.name, member=member))
        member_nodes[member.pk] = node
        by_key[f"email:{member.email.lower()}"] = node

    organisation_codes: dict[str, int] = {}

    def org_code(name: str) -> int:
        key = fold(name)
        if not key:
            return -1
        return organisation_codes.setdefault(key, len(organisation_codes))

    person_node: dict[int, int] = {}
    for relationship in relationships:
        keys = _identity_keys(points.get(relationship.person_id, []), relationship.linkedin_url)
        found = next((by_key[k] for k in keys if k in by_key), None)
        if found is None:
            node = len(nodes)
            nodes.append(NodeInfo())
        else:
            node = found
        for key in keys:
            by_key.setdefault(key, node)
        person_node[relationship.person_id] = node
        info = nodes[node]
        organisation = relationship.organisation or ""
        info.organisation = info.organisation or organisation
        visible_name = relationship.owner_id == viewer.pk or (
            shared.get(relationship.id) == ShareLevel.NAME_ROLE
        )
        if visible_name and info.member is None:
            info.name = info.name or display_name(
                relationship.given_name, relationship.particles, relationship.surname
            )
            info.title = info.title or relationship.title
            info.sector = info.sector or relationship.sector
            info.region = info.region or relationship.region
        if relationship.owner_id == viewer.pk:
            info.person_id = relationship.person_id
        info.files[relationship.owner_id] = relationship.person_id

    # Contacts in the last year, for "Marie (strong, 12 contacts this year)".
    recent = (
        Interaction.people.through.objects.filter(
            interaction__owner_id__in=member_ids,
            interaction__occurred_at__gte=now - dt.timedelta(days=365),
        )
        .values("interaction__owner_id", "person_id")
        .annotate(n=Count("id"))
    )
    for row in recent:
        seen = person_node.get(row["person_id"])
        if seen is not None:  # a hidden relationship's contacts stay out
            nodes[seen].contacts[row["interaction__owner_id"]] = row["n"]
    facts = {}
    for owner_id in {r.owner_id for r in relationships}:
        owner = next(m for m in members if m.pk == owner_id)
        facts[owner_id] = relationship_facts(owner, now=now)
    sources, targets, strengths = [], [], []
    for relationship in relationships:
        fact = facts[relationship.owner_id].get(relationship.person_id)
        score = fact.score / 100.0 if fact else 0.0
        u = member_nodes[relationship.owner_id]
        v = person_node[relationship.person_id]
        if u != v:
            sources.append(u)
            targets.append(v)
            strengths.append(max(MIN_STRENGTH, score))
    # Colleagues and introductions, among the people in the graph.
    at: dict[int, list[int]] = defaultdict(list)
    for node, info in enumerate(nodes):
        code = org_code(info.organisation)
        if code >= 0:
            at[code].append(node)
    for colleagues in at.values():
        if 2 <= len(colleagues) <= MAX_COLLEAGUES:
            for i, u in enumerate(colleagues):
                for v in colleagues[i + 1 :]:
                    sources.append(u)
                    targets.append(v)
                    strengths.append(COLLEAGUE_STRENGTH)
    for relationship in relationships:
        if relationship.introduced_by_id in person_node:
            sources.append(person_node[relationship.introduced_by_id])
            targets.append(person_node[relationship.person_id])
            strengths.append(INTRODUCED_STRENGTH)

    org_codes = np.array([org_code(info.organisation) for info in nodes], dtype=np.int32)
    graph = build_graph(len(nodes), sources, targets, strengths, organisation=org_codes)
    competitors: dict[int, set[int]] = defaultdict(set)
    for a, b in Organisation.competes_with.through.objects.filter(
        from_organisation__owner_id__in=member_ids
    ).values_list("from_organisation__name", "to_organisation__name"):
        # Only between organisations the viewer already sees in the graph: a rival named
        # nowhere but in a member's private record must not become a name the viewer can list
        # or ask for.
        ca, cb = organisation_codes.get(fold(a)), organisation_codes.get(fold(b))
        if ca is not None and cb is not None:
            competitors[ca].add(cb)
            competitors[cb].add(ca)
    names = {code: key for key, code in organisation_codes.items()}
    display: dict[int, str] = {}
    for info in nodes:
        if info.organisation:
            display.setdefault(organisation_codes[fold(info.organisation)], info.organisation)
    return PooledNetwork(
        graph=graph,
        nodes=nodes,
        viewer_node=member_nodes[viewer.pk],
        member_nodes=member_nodes,
        organisation_codes=organisation_codes,
        organisation_names={code: display.get(code, names[code]) for code in names},
        competitors=dict(competitors),
    )


# The pooled network stays in memory between requests, per workspace and viewer, and is built
# again when a tie may have changed: the cache key holds what the graph is made of (members,
# relationships, shares, people, their contact points and organisations, interactions) and the
# hour, since strengths fade with time.
_CACHE: OrderedDict[tuple[int, int], tuple[tuple[object, ...], PooledNetwork]] = OrderedDict()
_CACHE_SIZE = 64
_LOCK = threading.Lock()


def _version(workspace: Workspace, now: dt.datetime) -> tuple[object, ...]:
    member_ids = tuple(workspace.memberships.order_by("user_id").values_list("user_id", flat=True))
    owned = {"owner_id__in": member_ids}
    parts: list[object] = [member_ids, now.replace(minute=0, second=0, microsecond=0)]
    for queryset, latest in (
        (Relationship.objects.filter(**owned), "updated_at"),
        (Share.objects.filter(workspace=workspace), "updated_at"),
        (Person.objects.filter(**owned), "updated_at"),
        (Organisation.objects.filter(**owned), "updated_at"),
        (ContactPoint.objects.filter(person__owner_id__in=member_ids), "id"),
        (Interaction.objects.filter(**owned), "id"),
    ):
        summary = queryset.aggregate(latest=Max(latest), count=Count("id"))
        parts.append((summary["latest"], summary["count"]))
    return tuple(parts)


def pooled_network(viewer: User, workspace: Workspace, *, now: dt.datetime) -> PooledNetwork:
    """The workspace's pooled network as ``viewer`` may see it, from memory when nothing it is
    made of changed since it was built."""
    key = (workspace.pk, viewer.pk)
    version = _version(workspace, now)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == version:
            _CACHE.move_to_end(key)
            return hit[1]
    network = _build(viewer, workspace, now=now)
    with _LOCK:
        _CACHE[key] = (version, network)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return network
