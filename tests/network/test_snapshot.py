"""The pooled network is built once per workspace and shared by every viewer; each viewer's
sharing levels are masks over it; only writes to what ties are made of make it stale."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.lib import clock
from kring.network import adapters
from kring.network.tasks import build_network_snapshot
from kring.people import actions
from kring.people.models import Person

pytestmark = pytest.mark.django_db


def test_every_viewer_shares_one_snapshot_and_sees_only_what_is_shared(club_network):
    cast = club_network
    now = clock.now()
    alice = adapters.pooled_network(cast.alice, cast.club, now=now)
    bob = adapters.pooled_network(cast.bob, cast.club, now=now)
    assert alice.snapshot is bob.snapshot
    names_alice = {n.name for n in alice.nodes}
    names_bob = {n.name for n in bob.nodes}
    assert "Henk Verborgen" in names_bob and "Greet Geheim" in names_bob  # Bob's own file
    assert "Henk Verborgen" not in names_alice and "Greet Geheim" not in names_alice
    assert "Sofie Smet" not in names_alice  # shared as "someone at Beta" only
    assert "Beta" in alice.organisation_names.values()
    assert "Gamma" not in alice.organisation_names.values()  # only in a hidden record
    henk = Person.objects.get(owner=cast.bob, given_name="Henk")
    assert alice.node_of(cast.bob.pk, henk.pk) is None
    node = bob.node_of(cast.bob.pk, henk.pk)
    assert node is not None and alice.graph.degree(node) == 0  # no tie Alice may use


def test_the_relationship_facts_are_read_in_a_fixed_number_of_queries(club_network):
    cast = club_network
    now = clock.now()
    version = adapters.network_version(cast.club)
    with CaptureQueriesContext(connection) as few:
        adapters._build_snapshot(cast.club, version, now=now)
    for i in range(5):  # more people with contacts in more files
        owner = cast.alice if i % 2 else cast.bob
        person = actions.person_create(owner=owner, given_name=f"Extra{i}")
        actions.interaction_log(owner=owner, people=[person], channel="call")
    with CaptureQueriesContext(connection) as more:
        adapters._build_snapshot(cast.club, version, now=now)
    assert len(few) == len(more) <= 10


def test_a_share_changes_the_version_and_an_unrelated_write_does_not(club_network):
    cast = club_network
    now = clock.now()
    first = adapters.pooled_network(cast.alice, cast.club, now=now)
    version = adapters.network_version(cast.club)
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    actions.note_create(owner=cast.bob, person=koen, text="Acme zoekt een nieuwe leverancier")
    assert adapters.network_version(cast.club) == version
    assert adapters.pooled_network(cast.alice, cast.club, now=now) is first
    henk = Person.objects.get(owner=cast.bob, given_name="Henk")
    actions.share_set(
        actor=cast.bob, relationship=henk.relationship, workspace=cast.club, level="name_role"
    )
    assert adapters.network_version(cast.club) != version
    second = adapters.pooled_network(cast.alice, cast.club, now=now)
    assert "Henk Verborgen" in {n.name for n in second.nodes}


def test_the_worker_builds_the_snapshot_so_that_a_request_loads_it(club_network, settings):
    cast = club_network
    adapters.network_version(cast.club)  # the first look creates the version
    actions.share_set(
        actor=cast.bob,
        relationship=Person.objects.get(owner=cast.bob, given_name="Henk").relationship,
        workspace=cast.club,
        level="organisation",
    )
    version = build_network_snapshot.call(cast.club.pk)
    assert version == adapters.network_version(cast.club)
    assert (adapters._snapshot_path(cast.club.pk, version) / "meta.pickle").exists()
    adapters._SNAPSHOTS.clear()  # another server process: loads the file, builds nothing
    with CaptureQueriesContext(connection) as queries:
        network = adapters.pooled_network(cast.alice, cast.club, now=clock.now())
    assert len(queries) == 1  # the version
    assert network.snapshot.version == version
    adapters._SNAPSHOTS.clear()
    adapters.warm_up()  # a server process starting: loads what the worker left
    assert adapters._SNAPSHOTS[cast.club.pk].version == version


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_network_pages_read_a_fixed_number_of_queries(club_network):
    from django.urls import reverse

    cast = club_network
    club = cast.club.pk
    urls = [
        reverse("workspace_shared", args=[club]),
        reverse("workspace_shared", args=[club]) + "?q=acme",
        reverse("workspace_paths", args=[club]),
        reverse("workspace_paths", args=[club]) + "?organisation=Acme",
        reverse("club_asks", args=[club]),
    ]
    client = cast.client(cast.alice)
    actions.ask_create(owner=cast.alice, text="Een CFO in de bouw")
    for url in urls:
        client.get(url)  # the snapshot is built once
    few = [_queries(client, url) for url in urls]
    for i in range(12):
        person = actions.person_create(
            owner=cast.bob, given_name=f"Deel{i}", organisation_name="Acme", title="CFO"
        )
        actions.share_set(
            actor=cast.bob, relationship=person.relationship, workspace=cast.club, level="name_role"
        )
        actions.ask_create(owner=cast.bob, text=f"Vraag {i}: een CFO in de bouw")
    for url in urls:
        client.get(url)
    more = [_queries(client, url) for url in urls]
    assert few == more
    assert max(few) <= 12


def test_the_worker_asks_for_every_club_snapshot_when_it_starts(cast, monkeypatch):
    import django.core.management
    from django_tasks_db.models import DBTaskResult

    from kring.cli.main import main as kring

    ran = []
    # The worker's loop itself (django-tasks) is not run: it closes the test's connection.
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: ran.append(a))
    assert kring(["worker", "--batch"]) == 0
    queued = DBTaskResult.objects.filter(task_path__endswith="build_network_snapshot")
    assert [task.args_kwargs["args"] for task in queued] == [[cast.club.pk]]


def _same_view(a: adapters.PooledNetwork, b: adapters.PooledNetwork) -> None:
    for name in ("indptr", "indices", "weights", "organisation"):
        assert np.array_equal(getattr(a.graph, name), getattr(b.graph, name)), name
    for attribute in ("name", "title", "sector", "region", "organisation"):
        assert a.column(attribute) == b.column(attribute), attribute
    assert a.organisation_names == b.organisation_names
    assert a.competitors == b.competitors
    assert [(n.files, n.contacts, n.person_id) for n in a.nodes] == [
        (n.files, n.contacts, n.person_id) for n in b.nodes
    ]


def _mapped(array: np.ndarray) -> bool:
    """Whether ``array`` reads a file's pages: a memory map, or a plain view of one (as the
    snapshot keeps them, without the memmap subclass's hooks on every slice)."""
    while array is not None:
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return False


