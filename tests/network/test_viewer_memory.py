"""What one viewer's pooled network keeps in a process is small and does not copy the
snapshot's strings; what it answers is what the sharing levels allow, checked against a plain
Python reading of the privacy rules on a generated club of a few thousand people."""

from __future__ import annotations

import gc
import tracemalloc
from collections import defaultdict

import numpy as np
import pytest

from kring.accounts.models import User
from kring.core.graph import best_paths_to_matching, build_graph
from kring.core.names import fold
from kring.lib import clock
from kring.network import adapters

N_MEMBERS = 40
N_PEOPLE = 4000
N_RELATIONSHIPS = 12000
TITLES = ["", "CFO", "R&D manager", "Aankoper", "Zaakvoerder", "HR-manager", "Advocaat", "CEO"]
SECTORS = ["", "Bouw", "Farma", "ICT", "Logistiek", "Zorg"]
REGIONS = ["", "Antwerpen", "Gent", "Hasselt", "Leuven", "Brugge"]


def _club(seed: int = 16) -> adapters.Snapshot:
    """A club's snapshot made in NumPy: members who know each other and thousands of people,
    each relationship hidden, shared at "organisation" or at "name and role"."""
    rng = np.random.default_rng(seed)
    members = [
        User(pk=i + 1, email=f"member{i}@example.org", display_name=f"Lid {i}")
        for i in range(N_MEMBERS)
    ]
    n_nodes = N_MEMBERS + N_PEOPLE
    owner_node = rng.integers(0, N_MEMBERS, N_RELATIONSHIPS).astype(np.int32)
    node = np.where(
        rng.random(N_RELATIONSHIPS) < 0.03,
        rng.integers(0, N_MEMBERS, N_RELATIONSHIPS),
        rng.integers(N_MEMBERS, n_nodes, N_RELATIONSHIPS),
    ).astype(np.int32)
    level = rng.choice([0, 1, 2], N_RELATIONSHIPS, p=[0.4, 0.3, 0.3]).astype(np.int8)
    n_orgs = 900
    org_names = [f"Firma {i}" for i in range(n_orgs)]
    node_org = np.where(rng.random(n_nodes) < 0.1, -1, rng.integers(0, n_orgs, n_nodes))
    # Most files write a person's organisation as the others do; some leave it out.
    rel_org = np.where(rng.random(N_RELATIONSHIPS) < 0.1, -1, node_org[node]).astype(np.int32)
    written = [
        "" if code < 0 else (org_names[code].upper() if i % 7 == 0 else org_names[code])
        for i, code in enumerate(rel_org.tolist())
    ]

    def pick(words: list[str]) -> list[str]:
        return [words[i] for i in rng.integers(0, len(words), N_RELATIONSHIPS).tolist()]

    names = [f"Persoon {n} ({o})" for n, o in zip(node.tolist(), owner_node.tolist(), strict=True)]
    colleague_rows = []
    at: dict[int, list[int]] = defaultdict(list)
    for n in range(N_MEMBERS, n_nodes):
        if node_org[n] >= 0:
            at[int(node_org[n])].append(n)
    for code, people in at.items():
        for i, u in enumerate(people):
            colleague_rows.extend((u, v, code) for v in people[i + 1 :])
    intros = rng.integers(0, N_RELATIONSHIPS, (400, 2)).astype(np.int32)
    competitors = rng.integers(0, n_orgs, (60, 2)).astype(np.int32)
    order = np.argsort(node, kind="stable")
    ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(node, minlength=n_nodes), out=ptr[1:])
    owner_ids = np.array([m.pk for m in members], dtype=np.int64)
    return adapters.Snapshot(
        workspace_id=1,
        version="generated",
        members=members,
        n_nodes=n_nodes,
        rel_owner=owner_ids[owner_node],
        rel_owner_node=owner_node,
        rel_person=np.arange(1000, 1000 + N_RELATIONSHIPS, dtype=np.int64),
        rel_node=node,
        rel_level=level,
        rel_strength=rng.uniform(0.05, 1.0, N_RELATIONSHIPS).astype(np.float32),
        rel_contacts=rng.integers(0, 4, N_RELATIONSHIPS).astype(np.int32),
        rel_org=rel_org,
        rel_name=adapters.Strings.of(names),
        rel_title=adapters.Strings.of(pick(TITLES)),
        rel_sector=adapters.Strings.of(pick(SECTORS)),
        rel_region=adapters.Strings.of(pick(REGIONS)),
        rel_organisation=adapters.Strings.of(written),
        rel_sort=adapters.Strings.of([fold(n) for n in names]),
        org_keys=adapters.Strings.of([fold(n) for n in org_names]),
        org_display=adapters.Strings.of(org_names),
        colleagues=np.array(colleague_rows, dtype=np.int32).reshape(-1, 3),
        intros=intros,
        competitors=competitors,
        node_rel_ptr=ptr,
        node_rels=order.astype(np.int64),
    )


