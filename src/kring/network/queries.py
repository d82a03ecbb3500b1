"""Introduction paths and reach in a workspace's pooled network, as the viewer may see them."""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.core.asks import (
    AskFields,
    InvalidAsk,
    Profiles,
    ask_matches,
    ask_matches_many,
    parse_ask,
    people_fitting,
)
from kring.core.graph import InvalidQuery, Path, best_paths_to_matching, explain_path, reach
from kring.core.names import display_name, fold
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.network.adapters import (
    NodeInfo,
    PooledNetwork,
    own_people_count,
    pooled_network,
    workspace_snapshot,
)
from kring.network.messages import graph_error
from kring.network.models import Introduction
from kring.people.models import Ask, ContactPoint, Favour, Organisation, Person, Share, ShareLevel
from kring.people.queries import open_asks
from kring.workspaces.models import Membership, Workspace
from kring.workspaces.queries import access_workspace_by_id


@dataclass(frozen=True)
class HopView:
    label: str
    strength: float
    strength_word: str
    person_id: int | None
    member: bool
    competitor: bool
    member_id: int | None = None  # the user, when this hop is a member
    contacts: int | None = None  # contacts in the last year, on a hop from a member


@dataclass(frozen=True)
class PathView:
    score: float
    hops: list[HopView]
    flagged: bool
    # The member who can introduce you and the person in their file, when the path's first hop
    # is a member who knows the second hop: what an introduction request needs.
    connector_id: int | None = None
    target_person_id: int | None = None
    # When no introduction can be requested on this path: why, in words (empty otherwise).
    why_not: str = ""


@dataclass(frozen=True)
class ReachView:
    """The reach funnel, each figure containing the one before (see :func:`network_reach`)."""

    alone_one: int  # the people in your own file (one node per real person, yourself left out)
    alone_two: int  # ...and everyone they lead to: within two hops of you
    pooled_one: int  # everyone the club knows: the members and the people they know, but you
    pooled_organisations: int  # the organisations those people work at


def _strength_word(strength: float) -> str:
    if strength >= 0.6:
        return _("strong")
    if strength >= 0.3:
        return _("medium")
    return _("weak")


def _label(network: PooledNetwork, node: int) -> str:
    return network.nodes[node].label(_("someone at %(organisation)s"), _("someone"))


def _member_id(network: PooledNetwork, node: int) -> int | None:
    member = network.nodes[node].member
    return member.pk if member is not None else None


def _contacts(network: PooledNetwork, from_node: int, to_node: int) -> int | None:
    member = network.nodes[from_node].member
    if member is None:
        return None
    return network.nodes[to_node].contacts.get(member.pk)


def _path_view(network: PooledNetwork, path: Path, rivals: set[int]) -> PathView:
    """A core path in words the viewer may read, with what an introduction request needs."""
    hops = [
        HopView(
            label=_label(network, hop.to_node),
            strength=hop.strength,
            strength_word=_strength_word(hop.strength),
            person_id=network.nodes[hop.to_node].person_id,
            member=network.nodes[hop.to_node].member is not None,
            competitor=hop.competitor,
            member_id=_member_id(network, hop.to_node),
            contacts=_contacts(network, hop.from_node, hop.to_node),
        )
        for hop in explain_path(network.graph, path, competitors=rivals)
    ]
    connector_id = target_person_id = None
    if len(path.nodes) >= 3:
        first, second = network.nodes[path.nodes[1]], network.nodes[path.nodes[2]]
        if first.member is not None and first.member.pk in second.files:
            connector_id = first.member.pk
            target_person_id = second.files[first.member.pk]
    return PathView(
        score=path.score,
        hops=hops,
        flagged=bool(path.flagged),
        connector_id=connector_id,
        target_person_id=target_person_id,
        why_not="" if connector_id is not None else _why_no_introduction(network, path),
    )


