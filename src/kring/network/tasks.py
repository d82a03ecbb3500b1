"""The pooled network's snapshot is built by the worker (`kring worker`) after a tie changed,
so that the next page finds it ready instead of building it."""

from __future__ import annotations

import secrets

from django_tasks import task

from kring.lib import clock
from kring.network.adapters import network_version, workspace_snapshot
from kring.network.models import NetworkVersion
from kring.workspaces.models import Workspace


@task()
def build_network_snapshot(workspace_id: int) -> str:
    """Build the workspace's snapshot at its current version, unless it is there already (a
    burst of writes enqueues this many times; the first run does the work).

    When contacts were logged meanwhile (the version is stale), the next version is built
    first and only then published, under a new token: pages answer from the current snapshot
    until the next one is ready, and none of them builds it."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "gone"
    version = network_version(workspace)
    now = clock.now()
    # Taken before reading the ties: a contact logged from here on marks it stale again and
    # asks for another build.
    taken = NetworkVersion.objects.filter(workspace=workspace, stale=True).update(stale=False)
    if not taken:
        return workspace_snapshot(workspace, now=now, version=version).version
    row = NetworkVersion.objects.filter(workspace=workspace).values("number", "token").first()
    if row is None:
        return workspace_snapshot(workspace, now=now, version=version).version
    # A new token, never a number: a share taken back meanwhile raises the number, and a
    # version made of that number must never meet this snapshot, built before it.
    token = secrets.token_hex(16)
    following = _with_token(version, token)
    workspace_snapshot(workspace, now=now, version=following)
    published = NetworkVersion.objects.filter(workspace=workspace, **row).update(token=token)
    # Not published: something that shows or hides people came in meanwhile and raised the
    # number; the pages build that version (it holds these contacts too).
    return following if published else network_version(workspace)


def _with_token(version: str, token: str) -> str:
    """``version`` (adapters.network_version: token-number-largest ids) with another token.
    Tokens are hexadecimal and the rest are numbers, so '-' only separates."""
    _token, *rest = version.split("-")
    return "-".join([token, *rest])


def enqueue_all_snapshots() -> int:
    """Ask the worker to build every club's and company's snapshot (at its start: the first
    page of a network then finds it ready). Returns how many were asked for."""
    ids = list(Workspace.objects.exclude(kind=Workspace.Kind.PERSONAL).values_list("pk", flat=True))
    for workspace_id in ids:
        build_network_snapshot.enqueue(workspace_id)
    return len(ids)