def _seen(s: adapters.Snapshot, viewer_id: int) -> dict[str, list[str]]:
    """Each node's name, title, sector, region and organisation as the viewer may see them,
    read rule by rule: anything from the viewer's own file; from another member's file, the
    organisation when shared at any level and the rest only at "name and role"."""
    seen = {a: [""] * s.n_nodes for a in ("name", "title", "sector", "region", "organisation")}
    columns = {
        "name": s.rel_name,
        "title": s.rel_title,
        "sector": s.rel_sector,
        "region": s.rel_region,
        "organisation": s.rel_organisation,
    }
    for r in range(s.n_relationships):  # the first relationship that may say it, says it
        n = int(s.rel_node[r])
        own = int(s.rel_owner[r]) == viewer_id
        if not own and s.rel_level[r] == 0:
            continue
        if s.rel_org[r] >= 0 and not seen["organisation"][n]:
            seen["organisation"][n] = s.rel_organisation[r]
        if n < len(s.members) or not (own or s.rel_level[r] == 2):
            continue
        for attribute in ("name", "title", "sector", "region"):
            if not seen[attribute][n] and columns[attribute][r]:
                seen[attribute][n] = columns[attribute][r]
    for i, member in enumerate(s.members):
        seen["name"][i] = member.name
    return seen


def _use(network: adapters.PooledNetwork) -> None:
    """What the paths, reach, asks and brief pages ask of a viewer's network."""
    graph = network.graph
    network.own_people()
    network.sorted_organisation_names()
    mask = network.matching("title", lambda t: "manager" in t) & network.matching(
        "region", "gent".__eq__
    )
    for path in best_paths_to_matching(graph, network.viewer_node, mask, k=5, max_hops=3):
        for node in path.nodes:
            network.nodes[node].label("someone at %(organisation)s", "someone")
    list(network.profiles())
    network.organisation_codes.get("firma 12")


@pytest.fixture(scope="module")
def club() -> adapters.Snapshot:
    return _club()


def test_a_viewer_keeps_well_under_a_megabyte_and_a_half(club):
    first = adapters.PooledNetwork(club, club.members[0].pk)
    _use(first)  # what every viewer shares is made once per process
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        second = adapters.PooledNetwork(club, club.members[1].pk)
        _use(second)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert second.graph.n_nodes == club.n_nodes
    assert kept < 1.5 * 2**20, f"one viewer keeps {kept / 2**20:.2f} MiB"
    assert second.nbytes < 1.5 * 2**20


@pytest.mark.parametrize("viewer", [0, 7])
def test_a_viewer_sees_what_the_sharing_levels_allow_and_nothing_else(club, viewer):
    viewer_id = club.members[viewer].pk
    network = adapters.PooledNetwork(club, viewer_id)
    seen = _seen(club, viewer_id)
    for attribute, values in seen.items():
        assert network.column(attribute) == values, attribute
        assert network.folded(attribute) == [fold(v) if v else "" for v in values], attribute
    for n in (0, viewer, N_MEMBERS, N_MEMBERS + 1, club.n_nodes - 1):
        info = network.nodes[n]
        assert (info.name, info.title, info.organisation) == (
            seen["name"][n],
            seen["title"][n],
            seen["organisation"][n],
        )
    # Matching and the ask profiles answer from the same values.
    titles = [fold(v) for v in seen["title"]]
    assert network.matching("title", lambda t: "manager" in t).tolist() == [
        "manager" in t for t in titles
    ]
    grouped: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n in range(N_MEMBERS, club.n_nodes):
        key = tuple(seen[a][n] for a in ("title", "sector", "region", "organisation"))
        if any(key):
            grouped[key].append(n)
    assert {key: nodes.tolist() for key, nodes in network.profiles()} == grouped
    # The organisations the viewer sees are those of the people they see, and no other.
    codes = {fold(name) for name in seen["organisation"] if name}
    assert set(network.organisation_codes) == codes
    assert network.organisation_codes.get("firma 12") == (12 if "firma 12" in codes else None)
    assert sorted(network.organisation_names.values(), key=fold) == (
        network.sorted_organisation_names()
    )
    assert network.sorted_organisation_names() == sorted(
        (club.org_display[network.organisation_codes[k]] for k in codes), key=fold
    )
    own = {int(n) for n in club.rel_node[club.rel_owner == viewer_id]} - {viewer}
    assert network.own_people() == len(own)
    # Someone known only through hidden records of others: no name, no organisation, no tie.
    hidden = [
        n
        for n in range(N_MEMBERS, club.n_nodes)
        if not seen["organisation"][n]
        and not seen["name"][n]
        and club.node_rel_ptr[n + 1] > club.node_rel_ptr[n]
    ]
    assert hidden
    for n in hidden[:20]:
        rels = club.node_rels[club.node_rel_ptr[n] : club.node_rel_ptr[n + 1]]
        if not network.visible[rels].any():
            assert network.graph.degree(n) == 0
            assert network.nodes[n].label("someone at %(organisation)s", "someone") == "someone"