def _why_no_introduction(network: PooledNetwork, path: Path) -> str:
    """Why a path offers no introduction request, in words the viewer may read."""
    target = network.nodes[path.nodes[-1]]
    if target.member is not None:
        return _("%(name)s is a member: contact them directly.") % {"name": target.name}
    if len(path.nodes) == 2:
        return _("You know them yourself: no introduction needed.")
    first = network.nodes[path.nodes[1]]
    label = _label(network, path.nodes[1])
    if first.member is None:
        return _("The path starts with your own contact %(name)s: ask them yourself.") % {
            "name": label
        }
    return _(
        "%(name)s is linked to the next person through a colleague or an introduction, "
        "not through their own file: ask %(name)s in person."
    ) % {"name": label}


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
    sector: str = "",
    region: str = "",
    person: tuple[int, int] | None = None,
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
    if person is None and not any(x.strip() for x in (organisation, role, sector, region)):
        raise ValidationError(
            {"organisation": _("Name an organisation, a role, a sector or a region.")}
        )
    network = network or pooled_network(viewer, workspace, now=now)
    graph = network.graph
    mask = np.ones(graph.n_nodes, dtype=bool)
    if person is not None:
        # A person of a file the viewer may see: (the file's owner, the person's id there).
        owner_id, person_id = person
        node = network.node_of(owner_id, person_id)
        if node is None:
            raise NotFound("person", person_id)
        if node == network.viewer_node:
            raise ValidationError({"person": _("That is you: no introduction needed.")})
        only = np.zeros(graph.n_nodes, dtype=bool)
        only[node] = True
        mask &= only
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
        mask &= network.matching("title", lambda t: bool(t) and wanted in t)
    for wanted, attribute in ((sector, "sector"), (region, "region")):
        if wanted.strip():
            key = fold(wanted)
            mask &= network.matching(attribute, key.__eq__)
    if person is None:
        for member_node in network.member_nodes.values():
            mask[member_node] = False  # members are reached directly, not introduced to
    rivals = network.competitors.get(target_code, set()) if target_code is not None else set()
    try:
        paths = best_paths_to_matching(
            graph, network.viewer_node, mask, k=k, max_hops=hops, competitors=rivals
        )
    except InvalidQuery as exc:
        raise ValidationError({"k": graph_error(exc)}) from None
    views = [_path_view(network, path, rivals) for path in paths]
    name = network.organisation_names.get(target_code, "") if target_code is not None else ""
    return views, name


def viewer_network(viewer: User, workspace_id: object, *, now: dt.datetime) -> PooledNetwork:
    """The workspace's pooled network as ``viewer`` may see it; not found for non-members."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    return pooled_network(viewer, workspace, now=now)


def network_reach(
    viewer: User, workspace_id: object, *, now: dt.datetime, network: PooledNetwork | None = None
) -> ReachView:
    """How many people the viewer reaches alone and through the workspace: the one count that
    the reach funnel, the club's pages, the API and the dashboard show.

    The figures nest: the people in the viewer's file are within two hops of the viewer; those
    are all people the club knows (every person in the pooled network is in some member's
    file, and members are counted as people the club knows). The viewer is never counted."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    network = network or pooled_network(viewer, workspace, now=now)
    # The counts of one view never change: remembered with it, and forgotten with it.
    with _FITS_LOCK:
        known = _REACH.get(network)
    if known is None:
        known = _reach_view(network, viewer.pk)
        with _FITS_LOCK:
            _REACH[network] = known
    return known


_REACH: weakref.WeakKeyDictionary[PooledNetwork, ReachView] = weakref.WeakKeyDictionary()


