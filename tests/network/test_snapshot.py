"""The pooled network is built once per workspace and shared by every viewer; each viewer's
sharing levels are masks over it; only writes to what ties are made of make it stale."""

from __future__ import annotations

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
    assert adapters._snapshot_path(cast.club.pk, version).exists()
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