@pytest.mark.parametrize("viewer", [0, 7, 39])
def test_a_viewers_graph_holds_the_ties_the_rules_allow(club, viewer):
    """The viewer's graph, made from the snapshot's ties sorted once, is the graph of the ties
    read rule by rule: the viewer's own relationships and those others share at any level,
    colleagues at an organisation the viewer sees for both, introductions between two
    relationships the viewer sees; and the rivals are those between organisations seen."""
    s = club
    viewer_id = s.members[viewer].pk
    network = adapters.PooledNetwork(s, viewer_id)
    visible = [
        int(s.rel_owner[r]) == viewer_id or s.rel_level[r] > 0 for r in range(len(s.rel_node))
    ]
    seen_org = [-1] * s.n_nodes
    for r in range(len(s.rel_node)):
        n = int(s.rel_node[r])
        if visible[r] and s.rel_org[r] >= 0 and seen_org[n] < 0:
            seen_org[n] = int(s.rel_org[r])
    ties = [
        (int(s.rel_owner_node[r]), int(s.rel_node[r]), float(s.rel_strength[r]))
        for r in range(len(s.rel_node))
        if visible[r]
    ]
    ties += [
        (u, v, adapters.COLLEAGUE_STRENGTH)
        for u, v, c in s.colleagues.tolist()
        if seen_org[u] == c and seen_org[v] == c
    ]
    ties += [
        (int(s.rel_node[b]), int(s.rel_node[a]), adapters.INTRODUCED_STRENGTH)
        for a, b in s.intros.tolist()
        if visible[a] and visible[b]
    ]
    expected = build_graph(
        s.n_nodes,
        np.array([t[0] for t in ties]),
        np.array([t[1] for t in ties]),
        np.array([t[2] for t in ties], dtype=np.float32),
        organisation=np.array(seen_org),
    )
    for name in ("indptr", "indices", "weights", "organisation", "rowmax", "org_order"):
        assert np.array_equal(getattr(network.graph, name), getattr(expected, name)), name
    seen = {c for c in seen_org if c >= 0}
    rivals: dict[int, set[int]] = defaultdict(set)
    for a, b in s.competitors.tolist():
        if a in seen and b in seen:
            rivals[a].add(b)
            rivals[b].add(a)
    assert dict(network.competitors) == rivals
    assert network.competitors.get(-5, set()) == set()


def test_two_viewers_of_one_snapshot_see_different_things(club):
    a = adapters.PooledNetwork(club, club.members[0].pk)
    b = adapters.PooledNetwork(club, club.members[1].pk)
    assert a.column("name") != b.column("name")
    assert a.column("name")[:N_MEMBERS] == b.column("name")[:N_MEMBERS]


@pytest.mark.django_db
def test_the_viewer_cache_is_bounded_by_bytes(club_network, monkeypatch):
    cast = club_network
    now = clock.now()
    monkeypatch.setattr(adapters, "_VIEWS_BYTES", 1)  # room for the newest only
    alice = adapters.pooled_network(cast.alice, cast.club, now=now)
    bob = adapters.pooled_network(cast.bob, cast.club, now=now)
    assert list(adapters._VIEWS.values()) == [bob]
    assert adapters.pooled_network(cast.alice, cast.club, now=now) is not alice
    monkeypatch.setattr(adapters, "_VIEWS_BYTES", 32 * 2**20)
    again = adapters.pooled_network(cast.alice, cast.club, now=now)
    assert adapters.pooled_network(cast.alice, cast.club, now=now) is again