def _reach_view(network: PooledNetwork, viewer_id: int) -> ReachView:
    graph, me = network.graph, network.viewer_node
    own = network.own_people()
    alone = reach(graph, me)
    members = np.fromiter(network.member_nodes.values(), dtype=np.int64)
    known = np.unique(
        np.concatenate([members, *(graph.neighbors(int(m))[0] for m in members)]).astype(np.int64)
    )
    known = known[known != me]
    organisations = np.unique(graph.organisation[known])
    return ReachView(
        alone_one=own,
        alone_two=alone.within_two_hops,
        pooled_one=len(known),
        pooled_organisations=int((organisations >= 0).sum()),
    )


def personal_reach(user: User, *, now: dt.datetime) -> int:
    """The people in the user's own file, counted as the reach funnel counts them (one per real
    person): the dashboard's figure."""
    personal = (
        Membership.objects.filter(user=user, workspace__kind=Workspace.Kind.PERSONAL)
        .values_list("workspace_id", flat=True)
        .first()
    )
    if personal is None:
        return 0
    workspace, _membership = access_workspace_by_id(user, personal)
    return own_people_count(user, workspace, now=now)


def organisation_names(network: PooledNetwork) -> list[str]:
    return network.sorted_organisation_names()


_OPTIONS: weakref.WeakKeyDictionary[PooledNetwork, str] = weakref.WeakKeyDictionary()


def organisation_options(network: PooledNetwork) -> str:
    """The organisations the viewer sees as the ``<option>``s of the paths form's list,
    escaped once per view of the network (hundreds of names, the same on every page)."""
    with _FITS_LOCK:
        html = _OPTIONS.get(network)
    if html is None:
        # Each organisation's <option> escaped once per snapshot, for every viewer; a view
        # joins those of the organisations it sees (a view is made again often under load).
        snapshot = network.snapshot
        options = network.shared(
            "organisation_options",
            lambda: [
                str(format_html('<option value="{}">', name)) for name in snapshot.org_display
            ],
        )
        # Every piece was escaped by format_html above.
        html = mark_safe("".join(options[code] for code in network.sorted_organisation_codes()))
        with _FITS_LOCK:
            _OPTIONS[network] = html
    return html


def access_introduction_by_id(user: User, introduction_id: object) -> Introduction:
    """An introduction the user asked for or is asked to make; not found for anyone else."""
    try:
        found = Introduction.objects.select_related(
            "requester", "connector", "target", "target__organisation", "workspace"
        ).get(pk=int(introduction_id))  # type: ignore[call-overload]
    except (Introduction.DoesNotExist, TypeError, ValueError):
        raise NotFound("introduction", introduction_id) from None
    if user.pk not in (found.requester_id, found.connector_id):
        raise NotFound("introduction", introduction_id)
    return found


def _shared_label(level: str | None, person: Person) -> str:
    """A person of another member's file as a share at ``level`` lets them be called."""
    if level == ShareLevel.NAME_ROLE:
        return person.full_name
    organisation = person.organisation.name if person.organisation else ""
    if level == ShareLevel.ORGANISATION and organisation:
        return _("someone at %(organisation)s") % {"organisation": organisation}
    return _("someone")


def target_label(user: User, introduction: Introduction) -> str:
    """The target as ``user`` may call them: the connector always knows; the requester by name
    only when the connector shares the name, or once the target said yes; the organisation
    only while the connector shares it."""
    target = introduction.target
    if user.pk == introduction.connector_id or introduction.status in (
        Introduction.Status.MADE,
        Introduction.Status.MET,
        Introduction.Status.CLOSED,
    ):
        return target.full_name
    level = (
        Share.objects.filter(workspace=introduction.workspace, relationship__person=target)
        .values_list("level", flat=True)
        .first()
    )
    return _shared_label(level, target)


@dataclass(frozen=True)
class IntroductionTarget:
    """Whom the user may ask a fellow member to be introduced to, and how to call them."""

    workspace: Workspace
    connector: User
    person: Person
    label: str


