"""What a person would rather look at than read: strength by tier, effort by channel (events
to grow, online to maintain, small groups for the most valuable — seed 002) and the variety of
the network by sector, region and role (seed 003 §9)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.core.tiers import review_due
from kring.lib import clock
from kring.people.models import Channel, Interaction, Person, Tier
from kring.planner.adapters import relationship_facts
from kring.planner.models import PlannerSettings

BINS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]
PURPOSE: dict[str, Any] = {
    Channel.EVENT: _("grow"),
    Channel.MESSAGE: _("maintain"),
    Channel.EMAIL: _("maintain"),
    Channel.SMALL_GROUP: _("deepen"),
    Channel.IN_PERSON: _("deepen"),
    Channel.CALL: _("maintain"),
    Channel.OTHER: "",
}
DOMINANT_SHARE = 0.4  # one value above this share of the network earns a nudge


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    percent: int  # of the largest bar, for drawing
    note: str = ""


@dataclass(frozen=True)
class Diversity:
    title: str
    bars: list[Bar]
    nudge: str


@dataclass(frozen=True)
class NetworkInsight:
    strength_by_tier: dict[str, list[Bar]]
    average_by_tier: dict[str, float]
    effort: list[Bar]
    diversity: list[Diversity]


def review_is_due(found: PlannerSettings, today: dt.date, zone: ZoneInfo) -> bool:
    """Whether the quarterly tier review is due on ``today`` for someone in ``zone``."""
    last = clock.local_date(found.last_review_at, zone) if found.last_review_at else None
    return review_due(last, today)


def _bars(counts: list[tuple[str, float]], notes: dict[str, str] | None = None) -> list[Bar]:
    top = max((v for _, v in counts), default=0) or 1
    return [
        Bar(label, value, round(100 * value / top), (notes or {}).get(label, ""))
        for label, value in counts
    ]


def network_insight(user: User, *, now: dt.datetime) -> NetworkInsight:
    facts = relationship_facts(user, now=now)
    by_tier: dict[str, list[Bar]] = {}
    averages: dict[str, float] = {}
    for tier in Tier.values:
        scores = [f.score for f in facts.values() if f.tier == tier]
        counts = [
            (f"{low}–{min(high, 100)}", float(sum(low <= s < high for s in scores)))
            for low, high in BINS
        ]
        by_tier[tier] = _bars(counts)
        averages[tier] = round(sum(scores) / len(scores), 1) if scores else 0.0
    since = now - dt.timedelta(days=90)
    effort_rows = dict(
        Interaction.objects.filter(owner=user, occurred_at__gte=since)
        .values_list("channel")
        .annotate(minutes=Sum("minutes"))
        .values_list("channel", "minutes")
    )
    labels = dict(Channel.choices)
    effort = _bars(
        [(str(labels[c]), float(effort_rows.get(c, 0) or 0)) for c in Channel.values],
        {str(labels[c]): str(PURPOSE[c]) for c in Channel.values},
    )
    people = Person.objects.filter(owner=user)
    diversity = []
    for title, field in ((_("Sector"), "sector"), (_("Region"), "region"), (_("Role"), "title")):
        tally = Counter(
            dict(
                people.exclude(**{field: ""})
                .values_list(field)
                .annotate(n=Count("id"))
                .values_list(field, "n")
            )
        )
        total = sum(tally.values())
        top = tally.most_common(8)
        nudge = ""
        if total and top and top[0][1] / total > DOMINANT_SHARE:
            nudge = str(
                _(
                    "%(value)s makes up %(share)s%% of your network by %(what)s: meet "
                    "people outside it."
                )
                % {
                    "value": top[0][0],
                    "share": round(100 * top[0][1] / total),
                    "what": str(title).lower(),
                }
            )
        diversity.append(Diversity(str(title), _bars([(k, float(v)) for k, v in top]), nudge))
    return NetworkInsight(by_tier, averages, effort, diversity)
