"""Introduction paths and reach in a workspace's pooled network, as the viewer may see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.core.graph import InvalidQuery, best_paths_to_matching, explain_path, reach
from kring.core.names import fold
from kring.network.adapters import PooledNetwork, pooled_network
from kring.workspaces.queries import access_workspace_by_id


@dataclass(frozen=True)
class HopView:
    label: str
    strength: float
    strength_word: str
    person_id: int | None
    member: bool
    competitor: bool


@dataclass(frozen=True)
class PathView:
    score: float
    hops: list[HopView]
    flagged: bool


@dataclass(frozen=True)
class ReachView:
    alone_one: int
    alone_two: int
    pooled_one: int
    pooled_two: int


def _strength_word(strength: float) -> str:
    if strength >= 0.6:
        return _("strong")
    if strength >= 0.3:
        return _("medium")
    return _("weak")


def _label(network: PooledNetwork, node: int) -> str:
    return network.nodes[node].label(_("someone at %(organisation)s"), _("someone"))


def _validate(k: int, hops: int) -> None:
    if not 1 <= k <= 10:
        raise ValidationError({"k": _("Ask for 1 to 10 paths.")})
    if not 1 <= hops <= 3:
        raise ValidationError({"hops": _("Paths have 1 to 3 hops.")})


def introduction_paths(
    viewer: User,
    workspace_id: object,
    *,
    organisation: str = "",
    role: str = "",
    k: int = 5,
    hops: int = 3,
    now: dt.datetime,
    network: PooledNetwork | None = None,
) -> tuple[list[PathView], str]:
    """The best ``k`` warm paths from the viewer to anyone at ``organisation`` and/or with a
    role containing ``role``. Returns the paths and the organisation's name as known.

    ``network`` may be passed in when the caller built it for this viewer and workspace."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    _validate(k, hops)
    if not organisation.strip() and not role.strip():
        raise ValidationError({"organisation": _("Name an organisation or a role.")})
    network = network or pooled_network(viewer, workspace, now=now)
    graph = network.graph
    mask = np.ones(graph.n_nodes, dtype=bool)
    target_code = None
    if organisation.strip():
        target_code = network.organisation_codes.get(fold(organisation))
        if target_code is None:
            raise ValidationError(
                {
                    "organisation": _("Nobody in this network works at %(name)s.")
                    % {"name": organisation.strip()}
                }
            )
        mask &= graph.organisation == target_code
    if role.strip():
        wanted = fold(role)
        mask &= np.array([bool(n.title) and wanted in fold(n.title) for n in network.nodes])
    for member_node in network.member_nodes.values():
        mask[member_node] = False  # members are reached directly, not introduced to
    rivals = network.competitors.get(target_code, set()) if target_code is not None else set()
    try:
        paths = best_paths_to_matching(
            graph, network.viewer_node, mask, k=k, max_hops=hops, competitors=rivals
        )
    except InvalidQuery as exc:
        raise ValidationError({"k": str(exc)}) from None
    views = []
    for path in paths:
        hop_views = [
            HopView(
                label=_label(network, hop.to_node),
                strength=hop.strength,
                strength_word=_strength_word(hop.strength),
                person_id=network.nodes[hop.to_node].person_id,
                member=network.nodes[hop.to_node].member is not None,
                competitor=hop.competitor,
            )
            for hop in explain_path(graph, path, competitors=rivals)
        ]
        views.append(PathView(score=path.score, hops=hop_views, flagged=bool(path.flagged)))
    name = network.organisation_names.get(target_code, "") if target_code is not None else ""
    return views, name


def viewer_network(viewer: User, workspace_id: object, *, now: dt.datetime) -> PooledNetwork:
    """The workspace's pooled network as ``viewer`` may see it; not found for non-members."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    return pooled_network(viewer, workspace, now=now)


def network_reach(
    viewer: User, workspace_id: object, *, now: dt.datetime, network: PooledNetwork | None = None
) -> ReachView:
    """People the viewer reaches at one and within two hops, alone and through the workspace."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    network = network or pooled_network(viewer, workspace, now=now)
    alone = reach(network.graph, network.viewer_node)
    pooled = reach(network.graph, list(network.member_nodes.values()))
    return ReachView(alone.one_hop, alone.within_two_hops, pooled.one_hop, pooled.within_two_hops)


def organisation_names(network: PooledNetwork) -> list[str]:
    return sorted(network.organisation_names.values(), key=fold)