def access_introduction_target(
    user: User, workspace_id: object, connector_id: object, person_id: object
) -> IntroductionTarget:
    """A person in the file of ``connector_id``, a fellow member of the workspace, that the
    connector shares with this workspace, as the user may call them.

    Not found alike for a connector who is not a fellow member and for a person who does not
    exist, is in another file, is kept hidden (level "nothing" or never shared) or is shared
    with another workspace only: walking the ids teaches nothing.
    """
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    connector = workspace.members.filter(pk=_id(connector_id, "member")).exclude(pk=user.pk).first()
    if connector is None:
        raise NotFound("member", connector_id)
    share = (
        Share.objects.filter(
            workspace=workspace,
            relationship__owner=connector,
            relationship__person_id=_id(person_id, "person"),
        )
        .exclude(level=ShareLevel.NONE)
        .select_related("relationship__person__organisation")
        .first()
    )
    if share is None:
        raise NotFound("person", person_id)
    person = share.relationship.person
    return IntroductionTarget(workspace, connector, person, _shared_label(share.level, person))


def _id(value: object, entity: str) -> int:
    """An id from a URL or a form; not found for anything that is not one."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NotFound(entity, value) from None


def introductions_for(user: User, workspace_id: object) -> tuple[list[Introduction], ...]:
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    both = Introduction.objects.filter(workspace=workspace).select_related(
        "requester", "connector", "target", "target__organisation"
    )
    return list(both.filter(requester=user)), list(both.filter(connector=user))


def never_gave_to(requester: User, connector: User) -> bool:
    """True when the requester's ledger holds no favour given to the connector: give first."""
    return not Favour.objects.filter(
        owner=requester,
        direction=Favour.Direction.GIVEN,
        person__contact_points__kind=ContactPoint.Kind.EMAIL,
        person__contact_points__value__iexact=connector.email,
    ).exists()


@dataclass(frozen=True)
class LedgerRow:
    member: str
    given: int
    received: int

    @property
    def balance(self) -> int:
        return self.given - self.received