def test_a_saved_snapshot_is_memory_mapped_read_only_and_answers_as_the_built_one(club_network):
    cast = club_network
    now = clock.now()
    version = adapters.network_version(cast.club)
    built = adapters._build_snapshot(cast.club, version, now=now)
    adapters._save(built)  # as the worker writes it (strengths decay with the clock: one now)
    adapters._SNAPSHOTS.clear()  # another server process
    mapped = adapters.workspace_snapshot(cast.club, now=now)
    assert mapped is not built and mapped.version == version
    for name in adapters._ARRAYS:
        array = getattr(mapped, name)
        assert _mapped(array), name
        assert not array.flags.writeable, name
        assert np.array_equal(array, getattr(built, name)), name
    for name in adapters._STRINGS:
        column = getattr(mapped, name)
        assert _mapped(column.data) and not column.data.flags.writeable
        assert list(column) == list(getattr(built, name)), name
    assert [m.pk for m in mapped.members] == [m.pk for m in built.members]
    with pytest.raises(ValueError, match="read-only"):
        mapped.rel_strength[0] = 1.0
    for viewer in (cast.alice, cast.bob):
        _same_view(
            adapters.PooledNetwork(built, viewer.pk), adapters.PooledNetwork(mapped, viewer.pk)
        )


def test_another_process_maps_the_same_files(club_network):
    """A second process (as a second gunicorn worker would) reads the snapshot's files as they
    are, memory-mapped, and finds the same numbers."""
    cast = club_network
    version = build_network_snapshot.call(cast.club.pk)
    path = adapters._snapshot_path(cast.club.pk, version)
    snapshot = adapters._SNAPSHOTS[cast.club.pk]
    script = (
        "import sys, numpy as np\n"
        "a = np.load(sys.argv[1], mmap_mode='r', allow_pickle=False)\n"
        "print(type(a).__name__, a.flags.writeable, float(a.sum()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path / "rel_strength.npy")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[:2] == ["memmap", "False"]
    assert float(out[2]) == pytest.approx(float(snapshot.rel_strength.sum()))


def test_a_new_version_replaces_the_older_files_and_a_torn_one_is_built_again(club_network):
    cast = club_network
    now = clock.now()
    first = build_network_snapshot.call(cast.club.pk)
    old = adapters._snapshot_path(cast.club.pk, first)
    stale = old.parent / f"workspace-{cast.club.pk}-{first}-f2.pickle"  # the older format
    stale.write_bytes(b"not a snapshot")
    henk = Person.objects.get(owner=cast.bob, given_name="Henk")
    actions.share_set(
        actor=cast.bob, relationship=henk.relationship, workspace=cast.club, level="name_role"
    )
    second = build_network_snapshot.call(cast.club.pk)
    assert second != first
    new = adapters._snapshot_path(cast.club.pk, second)
    assert new.is_dir() and not old.exists() and not stale.exists()
    assert not list(new.parent.glob(".*.tmp"))  # nothing half-written left behind
    (new / "rel_node.npy").write_bytes(b"torn")
    adapters._SNAPSHOTS.clear()
    assert adapters._load(cast.club.pk, second) is None
    again = adapters.workspace_snapshot(cast.club, now=now)
    assert _mapped(again.rel_node) and again.version == second
    assert "Henk Verborgen" in adapters.PooledNetwork(again, cast.alice.pk).column("name")


def test_strings_round_trip_every_script():
    values = ["", "Ærøskøbing", "Zoë van den Bossche", "", "李雷", "e\u0301"]
    column = adapters.Strings.of(values)
    assert list(column) == values
    assert column[-1] == values[-1] and column[1:3] == values[1:3]
    assert column.nonempty().tolist() == [bool(v) for v in values]
    with pytest.raises(IndexError):
        column[len(values)]
    assert list(adapters.Strings.of([])) == []


def test_the_worker_runs_rq_on_the_redis_queue_when_one_is_configured(cast, monkeypatch, settings):
    import django.core.management

    from kring.cli.main import main as kring

    ran = []
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: ran.append((a, k)))
    settings.TASKS_URL = "redis://127.0.0.1:6379/0"
    assert kring(["worker", "--batch"]) == 0
    assert ran == [
        (
            ("rqworker", "default"),
            {"job_class": "django_tasks_rq.Job", "burst": True, "with_scheduler": True},
        )
    ]
    settings.TASKS_URL = ""
    ran.clear()
    assert kring(["worker", "--batch"]) == 0
    assert ran == [(("db_worker",), {"batch": True})]
