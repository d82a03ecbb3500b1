"""What makes a workspace's pooled network out of date: any write to what its ties are made
of, by any of its members. Each such write bumps the workspace's NetworkVersion (one UPDATE),
so that the snapshot is rebuilt once, for every viewer, and nothing else throws it away.

Signals catch every save, and the deletes that can reveal or hide someone: relationships (a
person's erasure cascades to theirs), shares, organisations and memberships (a queryset delete
sends them too, row by row). Deleted interactions and contact points only weaken a tie or
split an identity; they wait for the next change, so that erasing an account stays a fast
bulk delete. Bulk inserts (imports) send nothing, so the version also holds the largest
relationship, person and contact point ids (kring.network.adapters.network_version).

A contact logged (an interaction and its people) only changes how strong ties are, not who is
seen: it marks the version stale instead, and the worker builds the next snapshot (once for
all the contacts of a minute) before it publishes it (kring.network.tasks), so that
pages keep answering from the current one and a club logging contacts all day never has a page
build it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from kring.lib import clock
from kring.network.models import NetworkVersion
from kring.people.models import (
    ContactPoint,
    Interaction,
    Organisation,
    Person,
    Relationship,
    Share,
)
from kring.workspaces.models import Membership


def bump_for_owner(owner_id: int | None) -> None:
    """Every workspace the owner is a member of has a new version of its network."""
    if owner_id is None:
        return
    _bump(NetworkVersion.objects.filter(workspace__memberships__user_id=owner_id))


def stale_for_owner(owner_id: int | None) -> None:
    """Every workspace the owner is a member of has ties of another strength, but shows and
    hides the same people: its pages answer from the current snapshot until the worker has
    built the next one (kring.network.tasks), instead of each page building it. The first
    such write asks the worker for a build ``settings.NETWORK_REBUILD_SECONDS`` later (a
    minute by default); the writes until then ask for nothing more, so that a busy evening
    costs one build a minute at most, not one a write: each build costs the worker seconds,
    and every server process the views of the members browsing the network."""
    if owner_id is None:
        return
    versions = NetworkVersion.objects.filter(workspace__memberships__user_id=owner_id, stale=False)
    ids = list(versions.values_list("workspace_id", flat=True))
    if not ids:  # none asked for yet, or a build is asked for already
        return
    NetworkVersion.objects.filter(workspace_id__in=ids).update(stale=True)
    after = settings.NETWORK_REBUILD_SECONDS
    transaction.on_commit(lambda: _rebuild(ids, after=after))


def _bump_workspace(workspace_id: int) -> None:
    _bump(NetworkVersion.objects.filter(workspace_id=workspace_id))


def _bump(versions: Any) -> None:
    ids = list(versions.values_list("workspace_id", flat=True))
    if not ids:  # no snapshot was ever asked for: nothing to throw away or rebuild
        return
    NetworkVersion.objects.filter(workspace_id__in=ids).update(number=F("number") + 1)
    transaction.on_commit(lambda: _rebuild(ids))


def _rebuild(workspace_ids: list[int], *, after: float = 0) -> None:
    from kring.network.tasks import build_network_snapshot

    task = build_network_snapshot
    if after:
        task = task.using(run_after=clock.now() + dt.timedelta(seconds=after))
    for workspace_id in workspace_ids:
        task.enqueue(workspace_id)


def _owned(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures
        return
    update_fields = kwargs.get("update_fields")
    if sender is Relationship and update_fields and set(update_fields) <= _UNRELATED_FIELDS:
        return  # a tier, snooze or stars change leaves the ties as they are
    if sender is Interaction:
        stale_for_owner(instance.owner_id)
    elif sender is ContactPoint:
        owner_id = Person.objects.filter(pk=instance.person_id).values_list("owner_id").first()
        bump_for_owner(owner_id[0] if owner_id else None)
    else:
        bump_for_owner(instance.owner_id)


_UNRELATED_FIELDS = {"tier", "snoozed_until", "stars", "updated_at"}


def _share(sender: type, instance: Share, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _bump_workspace(instance.workspace_id)


def _membership(sender: type, instance: Membership, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _bump_workspace(instance.workspace_id)


def _links(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump_for_owner(getattr(instance, "owner_id", None))


def _contacts(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        stale_for_owner(getattr(instance, "owner_id", None))


def connect() -> None:
    for model in (Relationship, Person, Organisation, Interaction, ContactPoint):
        post_save.connect(_owned, sender=model, dispatch_uid=f"network-{model.__name__}-save")
    for model in (Relationship, Organisation):
        post_delete.connect(_owned, sender=model, dispatch_uid=f"network-{model.__name__}-del")
    post_save.connect(_share, sender=Share, dispatch_uid="network-share-save")
    post_delete.connect(_share, sender=Share, dispatch_uid="network-share-delete")
    post_save.connect(_membership, sender=Membership, dispatch_uid="network-member-save")
    post_delete.connect(_membership, sender=Membership, dispatch_uid="network-member-delete")
    m2m_changed.connect(_contacts, sender=Interaction.people.through, dispatch_uid="network-links")
    m2m_changed.connect(
        _links, sender=Organisation.competes_with.through, dispatch_uid="network-rivals"
    )