def club_ledger(user: User, workspace_id: object) -> list[LedgerRow]:
    """Favours given and received per member of the workspace (counts only, no names of the
    people they concern)."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    members = list(User.objects.filter(memberships__workspace=workspace).order_by("id"))
    counts = {
        (owner, direction): n
        for owner, direction, n in Favour.objects.filter(owner__in=members)
        .values_list("owner_id", "direction")
        .annotate(n=Count("id"))
        .values_list("owner_id", "direction", "n")
    }
    return [
        LedgerRow(m.name, counts.get((m.pk, "given"), 0), counts.get((m.pk, "received"), 0))
        for m in members
    ]


@dataclass(frozen=True)
class Brief:
    """What the workspace may see of a person before the viewer reaches out (seed 004 §5)."""

    label: str
    title: str
    organisation: str
    interests: str
    common: list[str]
    their_asks: list[str]
    competitors_known: list[str]
    paths: list[PathView]


def brief(
    viewer: User, workspace_id: object, owner_id: int, person_id: int, *, now: dt.datetime
) -> Brief:
    """A one-page brief on the person ``person_id`` of ``owner_id``'s file, as far as the
    viewer may see it; not found when that file entry is hidden from the viewer."""
    network = viewer_network(viewer, workspace_id, now=now)
    target = network.node_of(owner_id, person_id)
    if target is None:
        raise NotFound("person", person_id)
    info = network.nodes[target]
    graph = network.graph
    mine = set(graph.neighbors(network.viewer_node)[0].tolist())
    theirs = set(graph.neighbors(target)[0].tolist())
    # People both know, outside the club's member list: every member is known to the club
    # already, and listing them as "mutual" says nothing.
    outside = (mine & theirs) - set(network.member_nodes.values()) - {network.viewer_node, target}
    common = sorted((_label(network, n) for n in outside), key=fold)
    interests = ""
    asks: list[str] = []
    if info.person_id is not None:  # in the viewer's own file
        own = Person.objects.get(pk=info.person_id, owner=viewer)
        interests = ", ".join(x for x in (own.interests, own.hobbies) if x)
        today = clock.today(clock.zone_of(viewer), now)
        asks = list(
            own.asks.filter(owner=viewer, valid_to__gte=today).values_list("text", flat=True)
        )
    code = network.organisation_codes.get(fold(info.organisation)) if info.organisation else None
    rivals = network.competitors.get(code, set()) if code is not None else set()
    competitors_known = sorted(
        _label(network, n) for n in mine if int(graph.organisation[n]) in rivals
    )
    paths: list[PathView] = []
    if target != network.viewer_node:
        mask = np.zeros(graph.n_nodes, dtype=bool)
        mask[target] = True
        found = best_paths_to_matching(
            graph, network.viewer_node, mask, k=3, max_hops=3, competitors=rivals
        )
        paths = [_path_view(network, p, rivals) for p in found]
    return Brief(
        label=_label(network, target),
        title=info.title,
        organisation=info.organisation,
        interests=interests,
        common=common,
        their_asks=asks,
        competitors_known=competitors_known,
        paths=paths,
    )


@dataclass(frozen=True)
class Candidate:
    label: str
    fit: float
    path: PathView | None
    title: str = ""  # as far as the viewer may see it
    organisation: str = ""
    reasons: tuple[str, ...] = ()  # why they fit: the ask's fields they meet, in words


def _fit_reasons(fields: AskFields, info: NodeInfo) -> tuple[str, ...]:
    """The ask's fields a person meets, each in words: why they are a candidate."""
    reasons = []
    checks = (
        ("role", info.title, _("role %(value)s fits “%(wanted)s”"), {"title": info.title}),
        ("sector", info.sector, _("sector %(value)s"), {"sector": info.sector}),
        ("region", info.region, _("region %(value)s"), {"region": info.region}),
        (
            "organisation",
            info.organisation,
            _("works at %(value)s"),
            {"organisation": info.organisation},
        ),
    )
    for field, value, text, seen in checks:
        wanted = getattr(fields, field)
        if not wanted or not value:
            continue
        if ask_matches(AskFields(**{field: wanted}), **seen) >= 1.0:
            reasons.append(text % {"value": value, "wanted": wanted})
    return tuple(reasons)


# Who fits an ask depends only on the ask's fields and on the viewer's view of the network,
# which the adapters keep per network version: the scores are remembered with that view (and
# forgotten with it), so a page that shows the same asks again does not match every person of
# the network anew. Bounded per view: a member has a handful of open asks.
_Fits = tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]
_FITS: weakref.WeakKeyDictionary[PooledNetwork, dict[tuple[str, ...], _Fits]]
_FITS = weakref.WeakKeyDictionary()
_FITS_PER_VIEW = 64
_FITS_LOCK = threading.Lock()


def _ask_fits(network: PooledNetwork, fields: AskFields) -> _Fits:
    """The fit and node of every non-member who fits the ask at least half, best fit first
    (then by node), as two arrays: a network has hundreds who fit an ask half, and a page
    shows a handful."""
    key = (fields.role, fields.sector, fields.region, fields.organisation)
    with _FITS_LOCK:
        hit = _FITS.get(network, {}).get(key)
    if hit is not None:
        return hit
    # Members (the viewer too) are not candidates: they are asked directly. Each distinct
    # title, sector, region and organisation is compared with the ask once.
    codes, starts, nodes = network.profile_groups()
    fits = np.asarray(ask_matches_many(fields, codes, *network.profile_values()), dtype=float)
    groups = np.flatnonzero(fits >= 0.5)
    sizes = starts[groups + 1] - starts[groups]
    # The nodes of the chosen groups, one after the other, each with its group's fit.
    first = np.repeat(starts[groups] - np.cumsum(sizes) + sizes, sizes)
    chosen = nodes[first + np.arange(int(sizes.sum()))].astype(np.int64)
    fit = np.repeat(fits[groups], sizes)
    order = np.lexsort((chosen, -fit))
    found = (fit[order], chosen[order])
    with _FITS_LOCK:
        remembered = _FITS.setdefault(network, {})
        if len(remembered) >= _FITS_PER_VIEW:
            remembered.clear()
        remembered[key] = found
    return found