@pytest.mark.django_db
def test_personal_snapshots_are_kept_for_the_last_few_members_only(cast, monkeypatch):
    """Every member has a personal workspace with a snapshot of their own file: a process
    keeps only the last few (the dashboard's count is remembered as a number), so that what
    it holds does not grow with the number of members who viewed a page."""
    from kring.accounts.actions import user_sign_up
    from kring.network.queries import network_reach, personal_reach
    from kring.people import actions
    from kring.workspaces.models import Membership, Workspace

    monkeypatch.setattr(adapters, "_PERSONAL_KEEP", 2)
    adapters._PERSONAL.clear()
    now = clock.now()
    members = [cast.alice, cast.bob, cast.charlie]
    for i in range(3):
        member = user_sign_up(
            email=f"member{i}@example.be", password="x" * 12, display_name=f"Lid {i}"
        )
        for n in range(i + 1):
            actions.person_create(owner=member, given_name=f"P{n}", surname=f"Lid{i}")
        members.append(member)
    counts = [personal_reach(member, now=now) for member in members]
    assert counts == [1, 0, 0, 1, 2, 3]  # Alice's file: Jan
    assert len(adapters._PERSONAL) == 2
    assert not set(adapters._PERSONAL) & set(adapters._SNAPSHOTS)
    # The count is the reach funnel's own count, and a view of a personal workspace counts
    # the snapshot it keeps alive in the bytes the view cache is bounded by.
    for member, count in zip(members, counts, strict=True):
        personal = Membership.objects.get(user=member, workspace__kind=Workspace.Kind.PERSONAL)
        assert network_reach(member, personal.workspace_id, now=now).alone_one == count
    view = adapters.pooled_network(members[-1], personal.workspace, now=now)
    assert view.owns_snapshot and view.nbytes > view.snapshot.nbytes > 0
    club = adapters.pooled_network(cast.alice, cast.club, now=now)
    assert not club.owns_snapshot  # a club's snapshot is shared, and kept anyway
    assert len(adapters._PERSONAL) == 2


def test_a_view_dropped_from_the_cache_is_freed_at_once(club):
    """No reference cycle: a view's arrays (about a megabyte) are given back when the cache
    drops it, not when the next full garbage collection happens to run."""
    import weakref

    network = adapters.PooledNetwork(club, club.members[0].pk)
    assert network.nodes[N_MEMBERS + 1] is network.nodes[N_MEMBERS + 1]  # kept a while
    dropped = weakref.ref(network)
    gc.disable()
    try:
        del network
        assert dropped() is None
    finally:
        gc.enable()


@pytest.mark.django_db
def test_the_remembered_own_file_count_is_each_viewers_own(club_network):
    """Two members of one club: each is told how many people are in their own file, not the
    count of whoever asked first."""
    cast = club_network
    now = clock.now()
    adapters._COUNTS.clear()
    snapshot = adapters.workspace_snapshot(cast.club, now=now)
    expected = {user.pk: adapters._own_people(snapshot, user.pk) for user in (cast.alice, cast.bob)}
    assert expected[cast.alice.pk] != expected[cast.bob.pk]
    for _ in range(2):
        for user in (cast.alice, cast.bob):
            assert adapters.own_people_count(user, cast.club, now=now) == expected[user.pk]


def test_profile_groups_packed_or_compared_row_by_row_are_the_same(club, monkeypatch):
    """The four codes of a profile are packed into one number to group them; with too many
    distinct values to pack, rows are compared as they are: the same groups either way."""
    packed = adapters.PooledNetwork(club, club.members[3].pk).profile_groups()
    monkeypatch.setattr(adapters.math, "prod", lambda sizes: 2**63)
    rows = adapters.PooledNetwork(club, club.members[3].pk).profile_groups()
    for a, b in zip(packed, rows, strict=True):
        assert np.array_equal(a, b)
    assert len(packed[0]) > 100


def test_the_organisation_list_of_each_viewer_holds_only_what_they_see(club):
    """The paths form's <option>s are escaped once per snapshot and joined per viewer: each
    viewer's list is their own organisations, escaped, in directory order."""
    from django.utils.html import format_html_join

    from kring.network.queries import organisation_options

    lists = []
    for viewer in (2, 12):  # 861 and 865 organisations seen
        network = adapters.PooledNetwork(club, club.members[viewer].pk)
        expected = format_html_join(
            "", '<option value="{}">', ((name,) for name in network.sorted_organisation_names())
        )
        assert organisation_options(network) == expected
        lists.append(expected)
    assert lists[0] != lists[1]
