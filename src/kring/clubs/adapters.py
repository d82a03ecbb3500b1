"""Club rows ↔ the seating core's plain data: people's keys, the report, the engine's messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.clubs.models import (
    Attendance,
    Meeting,
    Referral,
    WantToMeet,
)
from kring.core.affinity import AskFacts, Contact, MemberFacts, OpenLink, affinities
from kring.core.seating import (
    InfeasibleSeating,
    SeatingError,
    SeatingReport,
)
from kring.core.seating.model import Affinity
from kring.core.seating.tonight import TonightReport
from kring.network.models import Introduction
from kring.people.models import Ask, Share, ShareLevel


def member_key(user_id: int) -> str:
    return f"u{user_id}"


def plan_summary(
    report: SeatingReport,
    *,
    kept_apart: int,
    moved: int | None,
    tonight: TonightReport | None = None,
    season_max: int | None = None,
    policy: float | None = None,
    hostless: Sequence[str] = (),
    affinity: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """What a meeting keeps of its plan's report (``Meeting.report``) for the page to say.

    The first keys are the season's figures (reports written before "tonight" existed have
    only these, and the page still reads them); ``tonight`` measures this meeting alone
    against a bound for this meeting; ``affinity`` is (pairs with a reason to meet among those
    coming, of them seated together)."""
    summary: dict[str, Any] = {
        "repeated_pairs": report.repeated_pairs_with_history,
        "max_pair_meetings": report.max_pair_meetings,
        "hard_violations": list(report.hard_violations),
        "lower_bound": report.lower_bound,
        "kept_apart": kept_apart,
        "moved": moved,
    }
    if tonight is not None:
        summary["tonight"] = {
            "repeats": tonight.repeats,
            "by_times": [list(pair) for pair in tonight.by_times],
            "lower_bound": tonight.lower_bound,
            "most_times": tonight.most_times,
        }
        summary["season"] = {
            "repeated_pairs": report.repeated_pairs_with_history,
            "most_times": season_max,
        }
    if policy is not None:
        summary["policy"] = policy
    summary["hostless"] = list(hostless)
    if affinity is not None:
        summary["affinity"] = {"pairs": affinity[0], "together": affinity[1]}
    return summary


def readable_message(message: str, coming: Sequence[Attendance]) -> str:
    """The engine's message with people's names in place of its keys (u12, g3)."""
    names = {a.key: a.name for a in coming}
    for key in sorted(names, key=len, reverse=True):
        message = message.replace(f"'{key}'", names[key]).replace(key, names[key])
    return message


def seating_error(exc: SeatingError, coming: Sequence[Attendance]) -> str:
    """Why the engine cannot seat the meeting, in the organiser's language where the rule it
    could not keep (``InfeasibleSeating.rule``) says enough. Input the engine refuses is the
    adapter's mistake, not the organiser's: its English message, with names for keys."""
    rule = exc.rule if isinstance(exc, InfeasibleSeating) else None
    if rule == "fixed":
        return _(
            "More people have a fixed seat at a table than it seats: free a seat or give the "
            "table more seats."
        )
    if rule == "capacity":
        return _("More people are coming than there are seats: add a table.")
    # "never together" names the competitors who cannot all be kept apart; the engine's
    # error carries no code with those names yet, and the names matter more than the words.
    return readable_message(str(exc), coming)


# Introductions and referrals still under way: the two members have a reason to talk.
OPEN_INTRODUCTIONS = (
    Introduction.Status.REQUESTED,
    Introduction.Status.ACCEPTED,
    Introduction.Status.MADE,
)
OPEN_REFERRALS = (Referral.Status.GIVEN, Referral.Status.CONTACTED, Referral.Status.MEETING)


def user_of_key(key: str) -> int | None:
    return int(key[1:]) if key.startswith("u") and key[1:].isdigit() else None


def affinity_facts(
    meeting: Meeting, users: Collection[User], *, today: dt.date
) -> tuple[list[MemberFacts], list[OpenLink]]:
    """The relationship data of ``users`` (members coming to ``meeting``) as the affinity core
    reads it, in five queries: open own asks, contacts shared with the club by name and role,
    wishes to meet for this meeting, open introductions and open referrals between them."""
    ids = [u.pk for u in users]
    asks: dict[int, list[AskFacts]] = {}
    for owner_id, text, role, sector, region, organisation in Ask.objects.filter(
        owner_id__in=ids, person__isnull=True, valid_from__lte=today, valid_to__gte=today
    ).values_list("owner_id", "text", "role", "sector", "region", "organisation_name"):
        asks.setdefault(owner_id, []).append(AskFacts(text, role, sector, region, organisation))
    network: dict[int, set[Contact]] = {}
    for owner_id, title, sector, region, org, org_sector, org_region in Share.objects.filter(
        workspace_id=meeting.workspace_id,
        level=ShareLevel.NAME_ROLE,
        relationship__owner_id__in=ids,
    ).values_list(
        "relationship__owner_id",
        "relationship__person__title",
        "relationship__person__sector",
        "relationship__person__region",
        "relationship__person__organisation__name",
        "relationship__person__organisation__sector",
        "relationship__person__organisation__region",
    ):
        network.setdefault(owner_id, set()).add(
            Contact(title, sector or org_sector or "", region or org_region or "", org or "")
        )
    wishes: dict[int, list[str]] = {}
    for member_id, other_id in WantToMeet.objects.filter(
        meeting=meeting, member_id__in=ids
    ).values_list("member_id", "other_id"):
        wishes.setdefault(member_id, []).append(member_key(other_id))
    links = [
        OpenLink(member_key(a), member_key(b), "introduction")
        for a, b in Introduction.objects.filter(
            workspace_id=meeting.workspace_id,
            status__in=OPEN_INTRODUCTIONS,
            requester_id__in=ids,
            connector_id__in=ids,
        ).values_list("requester_id", "connector_id")
    ] + [
        OpenLink(member_key(a), member_key(b), "referral")
        for a, b in Referral.objects.filter(
            workspace_id=meeting.workspace_id,
            status__in=OPEN_REFERRALS,
            giver_id__in=ids,
            receiver_id__in=ids,
        ).values_list("giver_id", "receiver_id")
    ]
    members = [
        MemberFacts(
            member_key(u.pk),
            sector=u.sector,
            offer=u.offer,
            asks=tuple(asks.get(u.pk, ())),
            network=tuple(
                sorted(
                    network.get(u.pk, ()),
                    key=lambda c: (c.title, c.sector, c.region, c.organisation),
                )
            ),
            want_to_meet=tuple(sorted(wishes.get(u.pk, ()))),
        )
        for u in sorted(users, key=lambda u: u.pk)
    ]
    return members, links


def meeting_affinities(
    meeting: Meeting,
    users: Collection[User],
    *,
    today: dt.date,
    pairs: Iterable[tuple[str, str]] | None = None,
) -> tuple[Affinity, ...]:
    """The pairs among ``users`` with a reason to meet at ``meeting`` (only ``pairs`` if given)."""
    members, links = affinity_facts(meeting, users, today=today)
    return affinities(members, links, pairs=pairs)