def ask_candidates(
    viewer: User,
    workspace_id: object,
    fields: AskFields,
    *,
    now: dt.datetime,
    network: PooledNetwork | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """The people in the pooled network who fit an ask, best fit first, each with the warmest
    path to them (at most three hops)."""
    network = network or viewer_network(viewer, workspace_id, now=now)
    graph = network.graph
    fits, nodes = _ask_fits(network, fields)
    candidates = []
    for fit, node in zip(fits[:limit].tolist(), nodes[:limit].tolist(), strict=True):
        mask = np.zeros(graph.n_nodes, dtype=bool)
        mask[node] = True
        found = best_paths_to_matching(graph, network.viewer_node, mask, k=1, max_hops=3)
        path = _path_view(network, found[0], set()) if found else None
        info = network.nodes[node]
        candidates.append(
            Candidate(
                _label(network, node),
                fit,
                path,
                title=info.title,
                organisation=info.organisation,
                reasons=_fit_reasons(fields, info),
            )
        )
    candidates.sort(key=lambda c: (-c.fit, -(c.path.score if c.path else 0.0)))
    return candidates


@dataclass(frozen=True)
class AnswerableAsk:
    member: str
    text: str
    matches: list[tuple[int, str]]  # (person id in the viewer's file, name)


def asks_you_can_answer(
    viewer: User, workspace_id: object, *, today: dt.date
) -> list[AnswerableAsk]:
    """Other members' open asks that someone in the viewer's own file fits: give first."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    asks = (
        Ask.objects.filter(
            owner__memberships__workspace=workspace,
            person__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
        )
        .exclude(owner=viewer)
        .select_related("owner")
        .order_by("valid_to", "id")
    )
    # The viewer's people as plain rows, grouped by what an ask compares: many share a title,
    # sector and region, and each group is matched once per ask.
    profiles: dict[tuple[str, str, str, str], list[tuple[int, str]]] = {}
    # The viewer's organisations apart: joined, PostgreSQL reads every user's organisations.
    organisations = {
        pk: (name, sector, region)
        for pk, name, sector, region in Organisation.objects.filter(owner=viewer)
        .order_by()
        .values_list("id", "name", "sector", "region")
    }
    no_organisation = ("", "", "")
    for pk, given, particles, surname, title, sector, region, organisation_id in (
        Person.objects.filter(owner=viewer)
        .order_by()  # matches are sorted by fit and name below
        .values_list(
            "id",
            "given_name",
            "particles",
            "surname",
            "title",
            "sector",
            "region",
            "organisation_id",
        )
    ):
        org, org_sector, org_region = organisations.get(organisation_id, no_organisation)
        key = (title, sector or org_sector or "", region or org_region or "", org or "")
        if any(key):
            profiles.setdefault(key, []).append((pk, display_name(given, particles, surname)))
    people = list(profiles.values())
    index = Profiles.from_rows(profiles)
    result = []
    for ask in asks:
        fields = AskFields(
            role=ask.role, sector=ask.sector, region=ask.region, organisation=ask.organisation_name
        )
        if fields.is_empty:
            try:
                fields = parse_ask(ask.text)
            except InvalidAsk:
                continue
        matches = [
            (fit, pk, name)
            for i, fit in people_fitting(fields, index, minimum=0.75)
            for pk, name in people[i]
        ]
        if matches:
            matches.sort(key=lambda m: (-m[0], m[2], m[1]))
            result.append(
                AnswerableAsk(ask.owner.name, ask.text, [(pk, name) for _, pk, name in matches[:5]])
            )
    return result


@dataclass(frozen=True)
class SharedContact:
    """What one workspace member lets the others see of one relationship."""

    member_name: str
    level: str
    person_name: str  # empty unless the level is name_role
    title: str  # empty unless the level is name_role
    organisation: str


SHARED_PAGE_SIZE = 50


def shared_contacts(
    user: User,
    workspace_id: object,
    *,
    q: str = "",
    page: int = 1,
    now: dt.datetime | None = None,
) -> tuple[list[SharedContact], int]:
    """One page of what the workspace's members share, as ``user`` may see it, and how many
    there are in all; ``q`` searches the member, the name and role shown, and the organisation.

    Only shares of level "organisation" and "name and role" appear; a person's name (and a
    search on it) only at "name and role". Not found for outsiders. Read from the workspace's
    network snapshot (kept current by the writes that change shares), not from the database:
    at club scale the list runs into thousands of rows.
    """
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    s = workspace_snapshot(workspace, now=now or clock.now())
    named = s.rel_level == 2
    # "Knows someone at <nothing>" says nothing and could hint at a name.
    has_org = s.rel_organisation.nonempty()
    rows = np.flatnonzero(named | ((s.rel_level == 1) & has_org)).tolist()
    member_names = {m.pk: m.name for m in s.members}
    owner_names = {m.pk: (m.display_name or "").lower() for m in s.members}
    for word in q.lower().split():
        key = fold(word)
        rows = [
            r
            for r in rows
            if word in owner_names[int(s.rel_owner[r])]
            or word in s.rel_organisation[r].lower()
            or (named[r] and (key in s.rel_sort[r] or word in s.rel_title[r].lower()))
        ]
    total = len(rows)
    start = (max(1, page) - 1) * SHARED_PAGE_SIZE
    if start >= total:  # past the end
        return [], total
    rows.sort(key=lambda r: (s.rel_sort[r], r))
    result = []
    for r in rows[start : start + SHARED_PAGE_SIZE]:
        is_named = bool(named[r])
        result.append(
            SharedContact(
                member_name=member_names[int(s.rel_owner[r])],
                level=ShareLevel.NAME_ROLE if is_named else ShareLevel.ORGANISATION,
                person_name=s.rel_name[r] if is_named else "",
                title=s.rel_title[r] if is_named else "",
                organisation=s.rel_organisation[r],
            )
        )
    return result, total


@dataclass(frozen=True)
class Card:
    """What one member's "how you can help me" card shows the other members."""

    name: str
    email: str
    offer: str
    seeking: str
    ideal_customer: str
    asks: list[str]


