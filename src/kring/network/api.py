"""The pooled network in the API: introduction paths and reach."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router

from kring.lib import clock
from kring.lib.api import ErrorOut, api_user
from kring.network import schemas as s
from kring.network.queries import introduction_paths, network_reach

network = Router(tags=["network"])


@network.get("/workspaces/{workspace_id}/paths", response={200: s.PathsOut, 422: ErrorOut})
def get_paths(
    request: HttpRequest,
    workspace_id: int,
    organisation: str = "",
    role: str = "",
    sector: str = "",
    region: str = "",
    person: int | None = None,
    owner: int | None = None,
    k: int = 5,
    hops: int = 3,
) -> dict[str, Any]:
    """The best warm introduction paths from me to a person (``person``, in the file of member
    ``owner``, by default mine), or to anyone at an organisation, in a role, sector or region."""
    paths, name = introduction_paths(
        api_user(request),
        workspace_id,
        organisation=organisation,
        role=role,
        sector=sector,
        region=region,
        person=None if person is None else (owner or api_user(request).pk, person),
        k=k,
        hops=hops,
        now=clock.now(),
    )
    return {"organisation": name, "paths": [asdict(p) for p in paths]}


@network.get("/workspaces/{workspace_id}/reach", response=s.ReachOut)
def get_reach(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    return asdict(network_reach(api_user(request), workspace_id, now=clock.now()))


routers = [network]
