"""A contact logged changes how strong ties are, not who is seen: pages keep answering from
the current snapshot, and the worker builds the next one before the version moves to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.lib import clock
from kring.network import adapters, tasks
from kring.network.models import NetworkVersion
from kring.network.tasks import build_network_snapshot
from kring.people import actions
from kring.people.models import Person

pytestmark = pytest.mark.django_db


def _contacts_with(network: adapters.PooledNetwork, owner_id: int, person_id: int) -> int:
    s = network.snapshot
    rows = [i for i in range(s.n_relationships) if s.rel_person[i] == person_id]
    assert rows and s.rel_owner[rows[0]] == owner_id
    return int(s.rel_contacts[rows[0]])


def test_a_logged_contact_is_published_by_the_worker_and_no_page_builds_it(club_network):
    cast = club_network
    now = clock.now()
    before = adapters.pooled_network(cast.alice, cast.club, now=now)
    version = adapters.network_version(cast.club)
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    contacts = _contacts_with(before, cast.bob.pk, koen.pk)
    actions.interaction_log(owner=cast.bob, people=[koen], channel="call", now=now)
    assert NetworkVersion.objects.get(workspace=cast.club).stale
    # The pages answer from the snapshot they have: one query (the version), nothing built.
    assert adapters.network_version(cast.club) == version
    with CaptureQueriesContext(connection) as queries:
        assert adapters.pooled_network(cast.alice, cast.club, now=now) is before
    assert len(queries) == 1
    published = build_network_snapshot.call(cast.club.pk)
    assert published != version
    assert adapters.network_version(cast.club) == published
    assert not NetworkVersion.objects.get(workspace=cast.club).stale
    adapters._SNAPSHOTS.clear()  # another server process: loads the worker's file
    with CaptureQueriesContext(connection) as queries:
        after = adapters.pooled_network(cast.alice, cast.club, now=now)
    assert len(queries) == 1
    assert after.snapshot.version == published
    assert _contacts_with(after, cast.bob.pk, koen.pk) == contacts + 1
    # Nothing new since: the next run builds and publishes nothing.
    assert build_network_snapshot.call(cast.club.pk) == published


def test_a_share_taken_back_while_stale_hides_the_person_at_once(club_network):
    cast = club_network
    now = clock.now()
    adapters.pooled_network(cast.alice, cast.club, now=now)
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    actions.interaction_log(owner=cast.bob, people=[koen], channel="call", now=now)
    version = adapters.network_version(cast.club)
    actions.share_set(
        actor=cast.bob, relationship=koen.relationship, workspace=cast.club, level="none"
    )
    assert adapters.network_version(cast.club) != version
    names = {n.name for n in adapters.pooled_network(cast.alice, cast.club, now=now).nodes}
    assert "Koen Claes" not in names


def test_the_worker_does_not_publish_over_a_change_that_came_in_during_its_build(
    club_network, monkeypatch
):
    cast = club_network
    now = clock.now()
    adapters.pooled_network(cast.alice, cast.club, now=now)
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    actions.interaction_log(owner=cast.bob, people=[koen], channel="call", now=now)
    build = tasks.workspace_snapshot

    def build_while_bob_shares(*args, **kwargs):  # type: ignore[no-untyped-def]
        built = build(*args, **kwargs)
        henk = Person.objects.get(owner=cast.bob, given_name="Henk")
        actions.share_set(
            actor=cast.bob, relationship=henk.relationship, workspace=cast.club, level="name_role"
        )
        return built

    monkeypatch.setattr(tasks, "workspace_snapshot", build_while_bob_shares)
    number = NetworkVersion.objects.get(workspace=cast.club).number
    returned = build_network_snapshot.call(cast.club.pk)
    assert NetworkVersion.objects.get(workspace=cast.club).number == number + 1  # the share
    assert returned == adapters.network_version(cast.club)
    monkeypatch.undo()
    names = {n.name for n in adapters.pooled_network(cast.alice, cast.club, now=now).nodes}
    assert "Henk Verborgen" in names


def test_contacts_logged_together_ask_the_worker_for_one_build_a_little_later(
    club_network, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    cast = club_network
    now = clock.now()
    adapters.pooled_network(cast.alice, cast.club, now=now)
    koen = Person.objects.get(owner=cast.bob, given_name="Koen")
    queued = DBTaskResult.objects.filter(task_path__endswith="build_network_snapshot")
    before = queued.count()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            actions.interaction_log(owner=cast.bob, people=[koen], channel="call", now=now)
    assert queued.count() == before + 1
    task = queued.order_by("-enqueued_at").first()
    assert task is not None and task.run_after is not None
    assert task.run_after >= now + dt.timedelta(seconds=settings.NETWORK_REBUILD_SECONDS - 1)
    # The build takes the batch; the next contact asks for the next one.
    build_network_snapshot.call(cast.club.pk)
    with django_capture_on_commit_callbacks(execute=True):
        actions.interaction_log(owner=cast.bob, people=[koen], channel="call", now=now)
    assert queued.count() == before + 2