def member_card(viewer: User, workspace_id: object, member_id: object, *, today: dt.date) -> Card:
    """The card of a member of a workspace the viewer is in; not found otherwise."""
    workspace, _membership = access_workspace_by_id(viewer, workspace_id)
    member = workspace.members.filter(pk=_id(member_id, "member")).first()
    if member is None:
        raise NotFound("member", member_id)
    # Only the member's asks to the network: an ask about a person in their file is private.
    asks = open_asks(member, today=today)
    return Card(
        member.name,
        member.email,
        member.offer,
        member.seeking,
        member.ideal_customer,
        [a.text for a in asks],
    )


def own_asks_with_candidates(
    user: User,
    workspace_id: object,
    *,
    now: dt.datetime,
    network: PooledNetwork | None = None,
    limit: int = 5,
) -> list[tuple[Ask, list[Candidate]]]:
    """The user's open asks to the network, the first to close first, each with who in the
    workspace's pooled network fits it."""
    network = network or viewer_network(user, workspace_id, now=now)
    today = clock.today(clock.zone_of(user), now)
    found = []
    for ask in open_asks(user, today=today)[:limit]:
        fields = AskFields(
            role=ask.role, sector=ask.sector, region=ask.region, organisation=ask.organisation_name
        )
        found.append((ask, ask_candidates(user, workspace_id, fields, now=now, network=network)))
    return found
