"""The pooled network's snapshot is built by the worker (`kring worker`) after a tie changed,
so that the next page finds it ready instead of building it."""

from __future__ import annotations

from django_tasks import task

from kring.lib import clock
from kring.network.adapters import network_version, workspace_snapshot
from kring.workspaces.models import Workspace


@task()
def build_network_snapshot(workspace_id: int) -> str:
    """Build the workspace's snapshot at its current version, unless it is there already (a
    burst of writes enqueues this many times; the first run does the work)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "gone"
    version = network_version(workspace)
    return workspace_snapshot(workspace, now=clock.now(), version=version).version


def enqueue_all_snapshots() -> int:
    """Ask the worker to build every club's and company's snapshot (at its start: the first
    page of a network then finds it ready). Returns how many were asked for."""
    ids = list(Workspace.objects.exclude(kind=Workspace.Kind.PERSONAL).values_list("pk", flat=True))
    for workspace_id in ids:
        build_network_snapshot.enqueue(workspace_id)
    return len(ids)
